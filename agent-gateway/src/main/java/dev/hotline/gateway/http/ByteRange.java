package dev.hotline.gateway.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=…} request header (RFC 9110 §14), as browsers send it to seek in audio:
 * {@code bytes=0-}, {@code bytes=1000-1999}, {@code bytes=-500} (the last 500). A header that is absent, not in
 * bytes, malformed or asks for several ranges is ignored (the whole file is sent, which the RFC allows); a range
 * that starts past the end is unsatisfiable (416).
 *
 * @param offset first byte
 * @param length how many bytes
 */
public record ByteRange(long offset, long length) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    /** What to send for a file of {@code size} bytes. */
    public sealed interface Answer {
        /** 200 with the whole file. */
        record Whole() implements Answer {
        }

        /** 206 with this range and {@code Content-Range: bytes first-last/size}. */
        record Partial(ByteRange range, long size) implements Answer {
            public String contentRange() {
                return "bytes " + range.offset() + "-" + (range.offset() + range.length() - 1) + "/" + size;
            }
        }

        /** 416 with {@code Content-Range: bytes * /size}. */
        record Unsatisfiable(long size) implements Answer {
            public String contentRange() {
                return "bytes */" + size;
            }
        }
    }

    public static Answer of(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Answer.Whole();
        }
        Matcher m = SINGLE.matcher(header.get().strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Answer.Whole();
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return new Answer.Unsatisfiable(size);
            }
            long n = Math.min(suffix, size);
            return new Answer.Partial(new ByteRange(size - n, n), size);
        }
        long first = Long.parseLong(m.group(1));
        if (first >= size) {
            return new Answer.Unsatisfiable(size);
        }
        long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        if (last < first) {
            return new Answer.Whole();   // "bytes=500-100" is invalid syntax: ignored
        }
        return new Answer.Partial(new ByteRange(first, last - first + 1), size);
    }
}
