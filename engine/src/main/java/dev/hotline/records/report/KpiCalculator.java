package dev.hotline.records.report;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.Transfer;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Computes report figures from records, with no I/O: the same code serves the database-backed {@link Reports}
 * and the hand-computed KPI tests. Formulas are in docs/RECORDS.md and on the KPI records.
 */
public final class KpiCalculator {

    private final ZoneId zone;
    private final Function<String, QueueTargets> targets;

    public KpiCalculator(ZoneId zone, Function<String, QueueTargets> targets) {
        this.zone = zone;
        this.targets = targets;
    }

    private static final class QueueAcc {
        long offered, answered, abandoned, shortAbandoned, timeouts, callbacks, withinSl, answeredWait, totalWait,
                longestWait, handle, wrapUp, transfers, ivrContained, engineFailed, inProgress, answeredInProgress,
                csatN, csatSat, csatSum;
        final Map<String, Long> dispositions = new TreeMap<>();

        /** {@code live}: the last visit of a call still in progress (waiting, or answered and talking). */
        void visit(QueueVisit v, QueueTargets t, boolean live) {
            long wait = v.waited().toMillis();
            offered++;
            if (live) {
                inProgress++;
                if (v.isAnswered()) {
                    answeredInProgress++;
                }
            }
            totalWait += wait;
            longestWait = Math.max(longestWait, wait);
            switch (v.result()) {
                case ANSWERED -> {
                    answered++;
                    answeredWait += wait;
                    handle += v.handleTime().toMillis();
                    wrapUp += v.wrapUp().toMillis();
                    if (wait <= t.serviceLevelTime().toMillis()) {
                        withinSl++;
                    }
                }
                case ABANDONED -> {
                    abandoned++;
                    if (wait < t.shortAbandon().toMillis()) {
                        shortAbandoned++;
                    }
                }
                case TIMEOUT, OVERFLOW -> timeouts++;
                case CALLBACK -> callbacks++;
                case ENGINE_FAILED -> engineFailed++;
                default -> {
                }
            }
        }

        void finish(CallRecord c) {
            c.surveyScore().ifPresent(s -> {
                csatN++;
                csatSum += s;
                if (s >= 4) {
                    csatSat++;
                }
            });
            c.disposition().ifPresent(d -> dispositions.merge(d, 1L, Long::sum));
        }

        QueueKpis build(Instant start, Instant end, String queue) {
            return new QueueKpis(start, end, queue, offered, answered, abandoned, shortAbandoned, timeouts, callbacks,
                    withinSl, answeredWait, totalWait, longestWait, handle, wrapUp, transfers, ivrContained, engineFailed,
                    inProgress, answeredInProgress, csatN,
                    csatSat, csatSum, dispositions);
        }
    }

    private record Key(Instant start, String name) {
    }

    /**
     * Queue figures per interval for visits that entered a queue in {@code [from, to)}, one row per (interval,
     * queue) that had traffic plus a {@code *} row per interval; {@code onlyQueue} keeps one queue (and no
     * {@code *} row).
     */
    public List<QueueKpis> queues(List<CallRecord> calls, Instant from, Instant to, Grouping by,
                                  Optional<String> onlyQueue) {
        Map<Key, QueueAcc> acc = new TreeMap<>(Comparator.comparing(Key::start).thenComparing(Key::name));
        for (CallRecord c : calls) {
            if (onlyQueue.isEmpty() && c.outcome() == CallOutcome.IVR_COMPLETED && in(c.startedAt(), from, to)) {
                acc.computeIfAbsent(new Key(by.start(c.startedAt(), zone), QueueKpis.ALL), k -> new QueueAcc())
                        .ivrContained++;
            }
            if (onlyQueue.isEmpty() && c.outcome() == CallOutcome.ENGINE_FAILED && c.queueVisits().isEmpty()
                    && in(c.startedAt(), from, to)) {
                acc.computeIfAbsent(new Key(by.start(c.startedAt(), zone), QueueKpis.ALL), k -> new QueueAcc())
                        .engineFailed++;
            }
            List<QueueVisit> visits = c.queueVisits();
            Optional<QueueVisit> last = c.lastAnswered();
            for (QueueVisit v : visits) {
                if (!in(v.enqueuedAt(), from, to) || onlyQueue.filter(q -> !q.equals(v.queue())).isPresent()) {
                    continue;
                }
                Instant start = by.start(v.enqueuedAt(), zone);
                QueueTargets t = targets.apply(v.queue());
                List<QueueAcc> rows = new ArrayList<>(2);
                rows.add(acc.computeIfAbsent(new Key(start, v.queue()), k -> new QueueAcc()));
                if (onlyQueue.isEmpty()) {
                    rows.add(acc.computeIfAbsent(new Key(start, QueueKpis.ALL), k -> new QueueAcc()));
                }
                long transfers = transfersFrom(c, v);
                boolean live = c.outcome() == CallOutcome.IN_PROGRESS && v == visits.getLast();
                for (QueueAcc a : rows) {
                    a.visit(v, t, live);
                    a.transfers += transfers;
                    if (last.isPresent() && last.get() == v) {
                        a.finish(c);
                    }
                }
            }
        }
        List<QueueKpis> out = new ArrayList<>();
        acc.forEach((k, a) -> out.add(a.build(k.start(), by.next(k.start(), zone), k.name())));
        return out;
    }

    /** Transfers made while the agent of answered visit {@code v} had the call (after the answer, by that agent). */
    private static long transfersFrom(CallRecord c, QueueVisit v) {
        if (!v.isAnswered()) {
            return 0;
        }
        int idx = c.queueVisits().indexOf(v);
        Instant until = idx + 1 < c.queueVisits().size() ? c.queueVisits().get(idx + 1).enqueuedAt() : c.endedAt();
        long n = 0;
        for (Transfer t : c.transfers()) {
            boolean byAgent = t.fromAgent().isEmpty() || t.fromAgent().equals(v.agentId());
            if (byAgent && !t.at().isBefore(v.leftAt()) && !t.at().isAfter(until)) {
                n++;
            }
        }
        return n;
    }

    private static final class AgentAcc {
        String team = "";
        long handled, inProgress, handle, noAnswers, ready, reserved, onCall, wrapUp, loggedIn;
        final Map<String, Long> notReady = new TreeMap<>();
        Instant firstLogin;
        Instant lastLogout;

        void add(AgentAcc o) {
            handled += o.handled;
            inProgress += o.inProgress;
            handle += o.handle;
            noAnswers += o.noAnswers;
            ready += o.ready;
            reserved += o.reserved;
            onCall += o.onCall;
            wrapUp += o.wrapUp;
            loggedIn += o.loggedIn;
            o.notReady.forEach((r, ms) -> notReady.merge(r, ms, Long::sum));
            if (o.firstLogin != null && (firstLogin == null || o.firstLogin.isBefore(firstLogin))) {
                firstLogin = o.firstLogin;
            }
            if (o.lastLogout != null && (lastLogout == null || o.lastLogout.isAfter(lastLogout))) {
                lastLogout = o.lastLogout;
            }
        }

        AgentKpis build(Instant start, Instant end, String agent) {
            return new AgentKpis(start, end, team, agent, handled, inProgress, handle, noAnswers, ready, reserved, onCall, wrapUp,
                    notReady, loggedIn, Optional.ofNullable(firstLogin), Optional.ofNullable(lastLogout));
        }
    }

    /**
     * Agent figures per interval. {@code changes} must include transitions from before {@code from} (the state an
     * agent was in at {@code from} is the last one before it); states run until the next transition, or until
     * {@code now} for the current one. With {@code teams} true, rows are teams ({@code agentId} {@code *}).
     */
    public List<AgentKpis> agents(List<CallRecord> calls, List<AgentStateChange> changes, Instant from, Instant to,
                                  Instant now, Grouping by, Optional<String> onlyTeam, boolean teams) {
        Map<Key, AgentAcc> acc = new TreeMap<>(Comparator.comparing(Key::start).thenComparing(Key::name));
        Map<String, List<AgentStateChange>> byAgent = new TreeMap<>();
        for (AgentStateChange ch : changes) {
            byAgent.computeIfAbsent(ch.agentId(), k -> new ArrayList<>()).add(ch);
        }
        Map<String, String> teamOf = new HashMap<>();
        Instant stop = now.isBefore(to) ? now : to;
        for (var e : byAgent.entrySet()) {
            List<AgentStateChange> list = e.getValue();
            // Transitions of one millisecond (log in, then ready) count in the order they happened.
            list.sort(Comparator.comparing(AgentStateChange::at).thenComparingLong(AgentStateChange::seq));
            teamOf.put(e.getKey(), list.getLast().team());
            for (int i = 0; i < list.size(); i++) {
                AgentStateChange ch = list.get(i);
                Instant end = i + 1 < list.size() ? list.get(i + 1).at() : stop;
                addState(acc, e.getKey(), ch, ch.at(), end, from, stop, by);
                if (in(ch.at(), from, to)) {
                    AgentAcc a = acc.computeIfAbsent(new Key(by.start(ch.at(), zone), e.getKey()), k -> new AgentAcc());
                    if (ch.from() == AgentPhase.LOGGED_OUT && ch.to() != AgentPhase.LOGGED_OUT
                            && a.firstLogin == null) {
                        a.firstLogin = ch.at();
                    }
                    if (ch.to() == AgentPhase.LOGGED_OUT && ch.from() != AgentPhase.LOGGED_OUT) {
                        a.lastLogout = ch.at();
                    }
                }
            }
        }
        for (CallRecord c : calls) {
            for (QueueVisit v : c.queueVisits()) {
                if (v.isAnswered() && in(v.leftAt(), from, to)) {
                    AgentAcc a = acc.computeIfAbsent(new Key(by.start(v.leftAt(), zone), v.agentId().orElseThrow()),
                            k -> new AgentAcc());
                    a.handled++;
                    a.handle += v.handleTime().toMillis();
                    if (c.outcome() == CallOutcome.IN_PROGRESS && v == c.queueVisits().getLast()) {
                        a.inProgress++;   // still talking: no handle time yet
                    }
                }
            }
            for (Offer o : c.offers()) {
                if (o.outcome() == Offer.Outcome.NO_ANSWER && in(o.offeredAt(), from, to)) {
                    acc.computeIfAbsent(new Key(by.start(o.offeredAt(), zone), o.agentId()), k -> new AgentAcc())
                            .noAnswers++;
                }
            }
        }
        Map<Key, AgentAcc> rows = new TreeMap<>(Comparator.comparing(Key::start).thenComparing(Key::name));
        for (var e : acc.entrySet()) {
            String team = teamOf.getOrDefault(e.getKey().name(), "");
            if (onlyTeam.isPresent() && !onlyTeam.get().equals(team)) {
                continue;
            }
            e.getValue().team = team;
            if (teams) {
                AgentAcc t = rows.computeIfAbsent(new Key(e.getKey().start(), team), k -> new AgentAcc());
                t.team = team;
                t.add(e.getValue());
            } else {
                rows.put(e.getKey(), e.getValue());
            }
        }
        List<AgentKpis> out = new ArrayList<>();
        rows.forEach((k, a) -> out.add(a.build(k.start(), by.next(k.start(), zone), teams ? "*" : k.name())));
        return out;
    }

    /** Adds the state {@code ch.to()} over {@code [start, end)}, clipped to {@code [from, to)}, split by interval. */
    private void addState(Map<Key, AgentAcc> acc, String agent, AgentStateChange ch, Instant start, Instant end,
                          Instant from, Instant to, Grouping by) {
        Instant s = start.isBefore(from) ? from : start;
        Instant e = end.isAfter(to) ? to : end;
        AgentPhase state = ch.to();
        while (s.isBefore(e)) {
            Instant bucket = by.start(s, zone);
            Instant next = by.next(bucket, zone);
            Instant segEnd = next.isBefore(e) ? next : e;
            long ms = segEnd.toEpochMilli() - s.toEpochMilli();
            AgentAcc a = acc.computeIfAbsent(new Key(bucket, agent), k -> new AgentAcc());
            switch (state) {
                case READY -> a.ready += ms;
                case RESERVED -> a.reserved += ms;
                case ON_CALL -> a.onCall += ms;
                case WRAP_UP -> a.wrapUp += ms;
                case NOT_READY -> a.notReady.merge(ch.reason(), ms, Long::sum);
                case LOGGED_OUT -> {
                }
            }
            if (state != AgentPhase.LOGGED_OUT) {
                a.loggedIn += ms;
            }
            s = segEnd;
        }
    }

    /** IVR node figures per interval, by the time the call reached the node. */
    public List<IvrNodeKpis> ivrNodes(List<CallRecord> calls, Instant from, Instant to, Grouping by) {
        record Acc(long[] counts, Map<String, Long> options) {
        }
        Map<Key, Acc> acc = new TreeMap<>(Comparator.comparing(Key::start).thenComparing(Key::name));
        for (CallRecord c : calls) {
            for (IvrStep s : c.ivrPath()) {
                if (!in(s.enteredAt(), from, to)) {
                    continue;
                }
                Acc a = acc.computeIfAbsent(new Key(by.start(s.enteredAt(), zone), s.node()),
                        k -> new Acc(new long[4], new TreeMap<>()));
                a.counts()[0]++;
                switch (s.exit()) {
                    case OPTION -> a.options().merge(s.input(), 1L, Long::sum);
                    case TIMEOUT -> a.counts()[1]++;
                    case INVALID -> a.counts()[2]++;
                    case HANGUP -> a.counts()[3]++;
                    case NEXT -> {
                    }
                }
            }
        }
        List<IvrNodeKpis> out = new ArrayList<>();
        acc.forEach((k, a) -> out.add(new IvrNodeKpis(k.start(), by.next(k.start(), zone), k.name(), a.counts()[0],
                a.options(), a.counts()[1], a.counts()[2], a.counts()[3])));
        return out;
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
