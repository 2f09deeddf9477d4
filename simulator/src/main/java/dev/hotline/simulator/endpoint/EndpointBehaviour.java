package dev.hotline.simulator.endpoint;

import dev.hotline.simulator.load.Distribution;
import java.time.Duration;
import java.util.Objects;

/**
 * How an agent's softphone behaves when rung: it answers with probability {@code answerProbability} after
 * {@code answerDelay}, then talks for {@code talkTime} and hangs up.
 */
public record EndpointBehaviour(Distribution answerDelay, double answerProbability, Distribution talkTime) {

    public static final EndpointBehaviour DEFAULT = new EndpointBehaviour(
            Distribution.fixed(Duration.ofSeconds(2)), 1.0, Distribution.exponential(Duration.ofMinutes(3)));

    public EndpointBehaviour {
        Objects.requireNonNull(answerDelay, "answerDelay");
        Objects.requireNonNull(talkTime, "talkTime");
        if (!(answerProbability >= 0.0 && answerProbability <= 1.0)) {
            throw new IllegalArgumentException("answerProbability: " + answerProbability + " (expected: 0..1)");
        }
    }
}
