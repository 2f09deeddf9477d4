package dev.hotline.handoff;

import dev.hotline.agi.AgiException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Journals every call when it reaches Hotline (its IVR script starts), before anything else happens to it: a record
 * {@code IN_PROGRESS} that the call's later records replace (same call id), and that the next start reconciles if
 * this engine fails first ({@link Reconciler}). Costs no FastAGI round trip when the dialplan passes the call id
 * ({@code ?call=${CHANNEL(linkedid)}}), one otherwise.
 */
public final class CallStarts {

    /** Where a call's start is journaled (the ACD's call recorder). */
    @FunctionalInterface
    public interface Journal {

        void started(String server, String callId, String caller, String dialled, Instant at);
    }

    private final Journal recorder;
    private final InstantSource clock;
    private final String defaultServer;

    public CallStarts(Journal recorder, InstantSource clock, String defaultServer) {
        this.recorder = recorder;
        this.clock = clock;
        this.defaultServer = defaultServer;
    }

    /** {@code script}, preceded by the call's start being journaled. */
    public AgiScript journaling(AgiScript script) {
        return session -> {
            started(session);
            script.run(session);
        };
    }

    private void started(AgiSession session) {
        var env = session.environment();
        recorder.started(env.query().getOrDefault("server", defaultServer), callId(session),
                env.callerId().orElse(""), env.dnid().orElse(env.extension()), clock.instant());
    }

    /**
     * The call's id as the ACD names it: the dialplan's {@code call} parameter, else Asterisk's linkedid (all channels
     * of one call share it), else the channel's uniqueid.
     */
    static String callId(AgiSession session) {
        var env = session.environment();
        String given = env.query().getOrDefault("call", "");
        if (!given.isBlank()) {
            return given;
        }
        if (session.isHungUp()) {
            return env.uniqueId();
        }
        try {
            String linked = session.getFullVariable("${CHANNEL(linkedid)}").orElse("");
            return linked.isBlank() ? env.uniqueId() : linked;
        } catch (AgiException e) {
            return env.uniqueId();
        }
    }
}
