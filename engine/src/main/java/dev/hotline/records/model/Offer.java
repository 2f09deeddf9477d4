package dev.hotline.records.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One time the ACD rang an agent for this call.
 *
 * @param queue     the queue the call was waiting in
 * @param agentId   the agent rung (work number)
 * @param offeredAt when the agent's phone started ringing
 * @param endedAt   when ringing stopped (answer, timeout, rejection, caller hang-up)
 * @param outcome   how the offer ended
 */
public record Offer(String queue, String agentId, Instant offeredAt, Instant endedAt, Outcome outcome) {

    /** How an offer ended. */
    public enum Outcome {
        ANSWERED,
        /** Rang for the queue's ring timeout without an answer (queue_log RINGNOANSWER). */
        NO_ANSWER,
        /** The agent declined or the device was busy. */
        REJECTED,
        /** The caller hung up while the agent's phone rang. */
        CALLER_HANGUP,
        /** The dial failed (device unavailable, channel error). */
        FAILED
    }

    public Offer {
        RecordChecks.text("queue", queue, 64);
        RecordChecks.text("agentId", agentId, 64);
        RecordChecks.order("offeredAt", offeredAt, "endedAt", endedAt);
        Objects.requireNonNull(outcome, "outcome");
    }

    /** How long the agent's phone rang. */
    public Duration ring() {
        return Duration.between(offeredAt, endedAt);
    }
}
