package dev.hotline.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What happened to a call in the ACD, with the time it happened: the input of call records, queue_log lines and
 * live statistics. Emitted by the ACD (`dev.hotline.acd.Acd`) to every {@link CallEventListener}.
 */
public sealed interface CallEvent {

    String callId();

    Instant at();

    /**
     * The call joined {@code queue}. {@code data} is what the IVR collected and the queue node hands the agent
     * (account, CRM look-up fields, language, the IVR path): the screen pop.
     */
    record Queued(String callId, Instant at, String queue, String caller, String uniqueId, String channel,
                  java.util.Map<String, String> data) implements CallEvent {

        public Queued {
            data = java.util.Map.copyOf(data);
        }

        public Queued(String callId, Instant at, String queue, String caller, String uniqueId, String channel) {
            this(callId, at, queue, caller, uniqueId, channel, java.util.Map.of());
        }
    }

    record Offered(String callId, Instant at, String queue, String agentId, String explanation) implements CallEvent {
    }

    record OfferFailed(String callId, Instant at, String agentId, String dialStatus) implements CallEvent {
    }

    record Answered(String callId, Instant at, String queue, String agentId, Duration waited) implements CallEvent {
    }

    record Ended(String callId, Instant at, String agentId, String hungUpFirst, Duration talk) implements CallEvent {
    }

    record Abandoned(String callId, Instant at, String queue, Duration waited) implements CallEvent {
    }

    record ExitedQueue(String callId, Instant at, String queue, String reason, String destination, Duration waited)
            implements CallEvent {
        public ExitedQueue {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The waiting caller asked to be called back at {@code number} and hung up; the call keeps its place. */
    record CallbackRequested(String callId, Instant at, String queue, String number, Duration waited)
            implements CallEvent {
    }

    /**
     * An attempt at a callback ended: {@code result} ({@code answered}, {@code no answer}, {@code busy}…), the
     * callback's {@code status} after it ({@code PENDING}, {@code COMPLETED}, {@code FAILED}) and attempts so far.
     */
    record CallbackAttempted(String callId, Instant at, String queue, String agentId, String result, String status,
                             int attempts) implements CallEvent {
    }

    /** The agent transferred the connected caller to {@code target}, blind or attended (consulted first). */
    record Transferred(String callId, Instant at, String agentId, String target, boolean attended)
            implements CallEvent {
    }

    record RedirectFailed(String callId, Instant at, String reason) implements CallEvent {
    }
}
