package dev.hotline.ivr.runtime;

import dev.hotline.agi.AgiSession;

/**
 * Receives every call leaving the IVR, whatever the outcome (caller hang-ups included, so the path can be
 * stored). The Asterisk-integration code implements this to put {@link IvrOutcome.Queue} calls into the ACD;
 * the session is still open (unless the caller hung up) and the handler may keep using it.
 */
@FunctionalInterface
public interface IvrOutcomeHandler {

    void handle(IvrCallResult result, AgiSession session) throws Exception;

    /**
     * Until the ACD is connected: leaves the outcome in channel variables for the dialplan that follows
     * {@code AGI()}: {@code HOTLINE_OUTCOME} (queue, transfer, voicemail, hangup), {@code HOTLINE_TARGET} (the
     * queue, number or box) and {@code HOTLINE_IVR_PATH} (the visited nodes).
     */
    IvrOutcomeHandler CHANNEL_VARIABLES = (result, session) -> {
        String[] words = result.outcome().describe().split(" ", 2);
        session.setVariable("HOTLINE_OUTCOME", words[0]);
        session.setVariable("HOTLINE_TARGET", words.length > 1 ? words[1] : "");
        String path = String.join(",", result.path().nodes());
        session.setVariable("HOTLINE_IVR_PATH", path.length() > 1000 ? path.substring(0, 1000) : path);
    };
}
