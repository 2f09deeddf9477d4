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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * At start, the calls an earlier engine journaled as in progress ({@link CallOutcome#IN_PROGRESS}) and never
 * finished — it failed while it held them — reconciled with what Asterisk has now, so that no call that reached
 * Hotline is missing from the reports or left open:
 * <ul>
 *   <li>A call whose caller comes back through {@code resume} continues its record: {@link #take} hands the record
 *       to the call recorder (one record, the same call id).</li>
 *   <li>A call with a channel still up (listed by AMI {@code CoreShowChannels}) is followed to its end: when its
 *       caller's channel (the call's first: uniqueid = linkedid) hangs up the record is closed — talking: answered,
 *       with the talk time up to that moment; waiting: abandoned; in the IVR: ended there.</li>
 *   <li>A call with no channel left is closed as {@link CallOutcome#ENGINE_FAILED}, ended when its record was last
 *       written (the last moment an engine knew of it).</li>
 * </ul>
 * Threads: {@link #load} on the starting thread; {@link #reconcile} on its own virtual thread (it waits for AMI);
 * {@link #onAmiEvent} on asterisk-java's thread (map look-ups only).
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** Records older than this are not looked for: no call lasts a day. */
    private static final Duration HORIZON = Duration.ofDays(1);

    private final CallRecords records;
    private final Map<String, AmiConnection> ami;
    private final InstantSource clock;
    /** Unfinished records not yet taken by a resumed call or closed, by call id. */
    private final Map<CallId, CallRecord> unfinished = new ConcurrentHashMap<>();
    /** Of those, the ones whose channels Asterisk still had, by server then linkedid. */
    private final Map<CallId, CallRecord> followed = new ConcurrentHashMap<>();
    private volatile Thread worker;

    public Reconciler(CallRecords records, Map<String, AmiConnection> ami, InstantSource clock) {
        this.records = records;
        this.ami = Map.copyOf(ami);
        this.clock = clock;
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
        followed.remove(id);
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
        worker = Thread.ofVirtual().name("reconcile").start(() -> reconcile(wait));
        return this;
    }

    private void reconcile(Duration wait) {
        Set<String> servers = unfinished.keySet().stream().map(CallId::serverId).collect(Collectors.toSet());
        for (String server : servers) {
            AmiConnection connection = ami.get(server);
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
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("reconcile: cannot list the channels of '{}' ({}); its {} unfinished call(s) wait for the"
                        + " next start", server, e.toString(), count(server));
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
                log.info("reconcile: call {} is still up in Asterisk; followed to its end", r.callId());
            } else if (unfinished.remove(r.callId(), r)) {
                log.info("reconcile: call {} was gone when this engine started; closed as engine failed", r.callId());
                records.submit(closed(r, r.endedAt(), CallOutcome.ENGINE_FAILED, QueueVisit.Result.ENGINE_FAILED,
                        HangupParty.UNKNOWN));
            }
        }
    }

    /** A channel of a followed call hung up (asterisk-java's thread): the call's record is closed now. */
    public void onAmiEvent(AmiEvent event) {
        if (!(event instanceof AmiEvent.ChannelHungUp h) || followed.isEmpty()) {
            return;
        }
        CallId id = new CallId(h.server(), h.linkedId() == null || h.linkedId().isEmpty() ? h.uniqueId()
                : h.linkedId());
        if (h.uniqueId() != null && !h.uniqueId().isEmpty() && !h.uniqueId().equals(id.linkedId())) {
            // Another leg of the call (an agent's phone ringing for an offer the stopped engine made, an agent
            // hanging up first): the caller is still there and may be coming back through resume.
            return;
        }
        CallRecord r = followed.remove(id);
        if (r == null || !unfinished.remove(id, r)) {
            return;
        }
        Instant at = clock.instant();
        boolean talking = !r.queueVisits().isEmpty() && r.queueVisits().getLast().isAnswered();
        boolean waiting = !r.queueVisits().isEmpty()
                && r.queueVisits().getLast().result() == QueueVisit.Result.WAITING;
        log.info("reconcile: call {} ended ({}) while no engine held it", id, h.causeText());
        records.submit(closed(r, at, talking ? CallOutcome.ANSWERED : waiting ? CallOutcome.ABANDONED
                : CallOutcome.IVR_COMPLETED, QueueVisit.Result.ABANDONED, talking ? HangupParty.UNKNOWN
                : HangupParty.CALLER));
    }

    /**
     * {@code r} ended at {@code at}: a last visit still waiting becomes {@code waitingResult}; one answered gets the
     * talk time up to {@code at}.
     */
    static CallRecord closed(CallRecord r, Instant at, CallOutcome outcome, QueueVisit.Result waitingResult,
                             HangupParty by) {
        Instant end = at.isBefore(r.startedAt()) ? r.startedAt() : at;
        CallRecord.Builder b = CallRecord.builder(r.callId(), r.startedAt()).caller(r.callerNumber(), r.callerName())
                .dialled(r.dialledNumber());
        r.language().ifPresent(b::language);
        r.ivrPath().forEach(b::ivr);
        List<QueueVisit> visits = r.queueVisits();
        for (int i = 0; i < visits.size(); i++) {
            QueueVisit v = visits.get(i);
            boolean last = i == visits.size() - 1;
            if (last && v.result() == QueueVisit.Result.WAITING) {
                v = QueueVisit.unanswered(v.queue(), v.enqueuedAt(), end.isBefore(v.enqueuedAt()) ? v.enqueuedAt()
                        : end, waitingResult);
            } else if (last && v.isAnswered() && v.talk().isZero()) {
                Instant answered = v.leftAt();
                v = QueueVisit.answered(v.queue(), v.enqueuedAt(), answered, v.agentId().orElseThrow(),
                        end.isAfter(answered) ? Duration.between(answered, end) : Duration.ZERO, Duration.ZERO,
                        Duration.ZERO);
            }
            b.visit(v);
        }
        r.offers().forEach(b::offer);
        r.transfers().forEach(b::transfer);
        r.recordingFile().ifPresent(b::recording);
        if (by != HangupParty.UNKNOWN) {
            b.hangup(by, 16);
        }
        return b.ended(end, outcome).build();
    }

    @Override
    public void close() {
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }
}
