package dev.hotline.ivr.lookup;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** Reads {@code a.b.0.c} paths out of a JSON answer, turning the value found into call-variable text. */
public final class JsonFields {

    /** Variables are spoken and shown to agents, never blobs: longer values are cut. */
    public static final int MAX_VALUE_LENGTH = 256;

    private JsonFields() {
    }

    /** The value at {@code path}; empty when absent or JSON null. Objects and arrays come back as JSON text. */
    public static Optional<String> get(JsonNode root, String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            if (n == null) {
                return Optional.empty();
            }
            n = n.isArray() && part.matches("\\d{1,6}") ? n.get(Integer.parseInt(part)) : n.get(part);
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Optional.empty();
        }
        String text = n.isValueNode() ? n.asText() : n.toString();
        StringBuilder sb = new StringBuilder();
        // Control characters could end an AGI command line; the value may reach one (say_digits, data).
        text.codePoints().limit(MAX_VALUE_LENGTH).forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? ' ' : c));
        return Optional.of(sb.toString());
    }
}
