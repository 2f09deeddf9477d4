package dev.hotline.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One HTTP answer of the gateway, as a test sees it.
 *
 * @param status the HTTP status
 * @param json   the body parsed, when the answer is {@code application/json}; otherwise null
 * @param text    the body as sent
 * @param headers the response headers (lower-case names)
 */
public record Reply(int status, JsonNode json, String text, java.util.Map<String, java.util.List<String>> headers) {

    public Reply(int status, JsonNode json, String text) {
        this(status, json, text, java.util.Map.of());
    }

    /** The first value of a response header. */
    public java.util.Optional<String> header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }
}
