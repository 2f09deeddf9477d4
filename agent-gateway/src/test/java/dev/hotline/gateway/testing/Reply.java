package dev.hotline.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP answer of the gateway, as a test sees it.
 *
 * @param status the HTTP status
 * @param json   the body parsed, when the answer is {@code application/json}; otherwise null
 * @param text   the body as sent
 */
public record Reply(int status, JsonNode json, String text) {
}
