package dev.hotline.simulator.endpoint;

import dev.hotline.simulator.load.Distribution;
import java.time.Duration;
import java.util.Objects;

/**
 * How an agent's softphone behaves when rung: it answers with probability {@code answerProbability} after
 * {@code answerDelay}, then talks for {@code talkTime} and hangs up. {@code transferAtOnce}: when the agent starts an
 * attended transfer (AMI Atxfer), the phone hangs up as soon as the consulted target is up, which completes the
 * transfer; otherwise it hangs up at the end of its talk time as usual.
 */
public record EndpointBehaviour(Distribution answerDelay, double answerProbability, Distribution talkTime,
                                boolean transferAtOnce) {

    public static final EndpointBehaviour DEFAULT = new EndpointBehaviour(
            Distribution.fixed(Duration.ofSeconds(2)), 1.0, Distribution.exponential(Duration.ofMinutes(3)));

    public EndpointBehaviour {
        Objects.requireNonNull(answerDelay, "answerDelay");
        Objects.requireNonNull(talkTime, "talkTime");
        if (!(answerProbability >= 0.0 && answerProbability <= 1.0)) {
            throw new IllegalArgumentException("answerProbability: " + answerProbability + " (expected: 0..1)");
        }
    }

    /** A phone that hangs up at the end of its talk time, consulting or not. */
    public EndpointBehaviour(Distribution answerDelay, double answerProbability, Distribution talkTime) {
        this(answerDelay, answerProbability, talkTime, false);
    }

    /** The same phone, hanging up as soon as an attended transfer's target is up ({@code at once}) or not. */
    public EndpointBehaviour withTransferAtOnce(boolean atOnce) {
        return new EndpointBehaviour(answerDelay, answerProbability, talkTime, atOnce);
    }
}
