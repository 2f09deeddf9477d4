package dev.hotline.simulator;

import java.time.Duration;
import java.util.Objects;

/** What a simulated caller does when a prompt starts or a wait begins. */
public sealed interface Reaction {

    Reaction NOTHING = new Nothing();

    /** Keep listening. */
    record Nothing() implements Reaction {
    }

    /** Press {@code digits}, the first one {@code after} the prompt or wait started, the next ones 150 ms apart. */
    record Press(String digits, Duration after) implements Reaction {
        public Press {
            Objects.requireNonNull(digits, "digits");
            Objects.requireNonNull(after, "after");
            if (digits.isEmpty() || !digits.chars().allMatch(c -> "0123456789*#ABCD".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("DTMF digits: '" + digits + "' (expected: one or more of 0-9*#A-D)");
            }
            if (after.isNegative()) {
                throw new IllegalArgumentException("press after: " + after + " (expected: >= 0)");
            }
        }
    }

    /** Hang up {@code after} the prompt or wait started (an abandon) unless the call moved on first. */
    record HangUp(Duration after) implements Reaction {
        public HangUp {
            if (after.isNegative()) {
                throw new IllegalArgumentException("hang up after: " + after + " (expected: >= 0)");
            }
        }
    }
}
