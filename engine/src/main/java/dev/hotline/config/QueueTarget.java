package dev.hotline.config;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a caller goes when leaving a queue other than to an agent: written in hotline.yaml as
 * {@code voicemail:BOX}, {@code transfer:TARGET}, {@code queue:NAME}, {@code hangup} or (exit keys only) {@code callback}: the caller confirms a number, hangs up
 * and keeps their place in the queue (see docs/CALLBACKS.md).
 */
public record QueueTarget(Kind kind, String value) {

    public enum Kind { VOICEMAIL, TRANSFER, QUEUE, HANGUP, CALLBACK }

    public static final String EXPECTED = "voicemail:BOX, transfer:TARGET, queue:NAME, hangup or callback";

    public QueueTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        boolean needsValue = kind == Kind.VOICEMAIL || kind == Kind.TRANSFER || kind == Kind.QUEUE;
        if (needsValue == value.isBlank()) {
            throw new IllegalArgumentException(kind + ": '" + value + "' (expected: " + EXPECTED + ")");
        }
    }

    /** Parses the written form; throws with what is expected. */
    public static QueueTarget parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        String kind = (colon < 0 ? t : t.substring(0, colon)).toUpperCase(Locale.ROOT);
        String value = colon < 0 ? "" : t.substring(colon + 1).strip();
        try {
            return new QueueTarget(Kind.valueOf(kind), value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' (expected: " + EXPECTED + ")", e);
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + (value.isEmpty() ? "" : ":" + value);
    }
}
