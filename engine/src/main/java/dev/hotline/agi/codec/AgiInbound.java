package dev.hotline.agi.codec;

/** Everything Asterisk sends on a FastAGI socket, as decoded by {@link AgiDecoder}. */
public sealed interface AgiInbound permits AgiEnvironment, AgiReply, AgiHangup {
}
