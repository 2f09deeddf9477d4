package dev.hotline.acd;

import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.RoutingCore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Checks the ACD's invariants every few seconds and keeps the last result for {@code /health} and the metrics:
 * every call held has a FastAGI session (or is being redirected to its next one); no agent is reserved for or
 * talking to a call Hotline does not hold; the routing core waits for no call Hotline does not hold. Something is a
 * violation only when two checks in a row see it (a call ending races its agent's release by a few milliseconds);
 * each violation is logged once, with the call id. It is also repaired, since nothing else would ever end a call
 * Hotline does not hold: an agent held by such a call is released to ready, a call the routing core has waiting is
 * removed; so a lost release costs one agent at most ten seconds, never a shift.
 */
final class CallWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallWatch.class);
    static final Duration EVERY = Duration.ofSeconds(5);
    /** How long a call may be between sessions (a redirect landing) before it counts as without a session. */
    static final Duration REDIRECT_GRACE = Duration.ofSeconds(10);
    /** Who the agent-state history names when the watch releases an agent stranded by a call that is gone. */
    static final String REPAIRER = "hotline (call gone)";

    private final CallRegistry calls;
    private final Supplier<Map<String, AgentState>> agents;
    private final Predicate<String> ownedElsewhere;
    private final AcdLoop loop;
    private final Thread thread;
    private final Set<String> suspects = new HashSet<>();
    private final Set<String> logged = new HashSet<>();
    private volatile Invariants last = new Invariants(0, 0, 0, 0);
    private volatile boolean closed;
    /** Repairs made since start (each agent released or phantom removed once); should stay 0. */
    private final Counter repairs;

    /**
     * @param ownedElsewhere call ids another part of the engine holds (callbacks), which the ACD's registry does not
     */
    CallWatch(CallRegistry calls, Supplier<Map<String, AgentState>> agents, Predicate<String> ownedElsewhere,
              AcdLoop loop, MeterRegistry registry) {
        this.calls = calls;
        this.agents = agents;
        this.ownedElsewhere = ownedElsewhere;
        this.loop = loop;
        this.thread = Thread.ofVirtual().name("acd-watch").unstarted(this::run);
        Gauge.builder("hotline.acd.invariant.calls.without.session", this, w -> w.last.callsWithoutSession())
                .description("Calls held with no FastAGI session and not being redirected (should be 0)")
                .register(registry);
        Gauge.builder("hotline.acd.invariant.agents.on.missing.calls", this, w -> w.last.agentsOnMissingCalls())
                .description("Agents reserved, ringing or talking for a call Hotline does not hold (should be 0)")
                .register(registry);
        Gauge.builder("hotline.acd.invariant.phantom.waiting", this, w -> w.last.phantomWaiting())
                .description("Calls the routing core has waiting that Hotline does not hold (should be 0)")
                .register(registry);
        this.repairs = Counter.builder("hotline.acd.watch.repairs")
                .description("Agents the watch released and phantom waiting calls it removed, because no other path"
                        + " ended them (should stay 0: each one is a lost release)")
                .register(registry);
    }

    CallWatch start() {
        thread.start();
        return this;
    }

    Invariants last() {
        return last;
    }

    /** How many repairs the watch has made since start (see {@link #check}). */
    long repairs() {
        return (long) repairs.count();
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(EVERY);
                check();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("ACD watch: check failed: {}", e.toString());
            }
        }
    }

    /** One check: counts what two checks in a row saw, logs each new violation once. */
    synchronized Invariants check() {
        Set<String> seen = new HashSet<>();
        long now = System.nanoTime();
        int withoutSession = 0;
        for (ActiveCall call : calls.all()) {
            if (call.phase() == CallPhase.ENDED || call.hasSession()
                    || call.betweenSessions() && now - call.lastDetachNanos() < REDIRECT_GRACE.toNanos()) {
                continue;
            }
            String key = "session|" + call.id;
            seen.add(key);
            if (suspects.contains(key)) {
                withoutSession++;
                report(key, "call " + call.id + " is " + call.phase() + " with no FastAGI session");
            }
        }
        int onMissing = 0;
        for (Map.Entry<String, AgentState> e : agents.get().entrySet()) {
            String callId = switch (e.getValue()) {
                case AgentState.Reserved r -> r.callId();
                case AgentState.OnCall c -> c.callId();
                default -> null;
            };
            if (callId == null || calls.get(callId).isPresent() || ownedElsewhere.test(callId)) {
                continue;
            }
            String key = "agent|" + e.getKey() + "|" + callId;
            seen.add(key);
            if (suspects.contains(key)) {
                onMissing++;
                if (report(key, "agent " + e.getKey() + " is " + e.getValue() + " for call " + callId
                        + ", which Hotline does not hold; released to ready")) {
                    // Nothing will ever end a call Hotline does not hold, so the agent would stay stranded: an
                    // offer leaves routing with its call (freeing the agent); a call up ends for routing.
                    loop.post(e.getValue() instanceof AgentState.Reserved
                            ? new Command.Leave(callId, "call gone")
                            : new Command.Force(e.getKey(), new AgentState.Ready(), REPAIRER));
                    repairs.increment();
                }
            }
        }
        int phantom = 0;
        try {
            List<RoutingCore.WaitingCall> waiting = loop.ask(RoutingCore::waiting).get(2, TimeUnit.SECONDS);
            for (RoutingCore.WaitingCall w : waiting) {
                if (calls.get(w.callId()).isPresent() || ownedElsewhere.test(w.callId())) {
                    continue;
                }
                String key = "waiting|" + w.callId();
                seen.add(key);
                if (suspects.contains(key)) {
                    phantom++;
                    if (report(key, "the routing core has call " + w.callId() + " waiting, which Hotline does not"
                            + " hold; removed")) {
                        // It would be offered to agent after agent, each offer ringing nobody.
                        loop.post(new Command.Leave(w.callId(), "call gone"));
                        repairs.increment();
                    }
                }
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("ACD watch: no answer from the loop ({})", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        suspects.clear();
        suspects.addAll(seen);
        logged.retainAll(seen);   // a violation that went away and comes back is logged again
        last = new Invariants(calls.size(), withoutSession, onMissing, phantom);
        return last;
    }

    /** Logs a violation the first time it is seen; true then. */
    private boolean report(String key, String what) {
        if (logged.add(key)) {
            log.error("ACD invariant violated: {}", what);
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
