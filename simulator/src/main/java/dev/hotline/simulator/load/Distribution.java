package dev.hotline.simulator.load;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** A distribution of durations, sampled with a caller-supplied (seeded) random generator. */
public sealed interface Distribution {

    Duration sample(RandomGenerator random);

    static Distribution fixed(Duration value) {
        return new Fixed(value);
    }

    static Distribution exponential(Duration mean) {
        return new Exponential(mean);
    }

    static Distribution uniform(Duration min, Duration max) {
        return new Uniform(min, max);
    }

    record Fixed(Duration value) implements Distribution {
        public Fixed {
            requireNonNegative("fixed", value);
        }

        @Override
        public Duration sample(RandomGenerator random) {
            return value;
        }
    }

    /** Memoryless: waits between Poisson arrivals, patience, handle times. */
    record Exponential(Duration mean) implements Distribution {
        public Exponential {
            requireNonNegative("exponential mean", mean);
        }

        @Override
        public Duration sample(RandomGenerator random) {
            double u = random.nextDouble();
            return Duration.ofNanos((long) (-Math.log1p(-u) * mean.toNanos()));
        }
    }

    record Uniform(Duration min, Duration max) implements Distribution {
        public Uniform {
            requireNonNegative("uniform min", min);
            requireNonNegative("uniform max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("uniform: max " + max + " < min " + min);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            long span = max.toNanos() - min.toNanos();
            return min.plusNanos(span == 0 ? 0 : random.nextLong(span + 1));
        }
    }

    private static void requireNonNegative(String what, Duration value) {
        Objects.requireNonNull(value, what);
        if (value.isNegative()) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: >= 0)");
        }
    }
}
