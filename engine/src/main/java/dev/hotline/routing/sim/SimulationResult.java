package dev.hotline.routing.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/** What a simulation measured, per call type, over the calls after the warm-up. */
public record SimulationResult(Map<String, TypeResult> byType) {

    public SimulationResult {
        byType = Map.copyOf(byType);
    }

    public TypeResult type(String name) {
        TypeResult r = byType.get(name);
        if (r == null) {
            throw new IllegalArgumentException("call type: " + name + " (expected: one of " + byType.keySet() + ")");
        }
        return r;
    }

    /**
     * One call type's outcome.
     *
     * @param arrived    measured calls that arrived
     * @param abandoned  callers whose patience ran out while waiting
     * @param leftQueue  calls that hit the maximum wait or an exit step, or found the queue full
     * @param waits      waits of the answered calls, nanoseconds, sorted
     */
    public record TypeResult(int arrived, int abandoned, int leftQueue, long[] waits) {

        public TypeResult {
            waits = waits.clone();
            Arrays.sort(waits);
        }

        public int answered() {
            return waits.length;
        }

        public double meanWaitSeconds() {
            double sum = 0;
            for (long w : waits) {
                sum += w;
            }
            return waits.length == 0 ? 0 : sum / waits.length / 1e9;
        }

        /** Fraction of answered calls that waited at most {@code threshold}. */
        public double answeredWithin(Duration threshold) {
            long limit = threshold.toNanos();
            int i = Arrays.binarySearch(waits, limit);
            int within = i >= 0 ? upperBound(i, limit) : -i - 1;
            return waits.length == 0 ? 1 : (double) within / waits.length;
        }

        public Duration maxWait() {
            return waits.length == 0 ? Duration.ZERO : Duration.ofNanos(waits[waits.length - 1]);
        }

        private int upperBound(int i, long limit) {
            while (i < waits.length && waits[i] == limit) {
                i++;
            }
            return i;
        }

        @Override
        public String toString() {
            return "TypeResult[arrived=" + arrived + ", answered=" + answered() + ", abandoned=" + abandoned
                    + ", leftQueue=" + leftQueue + ", meanWait=" + meanWaitSeconds() + "s, maxWait=" + maxWait() + "]";
        }
    }
}
