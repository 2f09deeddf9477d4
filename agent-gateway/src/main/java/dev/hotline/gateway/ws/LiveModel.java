package dev.hotline.gateway.ws;

import dev.hotline.api.AgentChange;
import dev.hotline.api.AgentStatus;
import dev.hotline.api.WaitingCall;
import dev.hotline.config.QueueConfig;
import dev.hotline.events.CallEvent;
import dev.hotline.events.LiveStats;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the live views know, fed only by events: call events (the calls in Hotline's hands, each agent's last call,
 * today's counters), agent state changes (with the engine's timestamps), the routing core's waiting list, and the
 * samples taken every 10 s. Pure: no threads, sockets, JSON or engine services; {@link LiveHub} feeds it on its one
 * thread, {@link LiveViews} reads it (reads from other threads see a consistent value per call or agent).
 */
public final class LiveModel {

    /** Service-level samples kept per queue: one every 10 s, the last hour. */
    static final int SAMPLES = 360;

    /** A call the gateway has seen queue, as long as it is in Hotline's hands. */
    public record Call(String id, String queue, String caller, Instant queuedAt, Map<String, String> data,
                       Optional<String> agentId, Optional<Instant> answeredAt) {

        Call withAgent(Optional<String> agent) {
            return new Call(id, queue, caller, queuedAt, data, agent, answeredAt);
        }

        Call answered(String agent, Instant at) {
            return new Call(id, queue, caller, queuedAt, data, Optional.of(agent), Optional.of(at));
        }
    }

    /** An agent's last call as it ended (what their wrap-up and disposition are about). */
    public record EndedCall(String callId, Optional<Call> call, Duration talk, Instant endedAt) {
    }

    /** An agent's state and since when (the engine's time of the change, or when the gateway first saw it). */
    public record Observed(AgentStatus state, Instant since) {
    }

    /** One service-level sample of a queue ({@code serviceLevel} below 0: nothing answered or abandoned yet). */
    public record Sample(Instant at, double serviceLevel, long offered) {
    }

    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, Observed> observed = new ConcurrentHashMap<>();
    private final Map<String, EndedCall> lastCalls = new ConcurrentHashMap<>();
    /** Not ready asked for during a call: the routing core applies it when the call and its wrap-up end. */
    private final Map<String, String> pendingNotReady = new ConcurrentHashMap<>();
    private final Map<String, Deque<Sample>> history = new ConcurrentHashMap<>();
    private volatile LiveStats stats;
    private volatile LocalDate statsDay;
    private volatile List<WaitingCall> waiting = List.of();
    private String waitingKey = "";

    public LiveModel(List<QueueConfig> queues, LocalDate today) {
        this.stats = new LiveStats(queues);
        this.statsDay = today;
        queues.forEach(q -> history.put(q.name(), new ArrayDeque<>()));
    }

    // ------------------------------------------------------------------------------------------ agents

    /** The states before the gateway subscribed; a change already applied wins (it is newer and exactly timed). */
    public void agentsBefore(Map<String, AgentStatus> states, Instant now) {
        states.forEach((id, s) -> observed.putIfAbsent(id, new Observed(s, now)));
    }

    /** An agent's transition; a pending not ready is forgotten once the agent has neither call nor wrap-up. */
    public void on(AgentChange change) {
        observed.put(change.agentId(), new Observed(change.to(), change.at()));
        if (!(change.to().withCall() || change.to().kind() == AgentStatus.Kind.WRAP_UP)) {
            pendingNotReady.remove(change.agentId());   // applied, or dropped with the call
        }
    }

    public Optional<Observed> observed(String agentId) {
        return Optional.ofNullable(observed.get(agentId));
    }

    /** Not ready asked for while the agent is ringing or on a call (the caller knows): kept for after the call. */
    public void notReadyRequested(String agentId, String reason) {
        pendingNotReady.put(agentId, reason);
    }

    /** Ready or log out asked for: a pending not ready is forgotten; true if there was one. */
    public boolean notReadyCancelled(String agentId) {
        return pendingNotReady.remove(agentId) != null;
    }

    public Optional<String> pendingNotReady(String agentId) {
        return Optional.ofNullable(pendingNotReady.get(agentId));
    }

    // ------------------------------------------------------------------------------------------ calls

    /** Counts and applies a call event ({@link #count} then {@link #apply}). */
    public Optional<Call> on(CallEvent event) {
        count(event);
        return apply(event);
    }

    /** Counts a call event in today's figures (at once, on the thread that emits it). */
    public void count(CallEvent event) {
        stats.on(event);
    }

    /** Applies a call event to the calls; returns the call as it is after it (empty if never seen queuing). */
    public Optional<Call> apply(CallEvent event) {
        return switch (event) {
            case CallEvent.Queued q -> {
                Call c = new Call(q.callId(), q.queue(), q.caller(), q.at(), q.data(), Optional.empty(),
                        Optional.empty());
                calls.put(q.callId(), c);
                yield Optional.of(c);
            }
            case CallEvent.Offered o -> Optional.ofNullable(calls.computeIfPresent(o.callId(),
                    (id, c) -> c.withAgent(Optional.of(o.agentId()))));
            case CallEvent.Answered a -> Optional.ofNullable(calls.computeIfPresent(a.callId(),
                    (id, c) -> c.answered(a.agentId(), a.at())));
            case CallEvent.Ended e -> {
                Optional<Call> ended = Optional.ofNullable(calls.remove(e.callId()));
                if (e.agentId() != null) {
                    lastCalls.put(e.agentId(), new EndedCall(e.callId(), ended, e.talk(), e.at()));
                }
                yield ended;
            }
            case CallEvent.OfferFailed f -> Optional.ofNullable(calls.computeIfPresent(f.callId(),
                    (id, c) -> c.withAgent(Optional.empty())));
            case CallEvent.Abandoned a -> Optional.ofNullable(calls.remove(a.callId()));
            case CallEvent.ExitedQueue x -> Optional.ofNullable(calls.remove(x.callId()));
            case CallEvent.CallbackRequested cb -> Optional.ofNullable(calls.remove(cb.callId()));
            case CallEvent.CallbackAttempted cb -> Optional.ofNullable(calls.get(cb.callId()));
            case CallEvent.RedirectFailed r -> Optional.ofNullable(calls.get(r.callId()));
            case CallEvent.Transferred t -> Optional.ofNullable(calls.get(t.callId()));
        };
    }

    public Optional<Call> call(String callId) {
        return Optional.ofNullable(calls.get(callId));
    }

    /** The calls in Hotline's hands, queued and not yet answered, of {@code queue}. */
    public List<Call> waitingIn(String queue) {
        return calls.values().stream().filter(c -> c.queue().equals(queue) && c.answeredAt().isEmpty()).toList();
    }

    public Optional<EndedCall> lastCall(String agentId) {
        return Optional.ofNullable(lastCalls.get(agentId));
    }

    // ------------------------------------------------------------------------------------------ queues

    /** Today's counters per queue. */
    public List<LiveStats.QueueCounters> counters() {
        return stats.snapshot();
    }

    /** A queue defined or changed by the directory: its counters follow the new definition. */
    public void define(QueueConfig queue) {
        stats.define(queue);
    }

    /** At local midnight today's counters start again from zero, as reports' days do; true if it was a new day. */
    public boolean newDay(LocalDate day, List<QueueConfig> queues) {
        if (day.equals(statsDay)) {
            return false;
        }
        statsDay = day;
        stats = new LiveStats(queues);
        return true;
    }

    /** Takes a service-level sample of every queue (the last {@value #SAMPLES} are kept). */
    public void sample(Instant now) {
        for (LiveStats.QueueCounters c : stats.snapshot()) {
            Deque<Sample> h = history.computeIfAbsent(c.queue(), k -> new ArrayDeque<>());
            synchronized (h) {
                h.addLast(new Sample(now, c.serviceLevel(), c.offered()));
                while (h.size() > SAMPLES) {
                    h.removeFirst();
                }
            }
        }
    }

    /** The samples of {@code queue}, oldest first. */
    public List<Sample> history(String queue) {
        Deque<Sample> h = history.computeIfAbsent(queue, k -> new ArrayDeque<>());
        synchronized (h) {
            return List.copyOf(h);
        }
    }

    // ------------------------------------------------------------------------------------------ waiting calls

    /**
     * The routing core's waiting list, read again; true if it changed other than by the waits growing (call, queue,
     * priority or position), so a steady queue is not re-sent every second.
     */
    public boolean waiting(List<WaitingCall> list) {
        waiting = List.copyOf(list);
        String key = list.stream().map(w -> w.callId() + "/" + w.queue() + "/" + w.priority() + "/" + w.position())
                .reduce("", (a, b) -> a + "," + b);
        boolean changed = !key.equals(waitingKey);
        waitingKey = key;
        return changed;
    }

    /** The waiting calls in queue order, as last read from the routing core. */
    public List<WaitingCall> waiting() {
        return waiting;
    }

    /**
     * The routing core's wait estimate for the last caller in line of {@code queue}: zero when nobody waits, empty
     * when nobody staffs the queue.
     */
    public Optional<Duration> estimatedWait(String queue) {
        Optional<Duration> last = Optional.of(Duration.ZERO);
        for (WaitingCall w : waiting) {
            if (w.queue().equals(queue)) {
                last = w.estimatedWait();
            }
        }
        return last;
    }
}
