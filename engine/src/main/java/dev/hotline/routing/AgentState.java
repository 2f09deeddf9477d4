package dev.hotline.routing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Where an agent stands. Every change is a {@link StateChange} with its time and cause. */
public sealed interface AgentState {

    /** Not working; receives nothing. */
    record LoggedOut() implements AgentState {
    }

    /** Waiting for a call. */
    record Ready() implements AgentState {
    }

    /**
     * Logged in but not taking calls, for {@code reason} (break, training, no answer, …); ready again by itself at
     * {@code until} when present (a ring-no-answer pause), else when the agent acts.
     */
    record NotReady(String reason, Optional<Instant> until) implements AgentState {

        public NotReady {
            Checks.notBlank("reason", reason);
            Objects.requireNonNull(until, "until");
        }

        /** Not ready until the agent acts. */
        public NotReady(String reason) {
            this(reason, Optional.empty());
        }

        @Override
        public String toString() {
            return "NotReady[reason=" + reason + until.map(u -> ", until=" + u).orElse("") + "]";
        }
    }

    /** Call {@code callId} has been offered to them and is ringing. */
    record Reserved(String callId) implements AgentState {

        public Reserved {
            Checks.notBlank("callId", callId);
        }
    }

    /** Talking on call {@code callId}. */
    record OnCall(String callId) implements AgentState {

        public OnCall {
            Checks.notBlank("callId", callId);
        }
    }

    /** After-call work, until {@code until}, or until the agent ends it when empty. */
    record WrapUp(Optional<Instant> until) implements AgentState {

        public WrapUp {
            Objects.requireNonNull(until, "until");
        }
    }

    /** Whether the agent counts as staffing their queues (logged in and not on a break). */
    default boolean staffed() {
        return !(this instanceof LoggedOut || this instanceof NotReady);
    }
}
