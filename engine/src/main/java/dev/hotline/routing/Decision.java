package dev.hotline.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the routing core tells the world; see {@link RoutingCore#handle(Command)}. */
public sealed interface Decision {

    /** Ring {@code agentId} with {@code callId} until {@code ringDeadline}; the agent is now reserved. */
    record Offer(String callId, String agentId, String queue, Instant ringDeadline, Explanation explanation)
            implements Decision {

        public Offer {
            Objects.requireNonNull(ringDeadline, "ringDeadline");
            Objects.requireNonNull(explanation, "explanation");
        }
    }

    /** An agent changed state; the stream of these is the agent audit log. */
    record AgentStateChanged(StateChange change) implements Decision {
    }

    /** The call joined its queue and waits (no eligible agent was ready). */
    record CallQueued(String callId, String queue, int priority) implements Decision {
    }

    /** The queue is full; the call was not admitted. */
    record QueueFull(String callId, String queue, int length, int maxLength) implements Decision {
    }

    /** The offer rang out without an answer. */
    record OfferTimedOut(String callId, String agentId) implements Decision {
    }

    /** The call went back to the head of its priority band with its original wait, after {@code cause}. */
    record CallRequeued(String callId, String queue, String cause) implements Decision {
    }

    /** The call was answered after waiting {@code waited} (the time since it first joined a queue). */
    record CallAnswered(String callId, String agentId, String queue, Duration waited) implements Decision {
    }

    /** The call left routing at the caller's end ({@link Command.Leave}). */
    record CallLeft(String callId, String queue, Duration waited, String reason) implements Decision {
    }

    /** An escalation step was applied to a waiting call. */
    record Escalated(String callId, String queue, EscalationStep step) implements Decision {
    }

    /** Offer the caller a callback; they stay queued unless they accept. */
    record CallbackOffered(String callId, String queue, int position, Optional<Duration> estimatedWait)
            implements Decision {
    }

    /** An escalation step took the call out of the queue to {@code destination}. */
    record ExitedQueue(String callId, String queue, String destination, Duration waited) implements Decision {
    }

    /** The call reached the queue's maximum wait and left it (to voicemail or the exit the queue node chooses). */
    record MaxWaitReached(String callId, String queue, Duration waited) implements Decision {
    }

    /**
     * A supervisor changed a waiting call's priority from {@code from} to {@code to}; it is now at
     * {@code position} in its queue, having waited {@code waited} (unchanged by the move).
     */
    record CallReprioritised(String callId, String queue, int from, int to, int position, Duration waited,
                             String by) implements Decision {
    }

    /** An agent or queue profile was (re)defined or disabled; {@code what} says which ("agent", "queue"). */
    record ProfileChanged(String what, String id, boolean enabled, String change) implements Decision {
    }

    /** A command that does not fit the current state (unknown ids, illegal transitions, stale answers). */
    record CommandRejected(Command command, String reason) implements Decision {
    }
}
