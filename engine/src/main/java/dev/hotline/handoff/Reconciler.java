package dev.hotline.handoff;

import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.ami.LiveChannel;
import dev.hotline.records.CallRecords;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * At start, the calls an earlier engine journaled as in progress ({@link CallOutcome#IN_PROGRESS}) and never
 * finished — it failed while it held them — reconciled with what Asterisk has now, so that no call that reached
 * Hotline is missing from the reports or left open:
 * <ul>
 *   <li>A call whose caller comes back through {@code resume} continues its record: {@link #take} hands the record
 *       to the call recorder (one record, the same call id).</li>
 *   <li>A call with a channel still up (listed by AMI {@code CoreShowChannels}) is followed to its end. Talking
 *       (its record's last visit answered by an agent): the agent is on call for routing ({@link Agents#adopt}) so
 *       no new call is offered to them; when either party hangs up the record is closed answered, with the talk
 *       time up to that moment, and the agent is released by the queue's rules ({@link Agents#adoptedEnded}; the
 *       wrap-up they then take goes on the record). Waiting or in the IVR: when the caller's channel hangs up
 *       (abandoned, or ended in the IVR) — unless the caller comes back through {@code resume} first. A hang-up
 *       AMI did not report (it was down) is found by listing the channels again every {@code recheck}.</li>
 *   <li>A call with no channel left is closed as {@link CallOutcome#ENGINE_FAILED}, ended when its record was last
 *       written (the last moment an engine knew of it).</li>
 * </ul>
 * Threads: {@link #load} on the starting thread; {@link #reconcile} on its own virtual thread (it waits for AMI);
 * {@link #onAmiEvent} on asterisk-java's thread and {@link #onAgentChange} on the ACD loop (map look-ups only).
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Records older than this are not looked for: no call lasts a day. */
    private static final Duration HORIZON = Duration.ofDays(1);

    /** How often the channels of followed calls are listed again (a hang-up AMI did not report). */
    static final Duration RECHECK = Duration.ofSeconds(15);

    /** What the reconciler asks of the ACD for a talking call it follows (implemented by {@code acd.Acd}). */
    public interface Agents {
        /** {@code agentId} talks on {@code callId} since {@code answeredAt}: on call for routing, offered nothing. */
        void adopt(String agentId, String callId, String queue, Instant answeredAt);

        /** The adopted call ended: the agent is released as after any call (if still on it). */
        void adoptedEnded(String agentId, String callId);

        /** Call ids that are held outside the ACD's own calls while {@code held} says so (its watch leaves them). */
        void heldElsewhere(Predicate<String> held);

        /** No ACD: the records are still followed and closed. */
        Agents NONE = new Agents() {
            @Override
            public void adopt(String agentId, String callId, String queue, Instant answeredAt) {
            }

            @Override
            public void adoptedEnded(String agentId, String callId) {
            }

            @Override
            public void heldElsewhere(Predicate<String> held) {
            }
        };
    }

    /** One Asterisk as the reconciler sees it: whether AMI is up, and its channels now. */
    interface Switch {
        boolean isUp();

        CompletableFuture<List<LiveChannel>> channels();

        static Switch of(AmiConnection c) {
            return new Switch() {
                @Override
                public boolean isUp() {
                    return c.isUp();
                }

                @Override
                public CompletableFuture<List<LiveChannel>> channels() {
                    return c.channels();
                }
            };
        }
    }

    private final CallRecords records;
    private final Consumer<CallRecord> submit;
    private final Map<String, Switch> switches;
    private final InstantSource clock;
    private final Duration recheck;
    private volatile Agents agents = Agents.NONE;
    /** Unfinished records not yet taken by a resumed call or closed, by call id. */
    private final Map<CallId, CallRecord> unfinished = new ConcurrentHashMap<>();
    /** Of those, the ones whose channels Asterisk still had. */
    private final Map<CallId, CallRecord> followed = new ConcurrentHashMap<>();
    /** Adopted calls closed, by agent, until the agent's wrap-up ends (its length goes on the record). */
    private final Map<String, CallRecord> wrappingUp = new ConcurrentHashMap<>();
    private volatile Thread worker;

    public Reconciler(CallRecords records, Map<String, AmiConnection> ami, InstantSource clock) {
        this(records, records::submit, ami.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> Switch.of(e.getValue()))), clock, RECHECK);
    }

    Reconciler(CallRecords records, Consumer<CallRecord> submit, Map<String, Switch> switches, InstantSource clock,
               Duration recheck) {
        this.records = records;
        this.submit = submit;
        this.switches = Map.copyOf(switches);
        this.clock = clock;
        this.recheck = recheck;
    }

    /**
     * Whom to tell about the agents of talking calls followed (call before {@link #start}): the ACD, which keeps
     * them on call until their call ends.
     */
    public Reconciler agents(Agents acd) {
        this.agents = java.util.Objects.requireNonNull(acd, "acd");
        acd.heldElsewhere(callId -> followed.keySet().stream().anyMatch(id -> id.linkedId().equals(callId)));
        return this;
    }

    /** An unfinished record, as {@link #load} reads them (tests). */
    void add(CallRecord r) {
        unfinished.put(r.callId(), r);
    }

    /**
     * Reads the unfinished records, after the journal's replay reached the database (at most {@code wait}): call it
     * before the FastAGI server opens, so a resumed call finds its record. A database that does not answer is logged;
     * those calls are reconciled at the next start.
     */
    public int load(Duration wait) {
        try {
            if (!records.writer().awaitStored(wait)) {
                log.warn("reconcile: the journal was not in the database within {}; calls in progress at the last"
                        + " stop are reconciled at the next start", wait);
                return 0;
            }
            for (CallRecord r : records.store().unfinished(clock.instant().minus(HORIZON))) {
                unfinished.put(r.callId(), r);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            log.warn("reconcile: cannot read unfinished calls ({}); they are reconciled at the next start",
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!unfinished.isEmpty()) {
            log.info("reconcile: {} call(s) were in progress when the last engine stopped: {}", unfinished.size(),
                    unfinished.keySet());
        }
        return unfinished.size();
    }

    /** The unfinished record of {@code id}, handed over (and no longer reconciled here): a resumed call's. */
    public Optional<CallRecord> take(CallId id) {
        CallRecord r = followed.remove(id);
        if (r != null) {
            // Back in Hotline's hands: an agent kept on call for it is released (its session will say the rest).
            talkingAgent(r).ifPresent(a -> agents.adoptedEnded(a, id.linkedId()));
        }
        return Optional.ofNullable(unfinished.remove(id));
    }

    /** Calls still waiting to be reconciled (loaded, not taken, not closed). */
    public Set<CallId> pending() {
        return Set.copyOf(unfinished.keySet());
    }

    /**
     * Compares the unfinished calls with each Asterisk's channels in the background, once its AMI connection is up
     * (at most {@code wait}; a server that stays down is tried again at the next start).
     */
    public Reconciler start(Duration wait) {
        if (unfinished.isEmpty()) {
            return this;
        }
        worker = Thread.ofVirtual().name("reconcile").start(() -> {
            reconcile(wait);
            try {
                while (!followed.isEmpty()) {
                    Thread.sleep(recheck);
                    recheck();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return this;
    }

    /** The first comparison: every unfinished call followed (channels up) or closed (gone). */
    void reconcile(Duration wait) {
        Set<String> servers = unfinished.keySet().stream().map(CallId::serverId).collect(Collectors.toSet());
        for (String server : servers) {
            Switch connection = switches.get(server);
            if (connection == null) {
                log.warn("reconcile: no AMI connection '{}' for {} unfinished call(s); closing them as engine failed",
                        server, count(server));
                closeAllGone(server, Set.of());
                continue;
            }
            long end = System.nanoTime() + wait.toNanos();
            try {
                while (!connection.isUp() && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                List<LiveChannel> live = connection.channels().get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                closeAllGone(server, live.stream().map(LiveChannel::linkedId).collect(Collectors.toSet()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("reconcile: cannot list the channels of '{}' ({}); its {} unfinished call(s) wait for the"
                        + " next start", server, e.toString(), count(server));
            }
        }
    }

    /**
     * Lists the channels of every server with followed calls again: a call none of whose channels is left ended
     * while AMI did not say so (it was down, or the hang-up came between the list and the follow); closed now.
     */
    void recheck() throws InterruptedException {
        Set<String> servers = followed.keySet().stream().map(CallId::serverId).collect(Collectors.toSet());
        for (String server : servers) {
            Switch connection = switches.get(server);
            if (connection == null || !connection.isUp()) {
                continue;
            }
            Set<CallId> before = followed.keySet().stream().filter(id -> id.serverId().equals(server))
                    .collect(Collectors.toSet());
            try {
                Set<String> up = connection.channels().get(recheck.toMillis() + 5000,
                        java.util.concurrent.TimeUnit.MILLISECONDS).stream().map(LiveChannel::linkedId)
                        .collect(Collectors.toSet());
                for (CallId id : before) {
                    if (!up.contains(id.linkedId())) {
                        CallRecord r = followed.remove(id);
                        if (r != null && unfinished.remove(id, r)) {
                            log.info("reconcile: call {} is gone from Asterisk (its hang-up was not seen); closed",
                                    id);
                            end(r, clock.instant());
                        }
                    }
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.debug("reconcile: cannot list the channels of '{}' ({}); next time", server, e.toString());
            }
        }
    }

    private long count(String server) {
        return unfinished.keySet().stream().filter(id -> id.serverId().equals(server)).count();
    }

    private void closeAllGone(String server, Set<String> up) {
        for (CallRecord r : List.copyOf(unfinished.values())) {
            if (!r.callId().serverId().equals(server)) {
                continue;
            }
            if (up.contains(r.callId().linkedId())) {
                followed.put(r.callId(), r);
                talkingAgent(r).ifPresentOrElse(agent -> {
                    log.info("reconcile: call {} is still up in Asterisk, agent {} talking; followed to its end, the"
                            + " agent on call until then", r.callId(), agent);
                    agents.adopt(agent, r.callId().linkedId(), r.queueVisits().getLast().queue(),
                            r.queueVisits().getLast().leftAt());
                }, () -> log.info("reconcile: call {} is still up in Asterisk; followed to its end", r.callId()));
            } else if (unfinished.remove(r.callId(), r)) {
                log.info("reconcile: call {} was gone when this engine started; closed as engine failed", r.callId());
                submit.accept(closed(r, r.endedAt(), CallOutcome.ENGINE_FAILED, QueueVisit.Result.ENGINE_FAILED,
                        HangupParty.UNKNOWN));
            }
        }
    }

    /** The agent talking on {@code r} when it was last journaled: its last visit answered. */
    private static Optional<String> talkingAgent(CallRecord r) {
        return r.queueVisits().isEmpty() || !r.queueVisits().getLast().isAnswered() ? Optional.empty()
                : r.queueVisits().getLast().agentId();
    }

    /**
     * A channel of a followed call hung up (asterisk-java's thread). A talking call ends with either party's
     * hang-up (its record closed, the agent released); a waiting call or one in the IVR with the caller's own
     * channel (the one the call is named after), not with the hang-up of an agent's phone that rang for it.
     */
    public void onAmiEvent(AmiEvent event) {
        if (!(event instanceof AmiEvent.ChannelHungUp h) || followed.isEmpty()) {
            return;
        }
        boolean linked = h.linkedId() != null && !h.linkedId().isEmpty();
        CallId id = new CallId(h.server(), linked ? h.linkedId() : h.uniqueId());
        CallRecord r = followed.get(id);
        if (r == null || talkingAgent(r).isEmpty() && linked && !h.linkedId().equals(h.uniqueId())) {
            return;
        }
        if (!followed.remove(id, r) || !unfinished.remove(id, r)) {
            return;
        }
        log.info("reconcile: call {} ended ({}) while no engine held it", id, h.causeText());
        end(r, clock.instant());
    }

    /** A followed call ended at {@code at}: its record closed, its agent (if talking) released. */
    private void end(CallRecord r, Instant at) {
        Optional<String> agent = talkingAgent(r);
        boolean waiting = !r.queueVisits().isEmpty()
                && r.queueVisits().getLast().result() == QueueVisit.Result.WAITING;
        CallRecord done = closed(r, at, agent.isPresent() ? CallOutcome.ANSWERED : waiting ? CallOutcome.ABANDONED
                : CallOutcome.IVR_COMPLETED, QueueVisit.Result.ABANDONED, agent.isPresent() ? HangupParty.UNKNOWN
                : HangupParty.CALLER);
        agent.ifPresent(a -> wrappingUp.put(a, done));
        submit.accept(done);
        agent.ifPresent(a -> agents.adoptedEnded(a, r.callId().linkedId()));
    }

    /**
     * An agent transition (the ACD loop): an agent released from an adopted call who leaves wrap-up has the wrap-up's
     * length put on that call's record.
     */
    public void onAgentChange(StateChange change) {
        if (wrappingUp.isEmpty() || !(change.from() instanceof AgentState.WrapUp || change.from()
                instanceof AgentState.OnCall) || change.to() instanceof AgentState.WrapUp) {
            return;
        }
        CallRecord r = wrappingUp.remove(change.agentId());
        if (r == null || change.from() instanceof AgentState.OnCall) {
            return;   // no wrap-up after it (the queue has none, or a supervisor forced the agent off)
        }
        Duration wrap = Duration.between(r.endedAt(), change.at());
        if (!wrap.isNegative() && !wrap.isZero()) {
            submit.accept(withWrapUp(r, wrap));
        }
    }

    /** {@code r} with {@code wrap} as the wrap-up of its last (answered) visit. */
    static CallRecord withWrapUp(CallRecord r, Duration wrap) {
        CallRecord.Builder b = copy(r, v -> new QueueVisit(v.queue(), v.enqueuedAt(), v.leftAt(), v.result(),
                v.agentId(), v.talk(), v.hold(), wrap));
        if (r.hangupBy() != HangupParty.UNKNOWN) {
            b.hangup(r.hangupBy(), 16);
        }
        return b.ended(r.endedAt(), r.outcome()).build();
    }

    /**
     * {@code r} ended at {@code at}: a last visit still waiting becomes {@code waitingResult}; one answered gets the
     * talk time up to {@code at}.
     */
    static CallRecord closed(CallRecord r, Instant at, CallOutcome outcome, QueueVisit.Result waitingResult,
                             HangupParty by) {
        Instant end = at.isBefore(r.startedAt()) ? r.startedAt() : at;
        CallRecord.Builder b = copy(r, v -> {
            if (v.result() == QueueVisit.Result.WAITING) {
                return QueueVisit.unanswered(v.queue(), v.enqueuedAt(), end.isBefore(v.enqueuedAt()) ? v.enqueuedAt()
                        : end, waitingResult);
            }
            if (v.isAnswered() && v.talk().isZero()) {
                Instant answered = v.leftAt();
                return QueueVisit.answered(v.queue(), v.enqueuedAt(), answered, v.agentId().orElseThrow(),
                        end.isAfter(answered) ? Duration.between(answered, end) : Duration.ZERO, Duration.ZERO,
                        Duration.ZERO);
            }
            return v;
        });
        if (by != HangupParty.UNKNOWN) {
            b.hangup(by, 16);
        }
        return b.ended(end, outcome).build();
    }

    /** A builder holding everything of {@code r} but its end, its last visit changed by {@code last}. */
    private static CallRecord.Builder copy(CallRecord r, java.util.function.UnaryOperator<QueueVisit> last) {
        CallRecord.Builder b = CallRecord.builder(r.callId(), r.startedAt()).caller(r.callerNumber(), r.callerName())
                .dialled(r.dialledNumber());
        r.language().ifPresent(b::language);
        r.ivrPath().forEach(b::ivr);
        List<QueueVisit> visits = r.queueVisits();
        for (int i = 0; i < visits.size(); i++) {
            b.visit(i == visits.size() - 1 ? last.apply(visits.get(i)) : visits.get(i));
        }
        r.offers().forEach(b::offer);
        r.transfers().forEach(b::transfer);
        r.recordingFile().ifPresent(b::recording);
        return b;
    }

    @Override
    public void close() {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }
}
