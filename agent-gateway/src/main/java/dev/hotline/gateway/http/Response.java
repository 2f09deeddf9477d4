package dev.hotline.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a handler answers: status, content type, body, extra headers. */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response noContent() {
        return new Response(204, "", new byte[0], Map.of());
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h);
    }
}
