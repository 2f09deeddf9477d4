package dev.hotline.ivr.runtime;

import dev.hotline.agi.AgiSession;
import dev.hotline.handoff.Handback;

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
     * queue, number or box) and {@code HOTLINE_IVR_PATH} (the visited nodes), with the handshake's marker
     * {@code HOTLINE_HANDLED=1} ({@link Handback}). A script that could not go on hands the caller to the fallback
     * queue rather than hanging up on them.
     */
    IvrOutcomeHandler CHANNEL_VARIABLES = (result, session) -> {
        String path = String.join(",", result.path().nodes());
        session.setVariable("HOTLINE_IVR_PATH", path.length() > 1000 ? path.substring(0, 1000) : path);
        switch (result.outcome()) {
            case IvrOutcome.Voicemail v -> Handback.handBack(session, Handback.Outcome.VOICEMAIL, v.box());
            case IvrOutcome.Transfer t -> Handback.handBack(session, Handback.Outcome.TRANSFER, t.target());
            case IvrOutcome.Queue q -> Handback.handBack(session, Handback.Outcome.QUEUE, q.queue());
            case IvrOutcome.Hangup h when h.cause() == IvrOutcome.Hangup.Cause.ERROR ->
                    Handback.handBack(session, Handback.Outcome.FALLBACK, "IVR error");
            case IvrOutcome.Hangup h -> Handback.hangUp(session, Handback.Outcome.HANGUP);
        }
    };
}
