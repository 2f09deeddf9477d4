package dev.hotline.callbacks;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Callbacks per queue: promised vs kept. */
public final class CallbackReport {

    private CallbackReport() {
    }

    /**
     * One queue's callbacks: requested, completed, failed, cancelled, still pending, and overdue (pending more than
     * the grace after their due time).
     */
    public record Row(int requested, int completed, int failed, int cancelled, int pending, int overdue) {

        static Row of(Callback c, Instant now, Duration grace) {
            boolean pending = c.pending();
            return new Row(1, c.status() == Callback.Status.COMPLETED ? 1 : 0,
                    c.status() == Callback.Status.FAILED ? 1 : 0, c.status() == Callback.Status.CANCELLED ? 1 : 0,
                    pending ? 1 : 0, pending && c.dueAt().plus(grace).isBefore(now) ? 1 : 0);
        }

        Row plus(Row o) {
            return new Row(requested + o.requested, completed + o.completed, failed + o.failed,
                    cancelled + o.cancelled, pending + o.pending, overdue + o.overdue);
        }
    }

    /** The rows as a fixed-width text table. */
    public static String format(Map<String, Row> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-20s %9s %9s %6s %9s %7s %7s%n", "queue",
                "requested", "completed", "failed", "cancelled", "pending", "overdue"));
        rows.forEach((queue, r) -> out.append(String.format(Locale.ROOT, "%-20s %9d %9d %6d %9d %7d %7d%n", queue,
                r.requested(), r.completed(), r.failed(), r.cancelled(), r.pending(), r.overdue())));
        return out.toString();
    }
}
