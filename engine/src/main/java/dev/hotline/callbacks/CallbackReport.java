package dev.hotline.callbacks;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Callbacks promised vs kept, per queue and per agent.
 *
 * <p>A callback is <em>on time</em> when it was completed no later than {@code grace} after its due time (a queued
 * callback is due when the caller joined the queue; a scheduled one at its due time), <em>late</em> when completed
 * after that, <em>overdue</em> when still pending past it. A promise is <em>kept</em> when completed on time;
 * {@code kept %} is kept / (requested − cancelled).
 */
public final class CallbackReport {

    /** The agent column for callbacks no agent has tried yet and that have no owner. */
    public static final String UNASSIGNED = "(unassigned)";

    private CallbackReport() {
    }

    /**
     * One group's callbacks: requested, completed (of which on time and late), failed, cancelled, still pending, and
     * overdue (pending more than the grace after their due time).
     */
    public record Row(int requested, int completed, int failed, int cancelled, int pending, int overdue, int onTime,
                      int late) {

        public static final Row EMPTY = new Row(0, 0, 0, 0, 0, 0, 0, 0);

        static Row of(Callback c, Instant now, Duration grace) {
            boolean pending = c.pending();
            boolean completed = c.status() == Callback.Status.COMPLETED;
            Instant deadline = c.dueAt().plus(grace);
            boolean onTime = completed && c.finishedAt().map(f -> !f.isAfter(deadline)).orElse(false);
            return new Row(1, completed ? 1 : 0, c.status() == Callback.Status.FAILED ? 1 : 0,
                    c.status() == Callback.Status.CANCELLED ? 1 : 0, pending ? 1 : 0,
                    pending && deadline.isBefore(now) ? 1 : 0, onTime ? 1 : 0, completed && !onTime ? 1 : 0);
        }

        public Row plus(Row o) {
            return new Row(requested + o.requested, completed + o.completed, failed + o.failed,
                    cancelled + o.cancelled, pending + o.pending, overdue + o.overdue, onTime + o.onTime,
                    late + o.late);
        }

        /** Promises kept: completed on time, over requested minus cancelled; empty when nothing was promised. */
        public java.util.OptionalDouble keptPercent() {
            int promised = requested - cancelled;
            return promised <= 0 ? java.util.OptionalDouble.empty()
                    : java.util.OptionalDouble.of(100.0 * onTime / promised);
        }
    }

    /** The report: rows per queue and per agent (each sorted by name). */
    public record Report(Map<String, Row> byQueue, Map<String, Row> byAgent) {

        public Report {
            byQueue = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byQueue));
            byAgent = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byAgent));
        }

        /** The rows of {@code callbacks}, overdue and on time judged at {@code now} with {@code grace}. */
        public static Report of(List<Callback> callbacks, Instant now, Duration grace) {
            Map<String, Row> queues = new TreeMap<>();
            Map<String, Row> agents = new TreeMap<>();
            for (Callback c : callbacks) {
                Row r = Row.of(c, now, grace);
                queues.merge(c.queue(), r, Row::plus);
                agents.merge(agentOf(c), r, Row::plus);
            }
            return new Report(queues, agents);
        }
    }

    /**
     * Whom a callback counts for: the agent of its last attempt (who kept or broke the promise), else its owner,
     * else {@link #UNASSIGNED}.
     */
    public static String agentOf(Callback c) {
        return c.agentId().or(c::owner).orElse(UNASSIGNED);
    }

    /** Per-queue rows as a fixed-width text table. */
    public static String format(Map<String, Row> rows) {
        return table("queue", rows);
    }

    /** Both tables, per queue then per agent. */
    public static String format(Report report) {
        return table("queue", report.byQueue()) + System.lineSeparator() + table("agent", report.byAgent());
    }

    /**
     * Both groupings as one table for CSV and JSON: column {@code by} is {@code queue} or {@code agent}, each with
     * its total row {@code *}; {@code kept_percent} is empty when nothing was promised.
     */
    public static dev.hotline.records.report.ReportTable table(Report report) {
        List<String> cols = List.of("by", "name", "requested", "completed", "on_time", "late", "failed", "cancelled",
                "pending", "overdue", "kept_percent");
        List<List<Object>> out = new java.util.ArrayList<>();
        for (var group : List.of(Map.entry("queue", report.byQueue()), Map.entry("agent", report.byAgent()))) {
            Row total = Row.EMPTY;
            for (Map.Entry<String, Row> e : group.getValue().entrySet()) {
                out.add(cells(group.getKey(), e.getKey(), e.getValue()));
                total = total.plus(e.getValue());
            }
            out.add(cells(group.getKey(), "*", total));
        }
        return new dev.hotline.records.report.ReportTable(cols, out);
    }

    private static List<Object> cells(String by, String name, Row r) {
        Object kept = r.keptPercent().isPresent() ? Math.round(r.keptPercent().getAsDouble() * 10) / 10.0 : null;
        return java.util.Arrays.asList(by, name, r.requested(), r.completed(), r.onTime(), r.late(), r.failed(),
                r.cancelled(), r.pending(), r.overdue(), kept);
    }

    private static String table(String first, Map<String, Row> rows) {
        String head = "%-20s %9s %9s %7s %5s %6s %9s %7s %7s %6s%n";
        String line = "%-20s %9d %9d %7d %5d %6d %9d %7d %7d %6s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, head, first, "requested", "completed",
                "on-time", "late", "failed", "cancelled", "pending", "overdue", "kept"));
        Row total = Row.EMPTY;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            out.append(row(line, e.getKey(), e.getValue()));
            total = total.plus(e.getValue());
        }
        if (rows.size() > 1) {
            out.append(row(line, "*", total));
        }
        return out.toString();
    }

    private static String row(String line, String name, Row r) {
        String kept = r.keptPercent().isPresent()
                ? String.format(Locale.ROOT, "%.0f%%", r.keptPercent().getAsDouble()) : "-";
        return String.format(Locale.ROOT, line, name, r.requested(), r.completed(), r.onTime(), r.late(), r.failed(),
                r.cancelled(), r.pending(), r.overdue(), kept);
    }
}
