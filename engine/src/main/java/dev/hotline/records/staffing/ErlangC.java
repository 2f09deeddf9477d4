package dev.hotline.records.staffing;

import java.time.Duration;

/**
 * Erlang C (M/M/N: Poisson arrivals, exponential handle times, N agents, callers wait without hanging up).
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
 */
public final class ErlangC {

    private ErlangC() {
    }

    /** Erlang B blocking probability for {@code n} servers and {@code a} erlangs. */
    public static double erlangB(int n, double a) {
        double b = 1.0;
        for (int k = 1; k <= n; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /** Probability that a caller waits; 1 when {@code n <= a} (the queue grows without bound). */
    public static double probabilityOfWaiting(int n, double a) {
        if (a <= 0) {
            return 0;
        }
        if (n <= a) {
            return 1;
        }
        double b = erlangB(n, a);
        return n * b / (n - a * (1 - b));
    }

    /** Share of callers answered within {@code t}. */
    public static double serviceLevel(int n, double a, Duration aht, Duration t) {
        if (a <= 0) {
            return 1;
        }
        if (n <= a) {
            return 0;
        }
        double c = probabilityOfWaiting(n, a);
        return 1 - c * Math.exp(-(n - a) * seconds(t) / seconds(aht));
    }

    /** Average speed of answer. */
    public static Duration asa(int n, double a, Duration aht) {
        if (a <= 0) {
            return Duration.ZERO;
        }
        if (n <= a) {
            throw new IllegalArgumentException("agents: " + n + " for " + a + " erlangs (expected: > traffic)");
        }
        return Duration.ofMillis(Math.round(probabilityOfWaiting(n, a) * aht.toMillis() / (n - a)));
    }

    /** The fewest agents for which {@code serviceLevel >= target}; 0 when there is no traffic. */
    public static int agentsFor(double a, Duration aht, double target, Duration t) {
        if (target <= 0 || target >= 1) {
            throw new IllegalArgumentException("target: " + target + " (expected: 0 < target < 1)");
        }
        if (a <= 0) {
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
}
