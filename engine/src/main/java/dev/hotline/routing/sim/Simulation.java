package dev.hotline.routing.sim;

import dev.hotline.routing.Agent;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.QueueSpec;
import dev.hotline.routing.RoutingCore;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A discrete-event simulation that drives a real {@link RoutingCore} at accelerated time: Poisson arrivals per
 * {@link CallType}, exponential handle times, optional exponential patience. Agents answer every offer at once, so
 * the measured wait is the queueing delay alone, which is what Erlang C predicts.
 *
 * <p>The clock jumps to whichever comes first, the next simulated event (arrival, call end, caller giving up) or the
 * core's {@link RoutingCore#nextDeadline()}; nothing is polled. One seed fixes every random draw, so a run is
 * reproducible.
 */
public final class Simulation {

    private enum Kind { ARRIVAL, CALL_END, PATIENCE_OUT }

    private record Event(long at, long seq, Kind kind, int type, String id) implements Comparable<Event> {

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final class Stats {
        int arrived;
        int abandoned;
        int leftQueue;
        long[] waits = new long[1024];
        int answered;

        void answer(long wait) {
            if (answered == waits.length) {
                waits = Arrays.copyOf(waits, answered * 2);
            }
            waits[answered++] = wait;
        }
    }

    private final Scenario scenario;
    private final SimClock clock = new SimClock(Instant.parse("2025-01-06T00:00:00Z"));
    private final RoutingCore core = new RoutingCore(clock);
    private final SplittableRandom random;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<String, Integer> typeOfCall = new HashMap<>();
    private final Map<String, Boolean> measured = new HashMap<>();
    private final List<Stats> stats = new ArrayList<>();
    private final ArrayDeque<Decision> pending = new ArrayDeque<>();
    private long seq;
    /** Arrivals scheduled, and arrivals that happened (the first {@code warmUpCalls} of which go unmeasured). */
    private int arrivals;
    private int arrived;

    private Simulation(Scenario scenario) {
        this.scenario = scenario;
        this.random = new SplittableRandom(scenario.seed());
    }

    public static SimulationResult run(Scenario scenario) {
        return new Simulation(scenario).run();
    }

    private SimulationResult run() {
        for (QueueSpec q : scenario.queues()) {
            send(new Command.DefineQueue(q));
        }
        for (Agent a : scenario.agents()) {
            send(new Command.DefineAgent(a));
            send(new Command.LogIn(a.id()));
            send(new Command.SetReady(a.id()));
        }
        for (int t = 0; t < scenario.callTypes().size(); t++) {
            stats.add(new Stats());
            scheduleArrival(t);
        }
        while (!events.isEmpty()) {
            long deadline = core.nextDeadline().map(clock::nanosOf).orElse(Long.MAX_VALUE);
            if (deadline <= events.peek().at()) {
                clock.setNanos(Math.max(deadline, clock.nanos()));
                drain(core.tick());
                continue;
            }
            Event e = events.poll();
            clock.setNanos(e.at());
            switch (e.kind()) {
                case ARRIVAL -> arrive(e.type());
                case CALL_END -> send(new Command.CallEnded(e.id()));
                case PATIENCE_OUT -> {
                    if (core.queueOf(e.id()).isPresent()) {
                        stats(e.id()).ifPresent(s -> s.abandoned++);
                        typeOfCall.remove(e.id());
                        send(new Command.Leave(e.id(), "abandoned"));
                    }
                }
            }
        }
        Map<String, SimulationResult.TypeResult> results = new HashMap<>();
        for (int t = 0; t < stats.size(); t++) {
            Stats s = stats.get(t);
            results.put(scenario.callTypes().get(t).name(), new SimulationResult.TypeResult(s.arrived, s.abandoned,
                    s.leftQueue, Arrays.copyOf(s.waits, s.answered)));
        }
        return new SimulationResult(results);
    }

    private void scheduleArrival(int type) {
        if (arrivals >= scenario.calls()) {
            return;
        }
        arrivals++;
        double gap = exponential(1 / scenario.callTypes().get(type).callsPerSecond());
        events.add(new Event(clock.nanos() + seconds(gap), seq++, Kind.ARRIVAL, type, null));
    }

    private void arrive(int type) {
        CallType ct = scenario.callTypes().get(type);
        String id = "call-" + seq++;
        boolean counted = arrived++ >= scenario.warmUpCalls();
        typeOfCall.put(id, type);
        measured.put(id, counted);
        if (counted) {
            stats.get(type).arrived++;
        }
        ct.meanPatience().ifPresent(p -> events.add(new Event(clock.nanos() + seconds(exponential(p.toNanos() / 1e9)),
                seq++, Kind.PATIENCE_OUT, type, id)));
        Call call = new Call(id, ct.queue(), ct.priority(), ct.skills(), Optional.empty(),
                Optional.empty(), Map.of());
        send(new Command.Enqueue(call));
        scheduleArrival(type);
    }

    private Optional<Stats> stats(String callId) {
        Integer type = typeOfCall.get(callId);
        return type == null || !measured.getOrDefault(callId, false) ? Optional.empty()
                : Optional.of(stats.get(type));
    }

    private void send(Command command) {
        drain(core.handle(command));
    }

    /** Acts on decisions; answering an offer yields more, handled in order without recursion. */
    private void drain(List<Decision> decisions) {
        pending.addAll(decisions);
        while (!pending.isEmpty()) {
            Decision d = pending.poll();
            switch (d) {
                case Decision.Offer o -> pending.addAll(core.handle(new Command.OfferAnswered(o.callId(),
                        o.agentId())));
                case Decision.CallAnswered a -> {
                    Integer type = typeOfCall.remove(a.callId());
                    if (measured.remove(a.callId())) {
                        stats.get(type).answer(a.waited().toNanos());
                    }
                    double handle = exponential(scenario.callTypes().get(type).meanHandleTime().toNanos() / 1e9);
                    events.add(new Event(clock.nanos() + seconds(handle), seq++, Kind.CALL_END, type, a.agentId()));
                }
                case Decision.MaxWaitReached m -> left(m.callId());
                case Decision.ExitedQueue x -> left(x.callId());
                case Decision.QueueFull f -> left(f.callId());
                case Decision.CommandRejected r -> throw new IllegalStateException("simulation bug: " + r);
                default -> {
                }
            }
        }
    }

    private void left(String callId) {
        stats(callId).ifPresent(s -> s.leftQueue++);
        typeOfCall.remove(callId);
        measured.remove(callId);
    }

    private double exponential(double mean) {
        return -Math.log(1 - random.nextDouble()) * mean;
    }

    private static long seconds(double s) {
        return Math.max(1, Math.round(s * 1e9));
    }
}
