package dev.hotline.simulator.load;

import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Poisson caller arrivals: {@code callersPerMinute} on average, optionally shaped over the day by 24 hourly
 * weights (1.0 = the base rate). Gaps are exponential with the rate of the hour the call arrives in.
 */
public record ArrivalModel(double callersPerMinute, List<Double> hourlyWeights) {

    public ArrivalModel {
        if (!(callersPerMinute > 0)) {
            throw new IllegalArgumentException("callersPerMinute: " + callersPerMinute + " (expected: > 0)");
        }
        hourlyWeights = List.copyOf(hourlyWeights);
        if (!hourlyWeights.isEmpty() && hourlyWeights.size() != 24) {
            throw new IllegalArgumentException("hourlyWeights: " + hourlyWeights.size() + " values (expected: 24)");
        }
        for (double weight : hourlyWeights) {
            if (!(weight > 0)) {
                throw new IllegalArgumentException("hourly weight: " + weight + " (expected: > 0)");
            }
        }
    }

    public static ArrivalModel flat(double callersPerMinute) {
        return new ArrivalModel(callersPerMinute, List.of());
    }

    /** The gap to the next arrival when the time of day is {@code now}. */
    public Duration nextGap(RandomGenerator random, LocalTime now) {
        double weight = hourlyWeights.isEmpty() ? 1.0 : hourlyWeights.get(now.getHour());
        double meanSeconds = 60.0 / (callersPerMinute * weight);
        return Duration.ofNanos((long) (-Math.log1p(-random.nextDouble()) * meanSeconds * 1e9));
    }
}
