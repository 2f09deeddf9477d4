package dev.hotline.records.staffing;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The Erlang A model (M/M/N+M: like Erlang C, but each waiting caller hangs up after an exponentially distributed
 * patience) solved by discrete-event simulation. Callers who abandon free the queue, so fewer agents reach the
 * same service level than Erlang C says; abandon rates come out directly.
 *
 * <p>Deterministic: a fixed seed, and the same random streams for every agent count tried (common random numbers),
 * which keeps results reproducible and service level monotone in the number of agents in practice.
 */
public final class AbandonmentSimulator {

    /** Result of one simulated run. */
    public record Result(int agents, long calls, double serviceLevel, double abandonRate, Duration asa) {
    }

    private final long seed;
    private final int calls;

    /** @param calls callers simulated per evaluation (more: less noise, more time) */
    public AbandonmentSimulator(long seed, int calls) {
        if (calls < 100) {
            throw new IllegalArgumentException("calls: " + calls + " (expected: >= 100)");
        }
        this.seed = seed;
        this.calls = calls;
    }

    /**
     * Simulates {@code agents} agents for callers arriving at {@code perHour} an hour.
     *
     * @param patience mean patience; {@code null} for none (no one abandons: Erlang C by simulation)
     * @return service level as answered within {@code t} / all callers (abandons included)
     */
    public Result run(int agents, double perHour, Duration aht, Duration patience, Duration t) {
        SplittableRandom arrivals = new SplittableRandom(seed);
        SplittableRandom services = new SplittableRandom(seed * 31 + 7);
        SplittableRandom patiences = new SplittableRandom(seed * 17 + 3);
        double meanGap = 3600.0 / perHour;
        double meanService = ErlangC.seconds(aht);
        double meanPatience = patience == null ? Double.POSITIVE_INFINITY : ErlangC.seconds(patience);
        double sl = ErlangC.seconds(t);
        // FCFS: callers reach agents in arrival order, so each caller takes the agent that frees up first, unless
        // their patience runs out before that; a caller who hangs up never holds an agent.
        PriorityQueue<Double> freeAt = new PriorityQueue<>();
        for (int k = 0; k < agents; k++) {
            freeAt.add(0.0);
        }
        double now = 0;
        long within = 0;
        long abandoned = 0;
        long answered = 0;
        double waitSum = 0;
        // Warm up with a tenth of the calls so the measured part does not start from an empty centre.
        int warmup = calls / 10;
        for (int i = 0; i < calls + warmup; i++) {
            now += exp(arrivals, meanGap);
            double service = exp(services, meanService);
            double patienceSeconds = exp(patiences, meanPatience);
            double start = Math.max(now, freeAt.peek());
            boolean measured = i >= warmup;
            if (start - now > patienceSeconds) {
                abandoned += measured ? 1 : 0;
                continue;
            }
            freeAt.poll();
            freeAt.add(start + service);
            if (measured) {
                answered++;
                waitSum += start - now;
                within += start - now <= sl ? 1 : 0;
            }
        }
        return new Result(agents, calls, (double) within / calls, (double) abandoned / calls,
                Duration.ofMillis(answered == 0 ? 0 : Math.round(waitSum / answered * 1000)));
    }

    /** The fewest agents reaching {@code target} service level, at most {@code max}. */
    public Result agentsFor(double perHour, Duration aht, Duration patience, double target, Duration t, int max) {
        int lo = 1;
        int hi = Math.max(1, max);
        Result best = run(hi, perHour, aht, patience, t);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Result r = run(mid, perHour, aht, patience, t);
            if (r.serviceLevel() >= target) {
                hi = mid;
                best = r;
            } else {
                lo = mid + 1;
            }
        }
        return best.agents() == hi ? best : run(hi, perHour, aht, patience, t);
    }

    private static double exp(SplittableRandom r, double mean) {
        return Double.isInfinite(mean) ? Double.POSITIVE_INFINITY : -mean * Math.log(1 - r.nextDouble());
    }
}
