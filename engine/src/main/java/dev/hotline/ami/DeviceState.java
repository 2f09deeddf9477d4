package dev.hotline.ami;

import java.util.Locale;

/** Asterisk's device states ({@code DeviceStateChange} / {@code DeviceStateList}). */
public enum DeviceState {
    UNKNOWN, NOT_INUSE, INUSE, BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD;

    /** Parses Asterisk's text ({@code NOT_INUSE}, {@code UNAVAILABLE}, …); anything else is {@link #UNKNOWN}. */
    public static DeviceState of(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT).replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** False when a call to this device cannot ring (unregistered, invalid). */
    public boolean reachable() {
        return this != UNAVAILABLE && this != INVALID;
    }
}
