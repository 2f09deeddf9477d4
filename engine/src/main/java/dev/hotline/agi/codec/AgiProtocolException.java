package dev.hotline.agi.codec;

import io.netty.handler.codec.DecoderException;

/**
 * Asterisk (or something pretending to be it) sent what FastAGI does not allow: an over-long line, an oversized
 * environment, a malformed reply. The message says what and where; the session that got it is closed.
 */
public final class AgiProtocolException extends DecoderException {

    private final String reason;

    public AgiProtocolException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A short machine-friendly reason for metrics: {@code line_too_long}, {@code bad_reply}, … */
    public String reason() {
        return reason;
    }
}
