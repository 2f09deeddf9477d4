package dev.hotline.agi;

/** Asterisk's channel states as {@code CHANNEL STATUS} reports them (0–7, 6 = Up). */
public enum ChannelState {
    DOWN_AVAILABLE, DOWN_RESERVED, OFF_HOOK, DIGITS_DIALED, RINGING_REMOTE, RINGING_LOCAL, UP, BUSY;

    public static ChannelState of(long code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("channel state: " + code + " (expected: 0..7)");
        }
        return values()[(int) code];
    }
}
