package dev.hotline.routing;

import java.time.Duration;
import java.util.Objects;

/** How a queue picks among the ready agents able to take a call. */
public sealed interface Strategy {

    /** The agent who has been ready the longest (since their last transition into ready). The default. */
    record LongestIdle() implements Strategy {
    }

    /** The highest proficiency in the queue's first required skill; ties go to the longest idle. */
    record MostSkilled() implements Strategy {
    }

    /** Fewest calls answered today, then least talk time today, then longest idle. */
    record LeastOccupied() implements Strategy {
    }

    /** Agents in work-number registration order, starting after the agent this queue offered to last. */
    record RoundRobin() implements Strategy {
    }

    /**
     * Only the call's preferred agent (e.g. the account owner) for {@code fallbackAfter} of waiting, then
     * {@code fallback}. Calls that name no preferred agent use {@code fallback} at once.
     */
    record Preferred(Duration fallbackAfter, Strategy fallback) implements Strategy {

        public Preferred {
            Checks.notNegative("fallbackAfter", fallbackAfter);
            Objects.requireNonNull(fallback, "fallback");
            if (fallback instanceof Preferred) {
                throw new IllegalArgumentException("fallback: " + fallback + " (expected: not a preferred strategy)");
            }
        }
    }

    /** The strategy that ranks the agents once any preference has expired. */
    default Strategy ranking() {
        return this instanceof Preferred p ? p.fallback() : this;
    }
}
