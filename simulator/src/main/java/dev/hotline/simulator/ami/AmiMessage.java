package dev.hotline.simulator.ami;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One AMI message: ordered {@code Key: Value} headers. Keys may repeat ({@code Output}, {@code Variable}) and are
 * looked up case-insensitively, as Asterisk does.
 */
public record AmiMessage(List<Header> headers) {

    public record Header(String key, String value) {
        public Header {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    public AmiMessage {
        headers = List.copyOf(headers);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> get(String key) {
        for (Header header : headers) {
            if (header.key.equalsIgnoreCase(key)) {
                return Optional.of(header.value);
            }
        }
        return Optional.empty();
    }

    /** The value of {@code key}, or {@code ""} when absent: Asterisk's astman_get_header. */
    public String value(String key) {
        return get(key).orElse("");
    }

    public List<String> all(String key) {
        List<String> values = new ArrayList<>();
        for (Header header : headers) {
            if (header.key.equalsIgnoreCase(key)) {
                values.add(header.value);
            }
        }
        return values;
    }

    /** The wire form: CRLF after every header and one more to end the message. */
    public String toWire() {
        StringBuilder out = new StringBuilder(headers.size() * 32);
        for (Header header : headers) {
            out.append(header.key).append(": ").append(header.value).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    public static final class Builder {
        private final List<Header> headers = new ArrayList<>();

        public Builder add(String key, Object value) {
            headers.add(new Header(key, String.valueOf(value)));
            return this;
        }

        public Builder addAll(List<Header> more) {
            headers.addAll(more);
            return this;
        }

        public AmiMessage build() {
            return new AmiMessage(headers);
        }
    }
}
