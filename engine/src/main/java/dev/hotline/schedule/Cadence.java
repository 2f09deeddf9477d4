package dev.hotline.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * When a {@link Scheduler} task runs again: after a run that worked, {@code every} later (or never, for a task that
 * is done once it worked); after a failed run, {@code retry} later, doubling with each failure in a row up to
 * {@code maxRetry} (equal to {@code retry}: no backoff).
 *
 * <pre>
 *   Cadence.refreshEvery(Duration.ofSeconds(30)).retryEvery(Duration.ofSeconds(5))   // re-read a table
 *   Cadence.untilDone(Duration.ofSeconds(5))                                           // load once, retry till then
 *   Cadence.refreshEvery(Duration.ofSeconds(1)).retryEvery(Duration.ofSeconds(1)).backoffUpTo(Duration.ofSeconds(30))
 * </pre>
 */
public record Cadence(Duration every, Duration retry, Duration maxRetry, boolean repeat) {

    public Cadence {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(maxRetry, "maxRetry");
        positive("every", every);
        positive("retry", retry);
        if (maxRetry.compareTo(retry) < 0) {
            throw new IllegalArgumentException("maxRetry: " + maxRetry + " (expected: >= retry " + retry + ")");
        }
    }

    /** Runs every {@code every}; a failed run is retried after the same time until {@link #retryEvery} says. */
    public static Cadence refreshEvery(Duration every) {
        return new Cadence(every, every, every, true);
    }

    /** Runs until a run works, one every {@code retry}; then the task is done. */
    public static Cadence untilDone(Duration retry) {
        return new Cadence(retry, retry, retry, false);
    }

    /** The same cadence, a failed run retried after {@code retry} (no backoff). */
    public Cadence retryEvery(Duration retry) {
        return new Cadence(every, retry, retry, repeat);
    }

    /** The same cadence, the retry delay doubling with each failure in a row up to {@code max}. */
    public Cadence backoffUpTo(Duration max) {
        return new Cadence(every, retry, max, repeat);
    }

    /** The delay after {@code failures} failed runs in a row (at least one). */
    Duration retryAfter(int failures) {
        Duration d = retry;
        for (int i = 1; i < failures && d.compareTo(maxRetry) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxRetry) < 0 ? d : maxRetry;
    }

    private static void positive(String what, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
        }
    }
}
