package dev.hotline.gateway.ws;

import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;
import dev.hotline.records.report.Reports;

import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A day's figures per queue and 15-minute interval for the wallboard's chart and its "service level this
 * interval" column. They come from the call records through {@link Reports}, so the wallboard and
 * {@code hotline report --by 15m} count alike (a queue visit counts in the interval it entered the queue) and a
 * restart of the engine loses nothing of the day.
 *
 * <p>Today's view is computed on its own thread (a slow or absent database never holds up the live pushes); a
 * change is handed to the listener. The whole day is read at the start, at local midnight and every
 * {@link #FULL_REFRESH_SECONDS} s; in between, every {@link #REFRESH_SECONDS} s and {@link #SOON_MILLIS} ms after
 * calls end, only the running and the previous interval are read again ({@link #refreshRecent}): the cost of a
 * refresh follows the calls of half an hour, not of the day so far (it read the whole day, plus 12 h of
 * look-back, after every call). A call that queued more than one interval before it ended reaches its interval's
 * row at the next whole-day read. While the database fails, the last good view is kept and {@code error} says
 * why.
 */
public final class TodayIntervals implements AutoCloseable {

    public static final Grouping INTERVAL = Grouping.M15;
    static final long REFRESH_SECONDS = 15;
    static final long FULL_REFRESH_SECONDS = 300;
    private static final long MINUTES = 15;
    /** The chart's interval in minutes. */
    public static final long INTERVAL_MINUTES = MINUTES;
    static final long SOON_MILLIS = 3000;

    private static final Logger log = LoggerFactory.getLogger(TodayIntervals.class);

    private final Reports reports;
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

    public TodayIntervals(Reports reports, InstantSource clock) {
        this.reports = Objects.requireNonNull(reports, "reports");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.today = empty(LocalDate.now(clock.withZone(reports.zone())));
    }

    public ZoneId zone() {
        return reports.zone();
    }

    /** Reads the day now and refreshes every {@link #REFRESH_SECONDS} s; {@code changed} gets each new view. */
    public TodayIntervals start(Consumer<Map<String, Object>> changed) {
        this.listener = changed;
        timer.scheduleWithFixedDelay(this::refreshAndTell, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /**
     * A call has ended: its record reaches the database within the writer's batch delay, so the chart is refreshed
     * in {@link #SOON_MILLIS} ms rather than at the next period (calls ending meanwhile share that refresh).
     */
    public void callEnded() {
        if (soon.compareAndSet(false, true)) {
            try {
                timer.schedule(() -> {
                    soon.set(false);
                    refreshAndTell();
                }, SOON_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                soon.set(false);   // closing
            }
        }
    }

    private void refreshAndTell() {
        if (refreshRecent()) {
            listener.accept(today);
        }
    }

    /**
     * Reads the running and the previous interval again and keeps the rest of the last view; reads the whole day
     * instead when the day changed, the last whole-day read is {@link #FULL_REFRESH_SECONDS} s old, or the database
     * failed last time. True when the view changed.
     */
    public boolean refreshRecent() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, reports.zone());
        Instant full = lastFull;
        if (full == null || failure != null || !day.toString().equals(today.get("date"))
                || !now.isBefore(full.plusSeconds(FULL_REFRESH_SECONDS))) {
            return refresh();
        }
        ZoneId zone = reports.zone();
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant running = INTERVAL.start(now, zone);
        Instant from = running.minus(java.time.Duration.ofMinutes(MINUTES));
        if (from.isBefore(dayStart)) {
            from = dayStart;
        }
        try {
            Map<String, List<Map<String, Object>>> recent = rows(dayStart, from, INTERVAL.next(running, zone));
            String cut = from.toString();
            @SuppressWarnings("unchecked")
            Map<String, List<Map<String, Object>>> old = (Map<String, List<Map<String, Object>>>) today.get("queues");
            Map<String, List<Map<String, Object>>> merged = new LinkedHashMap<>();
            old.forEach((queue, list) -> list.stream().filter(r -> Instant.parse((String) r.get("start"))
                    .isBefore(Instant.parse(cut))).forEach(r -> merged.computeIfAbsent(queue,
                    q -> new ArrayList<>()).add(r)));
            recent.forEach((queue, list) -> merged.computeIfAbsent(queue, q -> new ArrayList<>()).addAll(list));
            Map<String, Object> fresh = new LinkedHashMap<>(today);
            fresh.put("queues", merged);
            return adopt(fresh, now);
        } catch (SQLException | RuntimeException e) {
            return failed(e);
        }
    }

    /** Recomputes today's view from the whole day; true when it differs from the last one. */
    public boolean refresh() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, reports.zone());
        try {
            Map<String, Object> fresh = day(day);
            lastFull = now;
            return adopt(fresh, now);
        } catch (SQLException | RuntimeException e) {
            return failed(e);
        }
    }

    private boolean adopt(Map<String, Object> fresh, Instant now) {
        // "This interval" is the day's row of the running interval: no second query.
        Map<String, Double> sl = new LinkedHashMap<>();
        String current = INTERVAL.start(now, reports.zone()).toString();
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> queues = (Map<String, List<Map<String, Object>>>) fresh.get("queues");
        queues.forEach((queue, rows) -> rows.stream()
                .filter(r -> current.equals(r.get("start")) && r.get("serviceLevel") instanceof Double)
                .findFirst().ifPresent(r -> sl.put(queue, (Double) r.get("serviceLevel"))));
        boolean changed = !fresh.equals(today) || failure != null;
        today = fresh;
        currentServiceLevel = Map.copyOf(sl);
        if (failure != null) {
            log.info("wallboard intervals: the call records are readable again");
        }
        failure = null;
        return changed;
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
        out.put("queues", rows(from, from, to));
        return out;
    }

    /** The rows of the intervals from {@code from} to {@code to}, by queue ({@code dayStart} numbers the slots). */
    private Map<String, List<Map<String, Object>>> rows(Instant dayStart, Instant from, Instant to)
            throws SQLException {
        Map<String, List<Map<String, Object>>> queues = new LinkedHashMap<>();
        if (!to.isAfter(from)) {
            return queues;
        }
        for (QueueKpis k : reports.queues(from, to, INTERVAL, Optional.empty())) {
            if (k.offered() == 0 && k.answered() == 0 && k.abandoned() == 0) {
                continue;
            }
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
            queues.computeIfAbsent(k.queue(), q -> new ArrayList<>()).add(i);
        }
        return queues;
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
