package dev.hotline.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An agent's state as live views show it.
 *
 * @param reason the not-ready reason (not ready only)
 * @param until  when a timed not-ready or wrap-up ends by itself
 * @param callId the call ringing or connected (ringing and on call only)
 */
public record AgentStatus(Kind kind, Optional<String> reason, Optional<Instant> until, Optional<String> callId) {

    public static final AgentStatus LOGGED_OUT = new AgentStatus(Kind.LOGGED_OUT, Optional.empty(), Optional.empty(),
            Optional.empty());

    public AgentStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(callId, "callId");
    }

    public static AgentStatus of(Kind kind) {
        return new AgentStatus(kind, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Whether the agent counts as staffing their queues (neither logged out nor not ready). */
    public boolean staffed() {
        return kind != Kind.LOGGED_OUT && kind != Kind.NOT_READY;
    }

    /** Whether a call is ringing the agent or connected to them. */
    public boolean withCall() {
        return kind == Kind.RINGING || kind == Kind.ON_CALL;
    }

    public enum Kind {
        LOGGED_OUT("logged-out"), READY("ready"), NOT_READY("not-ready"), RINGING("ringing"), ON_CALL("on-call"),
        WRAP_UP("wrap-up");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** The name the API and the pages use. */
        public String wireName() {
            return wireName;
        }
    }
}
