package dev.hotline.records.staffing;

import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.report.Grouping;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Agents needed per interval for one queue.
 *
 * <p>Forecast: each interval's volume is the average of the same weekday and time of day over the history weeks
 * (default four); its handle time is the average handle time (talk + hold + wrap-up) of the calls answered in those
 * slots, else of the whole history, else {@code fallbackAht}. Callers' mean patience for Erlang A is estimated from
 * the whole history as total waiting time / abandons (the maximum-likelihood estimate for exponential patience
 * with answered calls as censored observations); with no abandons, no one is assumed to abandon.
 *
 * <p>Requirement: Erlang C agents for the service-level target; Erlang A (simulated) agents with abandonment;
 * each scaled for shrinkage (breaks, training, absence) as {@code ceil(agents / (1 − shrinkage))}.
 */
public final class StaffingPlanner {

    /**
     * @param serviceLevelTarget e.g. 0.8 for 80 % …
     * @param serviceLevelTime   … answered within this
     * @param shrinkage          share of paid time agents are not available for calls, 0 ≤ s < 1
     * @param historyWeeks       weeks of history before the planned range the forecast averages over
     * @param fallbackAht        handle time when the history has no answered call
     */
    public record Settings(double serviceLevelTarget, Duration serviceLevelTime, double shrinkage, int historyWeeks,
                           Duration fallbackAht) {
        public Settings {
            if (!(serviceLevelTarget > 0 && serviceLevelTarget < 1)) {
                throw new IllegalArgumentException("service level target: " + serviceLevelTarget
                        + " (expected: between 0 and 1 exclusive)");
            }
            Objects.requireNonNull(serviceLevelTime, "serviceLevelTime");
            if (!(shrinkage >= 0 && shrinkage < 1)) {
                throw new IllegalArgumentException("shrinkage: " + shrinkage + " (expected: 0 <= shrinkage < 1)");
            }
            if (historyWeeks < 1 || historyWeeks > 104) {
                throw new IllegalArgumentException("history weeks: " + historyWeeks + " (expected: 1-104)");
            }
            if (fallbackAht.isNegative() || fallbackAht.isZero()) {
                throw new IllegalArgumentException("fallback AHT: " + fallbackAht + " (expected: > 0)");
            }
        }
    }

    /** One interval of the plan. */
    public record Row(Instant intervalStart, double forecastCalls, Duration aht, double erlangs, int erlangCAgents,
                      double erlangCServiceLevel, Duration erlangCAsa, int erlangAAgents, double erlangAServiceLevel,
                      double erlangAAbandonRate, int scheduledErlangC, int scheduledErlangA) {
    }

    private final Settings settings;
    private final ZoneId zone;
    private final AbandonmentSimulator simulator;

    public StaffingPlanner(Settings settings, ZoneId zone, AbandonmentSimulator simulator) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.simulator = Objects.requireNonNull(simulator, "simulator");
    }

    /** The history range the plan for {@code [from, …)} reads: the {@code historyWeeks} weeks before it. */
    public Instant historyStart(Instant from) {
        return from.atZone(zone).minusWeeks(settings.historyWeeks()).toInstant();
    }

    private record Slot(DayOfWeek day, LocalTime time) {
    }

    private static final class Acc {
        long calls;
        long answered;
        long handleMs;
    }

    /** Mean patience estimated from {@code history}, if anyone abandoned. */
    public static Optional<Duration> patience(List<CallRecord> history, String queue) {
        long waitMs = 0;
        long abandons = 0;
        for (CallRecord c : history) {
            for (QueueVisit v : c.queueVisits()) {
                if (v.queue().equals(queue)) {
                    waitMs += v.waited().toMillis();
                    abandons += v.result() == QueueVisit.Result.ABANDONED ? 1 : 0;
                }
            }
        }
        return abandons == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(waitMs / abandons));
    }

    /**
     * Plans {@code [from, to)} for {@code queue} by {@code by} (15, 30 or 60 minutes) from {@code history}: the
     * calls of the {@link #historyStart} weeks before {@code from}.
     */
    public List<Row> plan(List<CallRecord> history, String queue, Instant from, Instant to, Grouping by) {
        if (by != Grouping.M15 && by != Grouping.M30 && by != Grouping.M60) {
            throw new IllegalArgumentException("interval: " + by.label() + " (expected: 15m, 30m or 60m)");
        }
        Map<Slot, Acc> slots = new HashMap<>();
        Acc total = new Acc();
        Instant histFrom = historyStart(from);
        for (CallRecord c : history) {
            for (QueueVisit v : c.queueVisits()) {
                if (!v.queue().equals(queue) || v.enqueuedAt().isBefore(histFrom) || !v.enqueuedAt().isBefore(from)) {
                    continue;
                }
                ZonedDateTime z = by.start(v.enqueuedAt(), zone).atZone(zone);
                Acc a = slots.computeIfAbsent(new Slot(z.getDayOfWeek(), z.toLocalTime()), k -> new Acc());
                for (Acc x : List.of(a, total)) {
                    x.calls++;
                    if (v.isAnswered()) {
                        x.answered++;
                        x.handleMs += v.handleTime().toMillis();
                    }
                }
            }
        }
        Duration overallAht = total.answered > 0 ? Duration.ofMillis(total.handleMs / total.answered)
                : settings.fallbackAht();
        Duration patience = patience(history, queue).orElse(null);
        double hours = switch (by) {
            case M15 -> 0.25;
            case M30 -> 0.5;
            default -> 1.0;
        };
        List<Row> out = new ArrayList<>();
        for (Instant s = by.start(from, zone); s.isBefore(to); s = by.next(s, zone)) {
            ZonedDateTime z = s.atZone(zone);
            Acc a = slots.getOrDefault(new Slot(z.getDayOfWeek(), z.toLocalTime()), new Acc());
            double calls = (double) a.calls / settings.historyWeeks();
            Duration aht = a.answered > 0 ? Duration.ofMillis(a.handleMs / a.answered) : overallAht;
            double perHour = calls / hours;
            double erlangs = perHour * ErlangC.seconds(aht) / 3600;
            int c = ErlangC.agentsFor(erlangs, aht, settings.serviceLevelTarget(), settings.serviceLevelTime());
            double cSl = ErlangC.serviceLevel(c, erlangs, aht, settings.serviceLevelTime());
            Duration cAsa = c == 0 ? Duration.ZERO : ErlangC.asa(c, erlangs, aht);
            int aAgents = 0;
            double aSl = 1;
            double aAbandon = 0;
            if (c > 0) {
                AbandonmentSimulator.Result r = simulator.agentsFor(perHour, aht, patience,
                        settings.serviceLevelTarget(), settings.serviceLevelTime(), c);
                aAgents = r.agents();
                aSl = r.serviceLevel();
                aAbandon = r.abandonRate();
            }
            out.add(new Row(s, calls, aht, erlangs, c, cSl, cAsa, aAgents, aSl, aAbandon, scheduled(c),
                    scheduled(aAgents)));
        }
        return out;
    }

    int scheduled(int agents) {
        return (int) Math.ceil(agents / (1 - settings.shrinkage()) - 1e-9);
    }
}
