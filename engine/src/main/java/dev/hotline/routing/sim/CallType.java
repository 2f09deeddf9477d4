package dev.hotline.routing.sim;

import dev.hotline.routing.SkillRequirement;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A stream of simulated calls: Poisson arrivals at {@code callsPerSecond}, exponential handle times with mean
 * {@code meanHandleTime}, and, if present, exponential patience with mean {@code meanPatience} (a caller whose
 * patience runs out while waiting hangs up).
 */
public record CallType(String name, String queue, double callsPerSecond, Duration meanHandleTime,
                       Optional<Duration> meanPatience, OptionalInt priority, List<SkillRequirement> skills) {

    public CallType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(queue, "queue");
        if (!(callsPerSecond > 0) || Double.isInfinite(callsPerSecond)) {
            throw new IllegalArgumentException("callsPerSecond: " + callsPerSecond + " (expected: > 0)");
        }
        if (meanHandleTime.isNegative() || meanHandleTime.isZero()) {
            throw new IllegalArgumentException("meanHandleTime: " + meanHandleTime + " (expected: > 0)");
        }
        Objects.requireNonNull(meanPatience, "meanPatience");
        Objects.requireNonNull(priority, "priority");
        skills = List.copyOf(skills);
    }

    /** Calls to {@code queue} that never give up, with the queue's default priority and no extra skills. */
    public static CallType patient(String name, String queue, double callsPerSecond, Duration meanHandleTime) {
        return new CallType(name, queue, callsPerSecond, meanHandleTime, Optional.empty(), OptionalInt.empty(),
                List.of());
    }

    public CallType withPriority(int priority) {
        return new CallType(name, queue, callsPerSecond, meanHandleTime, meanPatience, OptionalInt.of(priority),
                skills);
    }

    public CallType withPatience(Duration meanPatience) {
        return new CallType(name, queue, callsPerSecond, meanHandleTime, Optional.of(meanPatience), priority,
                skills);
    }
}
