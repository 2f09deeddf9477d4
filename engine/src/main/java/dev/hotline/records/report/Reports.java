package dev.hotline.records.report;

import dev.hotline.config.QueueConfig;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.store.RecordStore;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The report API (what {@code hotline report} prints and the gateway serves): loads the records overlapping a
 * range from the database and hands them to {@link KpiCalculator}.
 *
 * <p>Calls are looked for among those started up to {@code lookback} before the range (default 12 h: longer than
 * any call), and agent transitions from one day before it (to know each agent's state at the start).
 */
public final class Reports {

    /** How far before {@code from} to look for calls still running and for agents' current states. */
    public static final Duration CALL_LOOKBACK = Duration.ofHours(12);
    public static final Duration AGENT_LOOKBACK = Duration.ofDays(1);

    private final RecordStore store;
    private final InstantSource clock;
    private final ZoneId zone;
    private final KpiCalculator calculator;

    /**
     * @param queues        configured queues (service-level time per queue)
     * @param shortAbandon  short-abandon threshold per queue name; {@code defaultShort} for the rest
     */
    public Reports(RecordStore store, InstantSource clock, ZoneId zone, List<QueueConfig> queues,
                   Map<String, Duration> shortAbandon, Duration defaultShort) {
        this(store, clock, zone, fixed(queues), shortAbandon, defaultShort);
    }

    /**
     * Reports whose queues' targets are looked up at each report: {@code queues} gives the queues as now defined
     * (the engine's, which change when an admin retargets a queue), by name.
     */
    public Reports(RecordStore store, InstantSource clock, ZoneId zone,
                   java.util.function.Supplier<Map<String, QueueConfig>> queues, Map<String, Duration> shortAbandon,
                   Duration defaultShort) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.shortAbandon = Map.copyOf(shortAbandon);
        this.defaultShort = Objects.requireNonNull(defaultShort, "defaultShort");
        QueueTargets fallback = new QueueTargets(QueueTargets.DEFAULT.serviceLevelTime(), defaultShort);
        this.calculator = new KpiCalculator(zone, q -> {
            QueueConfig c = queues.get().get(q);
            Duration shortOne = shortAbandon.getOrDefault(q, defaultShort);
            return c != null ? QueueTargets.of(c, shortOne) : new QueueTargets(fallback.serviceLevelTime(), shortOne);
        });
    }

    private final Map<String, Duration> shortAbandon;
    private final Duration defaultShort;

    private static java.util.function.Supplier<Map<String, QueueConfig>> fixed(List<QueueConfig> queues) {
        Map<String, QueueConfig> byName = new HashMap<>();
        queues.forEach(q -> byName.put(q.name(), q));
        Map<String, QueueConfig> copy = Map.copyOf(byName);
        return () -> copy;
    }

    /** The same reports over the same records, with the targets of {@code queues} as they are at each report. */
    public Reports withLiveQueues(java.util.function.Supplier<Map<String, QueueConfig>> queues) {
        return new Reports(store, clock, zone, queues, shortAbandon, defaultShort);
    }

    public ZoneId zone() {
        return zone;
    }

    public List<QueueKpis> queues(Instant from, Instant to, Grouping by, Optional<String> queue) throws SQLException {
        checkRange(from, to);
        return calculator.queues(store.calls(from, to, CALL_LOOKBACK), from, to, by, queue);
    }

    /** The call records a report from {@code from} to {@code to} counts (calls still running at {@code from} too). */
    public List<CallRecord> calls(Instant from, Instant to) throws SQLException {
        checkRange(from, to);
        return store.calls(from, to, CALL_LOOKBACK);
    }

    /** {@link #queues(Instant, Instant, Grouping, Optional)} over records at hand instead of the database's. */
    public List<QueueKpis> queues(List<CallRecord> calls, Instant from, Instant to, Grouping by) {
        checkRange(from, to);
        return calculator.queues(calls, from, to, by, Optional.empty());
    }

    /** Per agent ({@code teams} false) or per team, optionally one team only. */
    public List<AgentKpis> agents(Instant from, Instant to, Grouping by, Optional<String> team, boolean teams)
            throws SQLException {
        checkRange(from, to);
        List<CallRecord> calls = store.calls(from, to, CALL_LOOKBACK);
        List<AgentStateChange> changes = store.agentChanges(from.minus(AGENT_LOOKBACK), to);
        return calculator.agents(calls, changes, from, to, clock.instant(), by, team, teams);
    }

    public List<IvrNodeKpis> ivrNodes(Instant from, Instant to, Grouping by) throws SQLException {
        checkRange(from, to);
        return calculator.ivrNodes(store.calls(from, to, CALL_LOOKBACK), from, to, by);
    }

    private static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("range: from " + from + " to " + to + " (expected: from < to)");
        }
    }
}
