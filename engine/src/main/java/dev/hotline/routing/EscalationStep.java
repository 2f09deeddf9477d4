package dev.hotline.routing;

import java.time.Duration;

/**
 * One step a waiting call takes once it has waited {@link #after()} (measured from when it first joined a queue).
 * Steps never cost the caller its place: the call keeps its original enqueue time.
 */
public sealed interface EscalationStep {

    Duration after();

    /** Accept agents with only {@code level} in {@code skill}. */
    record LowerMinLevel(Duration after, String skill, int level) implements EscalationStep {

        public LowerMinLevel {
            Checks.notNegative("after", after);
            Checks.notBlank("skill", skill);
            Checks.range("level", level, Agent.MIN_LEVEL, Agent.MAX_LEVEL);
        }
    }

    /**
     * Also accept agents who have {@code skill} at {@code level} or better, whatever the other skills the call
     * needs (the language still applies): widens the pool, e.g. to a back-office team.
     */
    record AddSkill(Duration after, String skill, int level) implements EscalationStep {

        public AddSkill {
            Checks.notNegative("after", after);
            Checks.notBlank("skill", skill);
            Checks.range("level", level, Agent.MIN_LEVEL, Agent.MAX_LEVEL);
        }
    }

    /** Raise the call's priority by {@code by}. */
    record RaisePriority(Duration after, int by) implements EscalationStep {

        public RaisePriority {
            Checks.notNegative("after", after);
            Checks.range("by", by, 1, Integer.MAX_VALUE);
        }
    }

    /** Move the call to queue {@code queue}, keeping its original wait. */
    record MoveToQueue(Duration after, String queue) implements EscalationStep {

        public MoveToQueue {
            Checks.notNegative("after", after);
            Checks.notBlank("queue", queue);
        }
    }

    /** Offer the caller a callback; the call stays queued until the caller accepts ({@code Command.Leave}). */
    record OfferCallback(Duration after) implements EscalationStep {

        public OfferCallback {
            Checks.notNegative("after", after);
        }
    }

    /** Take the call out of the queue to {@code destination} (e.g. {@code voicemail}). */
    record Exit(Duration after, String destination) implements EscalationStep {

        public Exit {
            Checks.notNegative("after", after);
            Checks.notBlank("destination", destination);
        }
    }
}
