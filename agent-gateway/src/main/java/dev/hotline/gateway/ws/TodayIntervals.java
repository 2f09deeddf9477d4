package dev.hotline.gateway.ws;

import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;
import dev.hotline.api.CallReports;

import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A day's figures per queue and 15-minute interval for the wallboard's chart and its "service level this
 * interval" column. They come from the call records through {@link CallReports}, so the wallboard and
 * {@code hotline report --by 15m} count alike (a queue visit counts in the interval it entered the queue) and a
 * restart of the engine loses nothing of the day.
 *
 * <p>The whole day is read from the database at the start, at local midnight and every
 * {@link #FULL_REFRESH_SECONDS} s (which also picks up records other writers stored). In between, each call record
 * the writer commits is folded in ({@link #stored}): its visits are counted with the same calculator and added to
 * their intervals' rows, once per call (ids already counted are skipped). A call's cost is then its own record,
 * not the day so far (the view was read again, with 12 h of look-back, 1.5 s after every call). Everything runs on
 * the view's own thread (a slow or absent database never holds up the live pushes); a changed view is handed to the
 * listener at most every {@link #SOON_MILLIS} ms. While the database fails, the last good view is kept and
 * {@code error} says why.
 */
public final class TodayIntervals implements AutoCloseable {

    public static final Grouping INTERVAL = Grouping.M15;
    static final long REFRESH_SECONDS = 15;
    static final long FULL_REFRESH_SECONDS = 600;
    private static final long MINUTES = 15;
    /** The chart's interval in minutes. */
    public static final long INTERVAL_MINUTES = MINUTES;
    static final long SOON_MILLIS = 1500;

    private static final Logger log = LoggerFactory.getLogger(TodayIntervals.class);

    private final CallReports reports;
    private final InstantSource clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gateway-intervals");
        t.setDaemon(true);
        return t;
    });
    private volatile Map<String, Object> today;
    private volatile Map<String, Double> currentServiceLevel = Map.of();
    private volatile String failure;
    private volatile Consumer<Map<String, Object>> listener = m -> { };
    private final java.util.concurrent.atomic.AtomicBoolean soon = new java.util.concurrent.atomic.AtomicBoolean();
    /** When the whole day was last read (clock time); null before the first read. */
    private volatile Instant lastFull;
    /** The calls counted in {@link #today} (the last whole-day read's and those folded in since). */
    private final Set<CallId> counted = new HashSet<>();

    public TodayIntervals(CallReports reports, InstantSource clock) {
        this.reports = Objects.requireNonNull(reports, "reports");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.today = empty(LocalDate.now(clock.withZone(reports.zone())));
    }

    public ZoneId zone() {
        return reports.zone();
    }

    /** Reads the day now, then checks every {@link #REFRESH_SECONDS} s; {@code changed} gets each new view. */
    public TodayIntervals start(Consumer<Map<String, Object>> changed) {
        this.listener = changed;
        timer.scheduleWithFixedDelay(() -> {
            if (tick()) {
                listener.accept(today);
            }
        }, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Call records the database has just committed (the record writer's thread): folded in on the view's thread,
     * the new view told within {@link #SOON_MILLIS} ms (records committed meanwhile share that push).
     */
    public void stored(List<CallRecord> records) {
        List<CallRecord> copy = List.copyOf(records);
        try {
            timer.execute(() -> {
                if (fold(copy)) {
                    tellSoon();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void tellSoon() {
        if (soon.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    soon.set(false);
                    listener.accept(today);
                }, SOON_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                soon.set(false);   // closing
            }
        }
    }

    /**
     * The periodic check: reads the whole day when none was read yet, the day changed, the database failed last
     * time or the last read is {@link #FULL_REFRESH_SECONDS} s old; otherwise only moves "this interval" on when
     * a new interval began. True when the view changed.
     */
    public boolean tick() {
        Instant now = clock.instant();
        if (wholeDayDue(now)) {
            return refresh();
        }
        Map<String, Double> sl = serviceLevels(today, now);
        boolean changed = !sl.equals(currentServiceLevel);
        currentServiceLevel = sl;
        return changed;
    }

    private boolean wholeDayDue(Instant now) {
        Instant full = lastFull;
        return full == null || failure != null
                || !LocalDate.ofInstant(now, reports.zone()).toString().equals(today.get("date"))
                || !now.isBefore(full.plusSeconds(FULL_REFRESH_SECONDS));
    }

    /**
     * Adds the visits of records not counted yet to their intervals' rows (the whole day is read instead when
     * {@link #tick} would read it). True when the view changed.
     */
    public boolean fold(List<CallRecord> records) {
        Instant now = clock.instant();
        if (wholeDayDue(now)) {
            return refresh();
        }
        List<CallRecord> fresh = new ArrayList<>(records.size());
        for (CallRecord r : records) {
            // A call journaled in progress is counted when its finished record comes (else that one would be skipped).
            if (r.outcome() != CallOutcome.IN_PROGRESS && counted.add(r.callId())) {
                fresh.add(r);
            }
        }
        if (fresh.isEmpty()) {
            return false;
        }
        ZoneId zone = reports.zone();
        LocalDate day = LocalDate.ofInstant(now, zone);
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> old = (Map<String, List<Map<String, Object>>>) today.get("queues");
        Map<String, List<Map<String, Object>>> queues = new LinkedHashMap<>();
        old.forEach((q, rows) -> queues.put(q, new ArrayList<>(rows)));
        boolean added = false;
        for (QueueKpis k : reports.queues(fresh, dayStart, dayEnd, INTERVAL)) {
            if (k.offered() == 0 && k.answered() == 0 && k.abandoned() == 0) {
                continue;
            }
            added = true;
            List<Map<String, Object>> rows = queues.computeIfAbsent(k.queue(), q -> new ArrayList<>());
            String start = k.intervalStart().toString();
            int at = 0;
            while (at < rows.size() && ((String) rows.get(at).get("start")).compareTo(start) < 0) {
                at++;
            }
            if (at < rows.size() && rows.get(at).get("start").equals(start)) {
                rows.set(at, plus(rows.get(at), k));
            } else {
                rows.add(at, row(dayStart, k));
            }
        }
        if (!added) {
            return false;
        }
        Map<String, Object> view = new LinkedHashMap<>(today);
        view.put("queues", queues);
        return adopt(view, now);
    }

    /** Reads the whole day from the database; true when the view differs from the last one. */
    public boolean refresh() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, reports.zone());
        try {
            Set<CallId> ids = new HashSet<>();
            Map<String, Object> fresh = day(day, ids);
            counted.clear();
            counted.addAll(ids);
            lastFull = now;
            return adopt(fresh, now);
        } catch (SQLException | RuntimeException e) {
            return failed(e);
        }
    }

    private boolean adopt(Map<String, Object> fresh, Instant now) {
        boolean changed = !fresh.equals(today) || failure != null;
        today = fresh;
        currentServiceLevel = serviceLevels(fresh, now);
        if (failure != null) {
            log.info("wallboard intervals: the call records are readable again");
        }
        failure = null;
        return changed;
    }

    /** "This interval" is the day's row of the running interval: no second query. */
    private Map<String, Double> serviceLevels(Map<String, Object> view, Instant now) {
        Map<String, Double> sl = new LinkedHashMap<>();
        String current = INTERVAL.start(now, reports.zone()).toString();
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> queues = (Map<String, List<Map<String, Object>>>) view.get("queues");
        queues.forEach((queue, rows) -> rows.stream()
                .filter(r -> current.equals(r.get("start")) && r.get("serviceLevel") instanceof Double)
                .findFirst().ifPresent(r -> sl.put(queue, (Double) r.get("serviceLevel"))));
        return Map.copyOf(sl);
    }

    private boolean failed(Exception e) {
        String why = "cannot read today's call records: " + e.getMessage();
        if (!why.equals(failure)) {
            log.warn("wallboard intervals: {} (keeping the last figures)", why);
        }
        boolean changed = !why.equals(failure);
        failure = why;
        Map<String, Object> kept = new LinkedHashMap<>(today);
        kept.put("error", why);
        today = kept;
        return changed;
    }

    /** The last view of today (see {@link #day}), with {@code error} while the database fails. */
    public Map<String, Object> today() {
        return today;
    }

    /** The service level of the interval now running, when a call in it counts yet. */
    public OptionalDouble currentServiceLevel(String queue) {
        Double v = currentServiceLevel.get(queue);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /**
     * One local day: {@code {date, zone, intervalMinutes, dayStart, slots, queues: {name: [{slot, start, end,
     * offered, answered, abandoned, answeredWithinSl, serviceLevel}, …]}}} ({@code slot}: the interval's index from
     * local midnight), queue {@code *} being all queues together; intervals with
     * no call are left out.
     */
    public Map<String, Object> day(LocalDate day) throws SQLException {
        return day(day, new HashSet<>());
    }

    private Map<String, Object> day(LocalDate day, Set<CallId> ids) throws SQLException {
        ZoneId zone = reports.zone();
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        Instant now = clock.instant();
        Map<String, Object> out = empty(day);
        out.put("dayStart", from.toString());
        // 96 slots, or 92 / 100 on the days clocks change.
        out.put("slots", java.time.Duration.between(from, to).toMinutes() / MINUTES);
        if (to.isAfter(now)) {
            to = now.isAfter(from) ? INTERVAL.next(INTERVAL.start(now, zone), zone) : from;
        }
        if (!to.isAfter(from)) {
            return out;
        }
        // Finished calls only: one still in progress is folded in when its finished record is stored.
        List<CallRecord> calls = reports.calls(from, to).stream().filter(c -> c.outcome() != CallOutcome.IN_PROGRESS)
                .toList();
        calls.forEach(c -> ids.add(c.callId()));
        Map<String, List<Map<String, Object>>> queues = new LinkedHashMap<>();
        for (QueueKpis k : reports.queues(calls, from, to, INTERVAL)) {
            if (k.offered() == 0 && k.answered() == 0 && k.abandoned() == 0) {
                continue;
            }
            queues.computeIfAbsent(k.queue(), q -> new ArrayList<>()).add(row(from, k));
        }
        out.put("queues", queues);
        return out;
    }

    private static Map<String, Object> row(Instant dayStart, QueueKpis k) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("slot", java.time.Duration.between(dayStart, k.intervalStart()).toMinutes() / MINUTES);
        i.put("start", k.intervalStart().toString());
        i.put("end", k.intervalEnd().toString());
        i.put("offered", k.offered());
        i.put("answered", k.answered());
        i.put("abandoned", k.abandoned());
        i.put("answeredWithinSl", k.answeredWithinSl());
        OptionalDouble sl = k.serviceLevel();
        i.put("serviceLevel", sl.isPresent() ? sl.getAsDouble() : null);
        return i;
    }

    /** A row with {@code k}'s counts added; the service level recomputed from the sums as QueueKpis does. */
    private static Map<String, Object> plus(Map<String, Object> row, QueueKpis k) {
        Map<String, Object> i = new LinkedHashMap<>(row);
        long offered = (Long) row.get("offered") + k.offered();
        long within = (Long) row.get("answeredWithinSl") + k.answeredWithinSl();
        i.put("offered", offered);
        i.put("answered", (Long) row.get("answered") + k.answered());
        i.put("abandoned", (Long) row.get("abandoned") + k.abandoned());
        i.put("answeredWithinSl", within);
        i.put("serviceLevel", offered <= 0 ? null : (double) within / offered);
        return i;
    }

    private Map<String, Object> empty(LocalDate day) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", day.toString());
        m.put("zone", reports.zone().getId());
        m.put("intervalMinutes", MINUTES);
        m.put("queues", Map.of());
        return m;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
