package dev.hotline.gateway.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: status, content type, body, extra headers. A response may instead carry a {@link FileBody}
 * (a byte range of a file, e.g. a call recording), which is streamed from the file rather than held in memory.
 */
public record Response(int status, String contentType, byte[] body, Map<String, String> headers, FileBody file) {

    /**
     * {@code length} bytes of {@code path} from {@code offset}: the whole file, or the range a {@code Range} header
     * asked for (the handler sets {@code Content-Range}).
     */
    public record FileBody(Path path, long offset, long length) {
        public FileBody {
            Objects.requireNonNull(path, "path");
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("file range: offset " + offset + ", length " + length
                        + " (expected: >= 0)");
            }
        }
    }

    public Response {
        headers = Map.copyOf(headers);
    }

    public Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response noContent() {
        return new Response(204, "", new byte[0], Map.of());
    }

    /** A file (or a range of it) streamed to the client. */
    public static Response file(int status, String contentType, FileBody file, Map<String, String> headers) {
        return new Response(status, contentType, new byte[0], headers, file);
    }

    public Response withHeader(String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new Response(status, contentType, body, h, file);
    }
}
