package dev.hotline.outbound.sim;

import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Outcome;
import dev.hotline.outbound.Pacer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event day of an outbound campaign: agents, an endless contact list whose people answer, are busy, do
 * not answer or have a machine with rates that change through the day ({@link Segment}s), and the dialler in
 * progressive or predictive mode. Predictive mode asks the real {@link Pacer} every second; a person who answers
 * with no agent free waits at most {@code abandonAfter} (2 s) for one, else is abandoned. Same seed, same day.
 *
 * <p>Measured: connected calls per agent-hour, the agents' mean wait between calls (time ready with no call, per
 * connected call), the abandon rate (abandoned / live answers) overall and its worst value over the pacer's rolling
 * window, sampled every second once a whole window has passed.
 */
public final class DialerSimulation {

    /** From {@code at} (since the start of the day) on, these outcome rates (the rest does not answer). */
    public record Segment(Duration at, double human, double machine, double busy) {
        public Segment {
            if (human < 0 || machine < 0 || busy < 0 || human + machine + busy > 1) {
                throw new IllegalArgumentException("segment rates: human " + human + ", machine " + machine + ", busy "
                        + busy + " (expected: each >= 0, sum <= 1)");
            }
        }
    }

    /**
     * @param agents       agents working the campaign
     * @param day          length of the simulated day
     * @param segments     outcome rates through the day (first at 0)
     * @param talkMean     mean talk time (exponential, at least 20 s)
     * @param wrapUp       wrap-up after each connected call
     * @param ringTimeout  no answer after this
     * @param abandonAfter a person who answered waits at most this for an agent
     * @param pacer        the pacer's settings (predictive mode)
     * @param seed         the random seed
     */
    public record Scenario(int agents, Duration day, List<Segment> segments, Duration talkMean, Duration wrapUp,
                           Duration ringTimeout, Duration abandonAfter, Pacer.Settings pacer, long seed) {
        public Scenario {
            if (agents < 1) {
                throw new IllegalArgumentException("agents: " + agents + " (expected: >= 1)");
            }
            segments = List.copyOf(segments);
            if (segments.isEmpty() || !segments.get(0).at().isZero()) {
                throw new IllegalArgumentException("segments: the first must start at 0");
            }
            Objects.requireNonNull(pacer, "pacer");
        }

        /** An 8-hour day whose answer rate moves 35 % → 20 % → 45 % → 25 %, with 2-minute calls. */
        public static Scenario day(int agents, long seed) {
            return new Scenario(agents, Duration.ofHours(8), List.of(
                    new Segment(Duration.ZERO, 0.35, 0.10, 0.10),
                    new Segment(Duration.ofHours(2), 0.20, 0.15, 0.10),
                    new Segment(Duration.ofHours(4), 0.45, 0.08, 0.07),
                    new Segment(Duration.ofHours(6), 0.25, 0.12, 0.10)),
                    Duration.ofSeconds(120), Duration.ofSeconds(15), Duration.ofSeconds(25), Duration.ofSeconds(2),
                    Pacer.Settings.defaults(), seed);
        }
    }

    /** The day's figures. */
    public record Result(DialMode mode, int agents, long dialled, long connected, long abandoned, long machines,
                         double contactsPerAgentHour, double agentWaitSeconds, double occupancyPct, double abandonPct,
                         double worstWindowAbandonPct) {
        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "dialer-bench: mode=%s agents=%d contacts_per_agent_hour=%.1f agent_wait_s=%.1f occupancy_pct=%.1f"
                            + " abandon_pct=%.2f worst_window_abandon_pct=%.2f dialled=%d connected=%d abandoned=%d",
                    mode.wireName(), agents, contactsPerAgentHour, agentWaitSeconds, occupancyPct, abandonPct,
                    worstWindowAbandonPct, dialled, connected, abandoned);
        }
    }

    private record Event(long at, long seq, Runnable action) {
    }

    private final class Agent {
        boolean free = true;
        boolean reserved;
        long freeSince;
        long busySince;
        long waitedMillis;
    }

    private final class Dialled {
        final Agent reservedFor;
        final long dialledAt;

        Dialled(Agent reservedFor, long dialledAt) {
            this.reservedFor = reservedFor;
            this.dialledAt = dialledAt;
        }
    }

    private final Scenario s;
    private final DialMode mode;
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final List<Agent> agents = new ArrayList<>();
    private final ArrayDeque<long[]> waitingLive = new ArrayDeque<>();   // {answeredAt, ringMillis, id}
    private final Pacer pacer;
    private final Instant epoch = Instant.parse("2026-12-07T08:00:00Z");
    private long seq;
    private long now;
    private int inFlight;
    private long dialled;
    private long connected;
    private long abandoned;
    private long machines;
    private double worstWindow;
    private long waitId;

    private DialerSimulation(Scenario s, DialMode mode) {
        if (mode == DialMode.PREVIEW) {
            throw new IllegalArgumentException("mode: preview (expected: progressive or predictive; preview waits"
                    + " for people)");
        }
        this.s = s;
        this.mode = mode;
        this.random = new SplittableRandom(s.seed());
        this.pacer = new Pacer(s.pacer());
        for (int i = 0; i < s.agents(); i++) {
            agents.add(new Agent());
        }
    }

    /** Runs one day of {@code scenario} in {@code mode}. */
    public static Result run(Scenario scenario, DialMode mode) {
        return new DialerSimulation(scenario, mode).run();
    }

    private Result run() {
        long end = s.day().toMillis();
        if (mode == DialMode.PREDICTIVE) {
            at(0, this::tick);
        } else {
            for (Agent a : agents) {
                at(0, () -> progressiveDial(a));
            }
        }
        while (!events.isEmpty() && events.peek().at <= end) {
            Event e = events.poll();
            now = e.at;
            e.action.run();
        }
        now = end;
        long waited = 0;
        long busy = 0;
        for (Agent a : agents) {
            waited += a.waitedMillis + (a.free ? end - a.freeSince : 0);
        }
        busy = (long) s.agents() * end - waited;
        double hours = s.agents() * end / 3_600_000.0;
        long live = connected + abandoned;
        return new Result(mode, s.agents(), dialled, connected, abandoned, machines, connected / hours,
                connected == 0 ? 0 : waited / 1000.0 / connected, 100.0 * busy / ((double) s.agents() * end),
                live == 0 ? 0 : 100.0 * abandoned / live, worstWindow);
    }

    private void at(long when, Runnable action) {
        events.add(new Event(when, seq++, action));
    }

    private Instant instant() {
        return epoch.plusMillis(now);
    }

    private Segment segment() {
        Segment current = s.segments().get(0);
        for (Segment g : s.segments()) {
            if (g.at().toMillis() <= now) {
                current = g;
            }
        }
        return current;
    }

    // ------------------------------------------------------------------ predictive

    private void tick() {
        List<Duration> busyFor = new ArrayList<>();
        int free = 0;
        for (Agent a : agents) {
            if (a.free) {
                free++;
            } else {
                busyFor.add(Duration.ofMillis(now - a.busySince));
            }
        }
        Pacer.Plan plan = pacer.plan(instant(), free, busyFor, inFlight);
        for (int i = 0; i < plan.dial(); i++) {
            dial(null);
        }
        if (now >= s.pacer().window().toMillis()) {   // a whole window behind us
            worstWindow = Math.max(worstWindow, pacer.abandonPct(instant()));
        }
        at(now + 1000, this::tick);
    }

    // ------------------------------------------------------------------ progressive

    private void progressiveDial(Agent a) {
        if (a.free && !a.reserved) {
            a.reserved = true;
            dial(a);
        }
    }

    // ------------------------------------------------------------------ both

    private void dial(Agent reservedFor) {
        dialled++;
        inFlight++;
        Dialled d = new Dialled(reservedFor, now);
        Segment g = segment();
        double r = random.nextDouble();
        if (r < g.human()) {
            at(now + 4000 + random.nextLong(14_000), () -> humanAnswered(d));
        } else if (r < g.human() + g.machine()) {
            // the machine answers, AMD listens ~3 s
            at(now + 6000 + random.nextLong(10_000), () -> notReached(d, Outcome.MACHINE));
        } else if (r < g.human() + g.machine() + g.busy()) {
            at(now + 1500 + random.nextLong(2000), () -> notReached(d, Outcome.BUSY));
        } else {
            at(now + s.ringTimeout().toMillis(), () -> notReached(d, Outcome.NO_ANSWER));
        }
    }

    private void notReached(Dialled d, Outcome outcome) {
        inFlight--;
        if (outcome == Outcome.MACHINE) {
            machines++;
        }
        pacer.attempted(instant(), outcome, Duration.ofMillis(now - d.dialledAt));
        if (d.reservedFor != null) {
            d.reservedFor.reserved = false;
            progressiveDial(d.reservedFor);
        }
    }

    private void humanAnswered(Dialled d) {
        inFlight--;
        long ring = now - d.dialledAt;
        if (d.reservedFor != null) {
            d.reservedFor.reserved = false;
            connect(d.reservedFor, ring);
            return;
        }
        for (Agent a : agents) {
            if (a.free) {
                connect(a, ring);
                return;
            }
        }
        long id = waitId++;
        long[] w = {now, ring, id};
        waitingLive.addLast(w);
        at(now + s.abandonAfter().toMillis(), () -> {
            if (waitingLive.remove(w)) {
                abandoned++;
                pacer.attempted(instant(), Outcome.ABANDONED, Duration.ofMillis(w[1]));
            }
        });
    }

    private void connect(Agent a, long ringMillis) {
        connected++;
        pacer.attempted(instant(), Outcome.CONNECTED, Duration.ofMillis(ringMillis));
        a.waitedMillis += now - a.freeSince;
        a.free = false;
        a.busySince = now;
        long talk = Math.max(20_000, (long) (-Math.log(1 - random.nextDouble()) * s.talkMean().toMillis()));
        long handle = talk + s.wrapUp().toMillis();
        at(now + handle, () -> {
            pacer.handled(instant(), Duration.ofMillis(handle));
            a.free = true;
            a.freeSince = now;
            long[] w = waitingLive.pollFirst();
            if (w != null) {
                connect(a, w[1]);
            } else if (mode == DialMode.PROGRESSIVE) {
                progressiveDial(a);
            }
        });
    }
}
