package dev.hotline.records.staffing;

import java.time.Duration;

/**
 * Erlang C (M/M/N: Poisson arrivals, exponential handle times, N agents, callers wait without hanging up): the one
 * implementation in Hotline, used by the staffing planner and as the oracle the routing simulation
 * ({@code routing.sim}, tests) is checked against.
 *
 * <p>With offered traffic {@code A = λ · AHT} erlangs and {@code N > A} agents:
 * <pre>
 *   P(wait) = C(N, A) = (A^N / N!) · N/(N − A)  /  ( Σ_{k=0}^{N−1} A^k / k!  +  (A^N / N!) · N/(N − A) )
 *   SL(t)   = 1 − C(N, A) · e^{−(N − A) · t / AHT}
 *   ASA     = C(N, A) · AHT / (N − A)
 * </pre>
 * Factorials overflow long before realistic N, so C is computed from the Erlang B recurrence
 * {@code B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1))} and {@code C = N·B / (N − A·(1 − B))}, which stays in [0, 1]
 * at every step (stable for thousands of agents).
 *
 * <p>Edges, the same in every method: no traffic ({@code A = 0}) never waits (P = 0, SL = 1, ASA = 0), whatever the
 * agents; a load at or above the agents ({@code A ≥ N}, including no agents at all) grows the queue without bound
 * (P = 1, SL = 0, and ASA has no value: it throws). The handle time matters only with traffic (then it must be
 * positive). Negative agents, and traffic or times that are negative, NaN or
 * infinite, are refused with the value named.
 */
public final class ErlangC {

    private ErlangC() {
    }

    /** Erlang B blocking probability for {@code n} servers and {@code a} erlangs (1 with no servers). */
    public static double erlangB(int n, double a) {
        check(n, a);
        double b = 1.0;
        for (int k = 1; k <= n; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /** Probability that a caller waits: 0 without traffic, 1 when {@code n <= a} (the queue grows without bound). */
    public static double probabilityOfWaiting(int n, double a) {
        check(n, a);
        if (a == 0) {
            return 0;
        }
        if (n <= a) {
            return 1;
        }
        double b = erlangB(n, a);
        return n * b / (n - a * (1 - b));
    }

    /** Share of callers answered within {@code t}: 1 without traffic, 0 when {@code n <= a}. */
    public static double serviceLevel(int n, double a, Duration aht, Duration t) {
        check(n, a);
        double threshold = nonNegative("t", t);
        if (a == 0) {
            return 1;
        }
        double handle = positive("aht", aht);
        if (n <= a) {
            return 0;
        }
        double c = probabilityOfWaiting(n, a);
        return 1 - c * Math.exp(-(n - a) * threshold / handle);
    }

    /** Average speed of answer (ms precision): zero without traffic; refused when {@code n <= a} (no finite wait). */
    public static Duration asa(int n, double a, Duration aht) {
        check(n, a);
        if (a == 0) {
            return Duration.ZERO;
        }
        positive("aht", aht);
        if (n <= a) {
            throw new IllegalArgumentException("agents: " + n + " for " + a + " erlangs (expected: > traffic, or the"
                    + " queue grows without bound)");
        }
        return Duration.ofMillis(Math.round(probabilityOfWaiting(n, a) * aht.toMillis() / (n - a)));
    }

    /** The fewest agents for which {@code serviceLevel >= target}; 0 when there is no traffic. */
    public static int agentsFor(double a, Duration aht, double target, Duration t) {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("target: " + target + " (expected: 0 < target < 1)");
        }
        check(0, a);
        if (a == 0) {
            return 0;
        }
        int n = (int) Math.floor(a) + 1;
        while (serviceLevel(n, a, aht, t) < target) {
            n++;
        }
        return n;
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static void check(int n, double a) {
        if (n < 0) {
            throw new IllegalArgumentException("agents: " + n + " (expected: >= 0)");
        }
        if (!(a >= 0) || Double.isInfinite(a)) {
            throw new IllegalArgumentException("erlangs: " + a + " (expected: a finite number >= 0)");
        }
    }

    private static double positive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
        }
        return seconds(d);
    }

    private static double nonNegative(String what, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + ": " + d + " (expected: >= 0)");
        }
        return seconds(d);
    }
}
