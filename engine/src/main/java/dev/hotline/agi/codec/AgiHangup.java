package dev.hotline.agi.codec;

/**
 * The unsolicited {@code HANGUP} line: the channel hung up (or was redirected out of this AGI). The session
 * goes on in "dead" mode: variable commands still work, channel commands get 511.
 */
public record AgiHangup() implements AgiInbound {

    public static final AgiHangup INSTANCE = new AgiHangup();
}
