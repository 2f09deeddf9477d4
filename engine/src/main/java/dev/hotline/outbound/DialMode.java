package dev.hotline.outbound;

import java.util.Locale;

/** How a campaign dials. */
public enum DialMode {
    /** The agent sees the contact first, then dials or skips it. */
    PREVIEW,
    /** One call per free agent, dialled when the agent is free (the agent is reserved while it rings). */
    PROGRESSIVE,
    /** Calls dialled ahead of free agents from the measured answer rate, within the abandon cap ({@link Pacer}). */
    PREDICTIVE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DialMode parse(String text) {
        for (DialMode m : values()) {
            if (m.wireName().equalsIgnoreCase(text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode: '" + text + "' (expected: preview, progressive or predictive)");
    }
}
