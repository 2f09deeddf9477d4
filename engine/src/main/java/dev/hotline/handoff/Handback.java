package dev.hotline.handoff;

import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The handshake with the dialplan: every path by which Hotline hands a call back to Asterisk on purpose sets
 * {@code HOTLINE_OUTCOME}, {@code HOTLINE_TARGET} and, last, the marker {@code HOTLINE_HANDLED=1}. The shipped
 * dialplan decides "Hotline lost this call" from the marker's absence, never from {@code AGISTATUS}: Asterisk
 * reports FAILURE after any failed command Hotline handled (a missing prompt) and SUCCESS when the engine's socket
 * vanished mid-call (a crash), so AGISTATUS cannot tell the two apart. A call without the marker is sent back into
 * Hotline's {@code resume} script, and only if no engine answers to the fallback queue.
 *
 * <p>One FastAGI round trip ({@code EXEC MSet}) per hand-back.
 */
public final class Handback {

    public static final String HANDLED = "HOTLINE_HANDLED";
    public static final String OUTCOME = "HOTLINE_OUTCOME";
    public static final String TARGET = "HOTLINE_TARGET";
    /** Set by the dialplan before {@code AGI()}: the script the call entered Hotline with (e.g. main-menu). */
    public static final String ENTRY = "HOTLINE_ENTRY";

    /** Where the dialplan sends a call handed back ({@code hotline-outcome} in docker/asterisk/extensions.conf). */
    public enum Outcome {
        /** {@code VoiceMail(target)}. */
        VOICEMAIL,
        /** {@code Dial} through {@code hotline-transfer,target}. */
        TRANSFER,
        /** Hotline hangs the call up itself (a hangup node, the end of a served call); the dialplan hangs up too. */
        HANGUP,
        /** The caller accepted a callback; Hotline hangs up after the confirmation. */
        CALLBACK,
        /** Hotline refuses the call on purpose (unknown script, queue or call): the fallback queue, at once. */
        FALLBACK,
        /**
         * The IVR chose a queue and no ACD runs in this engine ({@code IvrOutcomeHandler.CHANNEL_VARIABLES}): the
         * dialplan may queue the call itself (target: the queue).
         */
        QUEUE;

        /** The value the dialplan compares: {@code voicemail}, {@code transfer}, … */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Handback() {
    }

    /** Hands the call back with {@code outcome} and {@code target} (may be empty); no-op once the caller is gone. */
    public static void handBack(AgiSession session, Outcome outcome, String target) {
        handBack(session, outcome, target, Map.of());
    }

    /** As above, with {@code more} variables set in the same command, before the outcome and the marker. */
    public static void handBack(AgiSession session, Outcome outcome, String target, Map<String, String> more) {
        if (session.isHungUp()) {
            return;   // hung up or redirected: no dialplan runs after this AGI for that channel
        }
        Map<String, String> vars = new LinkedHashMap<>(more.size() + 4);
        vars.putAll(more);
        vars.put(OUTCOME, outcome.wire());
        vars.put(TARGET, target);
        vars.put(HANDLED, "1");
        try {
            ChannelVariables.setAll(session, vars);
        } catch (AgiHangupException e) {
            // The caller hung up meanwhile: nothing to hand back.
        }
    }

    /** Hands the call back as {@code outcome} (HANGUP or CALLBACK) and hangs it up. */
    public static void hangUp(AgiSession session, Outcome outcome) {
        hangUp(session, outcome, Map.of());
    }

    /** As above, with {@code more} variables set in the hand-back's command. */
    public static void hangUp(AgiSession session, Outcome outcome, Map<String, String> more) {
        handBack(session, outcome, "", more);
        if (!session.isHungUp()) {
            try {
                session.hangup();
            } catch (AgiHangupException e) {
                // gone already
            }
        }
    }
}
