package dev.hotline.routing.sim;

/**
 * Erlang C: the M/M/N queue with no abandonment, the oracle the simulator is checked against (and the base of the
 * staffing calculator).
 *
 * <p>The probability of waiting comes from Erlang B by its recurrence {@code B(0) = 1},
 * {@code B(k) = A·B(k-1) / (k + A·B(k-1))}, which stays within [0, 1] at every step, so it needs no factorials or
 * powers and neither overflows nor loses precision for thousands of agents; then
 * {@code C = N·B / (N - A·(1 - B))}.
 */
public final class ErlangC {

    private ErlangC() {
    }

    /** Erlang B: the blocking probability of {@code agents} servers offered {@code erlangs} of traffic. */
    public static double erlangB(int agents, double erlangs) {
        check(agents, erlangs);
        double b = 1;
        for (int k = 1; k <= agents; k++) {
            b = erlangs * b / (k + erlangs * b);
        }
        return b;
    }

    /** The probability that a call waits at all. */
    public static double probabilityOfWaiting(int agents, double erlangs) {
        if (erlangs >= agents) {
            throw new IllegalArgumentException("erlangs: " + erlangs + " (expected: < agents = " + agents
                    + ", or the queue grows without bound)");
        }
        double b = erlangB(agents, erlangs);
        return agents * b / (agents - erlangs * (1 - b));
    }

    /** Average speed of answer, seconds: {@code C / (N·μ - λ)}. */
    public static double averageSpeedOfAnswer(int agents, double callsPerSecond, double handleSeconds) {
        double erlangs = callsPerSecond * handleSeconds;
        return probabilityOfWaiting(agents, erlangs) * handleSeconds / (agents - erlangs);
    }

    /** The fraction of calls answered within {@code thresholdSeconds}: {@code 1 - C·e^-(N·μ - λ)t}. */
    public static double serviceLevel(int agents, double callsPerSecond, double handleSeconds,
                                      double thresholdSeconds) {
        double erlangs = callsPerSecond * handleSeconds;
        double c = probabilityOfWaiting(agents, erlangs);
        return 1 - c * Math.exp(-(agents - erlangs) * thresholdSeconds / handleSeconds);
    }

    private static void check(int agents, double erlangs) {
        if (agents < 1) {
            throw new IllegalArgumentException("agents: " + agents + " (expected: >= 1)");
        }
        if (!(erlangs > 0) || Double.isInfinite(erlangs)) {
            throw new IllegalArgumentException("erlangs: " + erlangs + " (expected: > 0)");
        }
    }
}
