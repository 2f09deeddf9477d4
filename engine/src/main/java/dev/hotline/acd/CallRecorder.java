package dev.hotline.acd;

import dev.hotline.config.AgentConfig;
import dev.hotline.events.CallEvent;
import dev.hotline.events.CallEventListener;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrEvent;
import dev.hotline.ivr.runtime.IvrOutcome;
import dev.hotline.records.CallRecords;
import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a call's IVR result and its {@link CallEvent}s into one {@link CallRecord}, and every agent transition
 * into an agent-state record, and hands them to the record writer (which never blocks).
 *
 * <p>A record is submitted when the call leaves Hotline's hands (connected call ended, abandoned, sent to
 * voicemail or a transfer, finished in the IVR). When the agent's wrap-up then ends, the same record is submitted
 * again with the measured wrap-up time: the writer's writes are idempotent by call id, so the second replaces the
 * first.
 */
public final class CallRecorder implements CallEventListener {

    private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

    /** What is known so far about one call. */
    private static final class Pending {
        final CallId id;
        final String dialled;
        final Instant started;
        final String caller;
        final String language;
        final List<IvrStep> ivrSteps;
        final java.util.OptionalInt ivrSurvey;
        final List<QueueVisit> visits = new ArrayList<>();
        final List<Offer> offers = new ArrayList<>();
        String queue;
        Instant enqueuedAt;
        String offeredAgent;
        Instant offeredAt;
        Instant answeredAt;
        String agent;
        HangupParty hungUpBy = HangupParty.UNKNOWN;
        CallOutcome outcome;
        Instant endedAt;
        Duration talk = Duration.ZERO;
        final List<dev.hotline.records.model.Transfer> transfers = new ArrayList<>();
        String disposition;
        String notes = "";
        Integer surveyScore;
        boolean requeued;
        String recording;

        Pending(CallId id, IvrCallResult ivr, String dialled) {
            this.id = id;
            this.dialled = dialled;
            this.started = ivr.started();
            this.caller = ivr.caller();
            this.language = ivr.language();
            this.ivrSteps = ivrSteps(ivr);
            this.ivrSurvey = ivr.survey().isEmpty() ? java.util.OptionalInt.empty()
                    : java.util.OptionalInt.of(ivr.survey().getLast().score());
        }

        /** A call taken back after an engine failure: what its journaled record knew, if it was found. */
        Pending(CallId id, Optional<CallRecord> before, Instant started, String caller, String dialled) {
            this.id = id;
            this.dialled = before.map(CallRecord::dialledNumber).orElse(dialled);
            this.started = before.map(CallRecord::startedAt).orElse(started);
            this.caller = before.map(CallRecord::callerNumber).orElse(caller);
            this.language = before.flatMap(CallRecord::language).orElse(null);
            this.ivrSteps = before.map(CallRecord::ivrPath).orElse(List.of());
            this.ivrSurvey = java.util.OptionalInt.empty();
            before.ifPresent(b -> {
                // Finished visits and offers stay; the one in progress (waiting, ringing) is the one going on now.
                b.queueVisits().stream().filter(v -> v.result() != QueueVisit.Result.WAITING).forEach(visits::add);
                offers.addAll(b.offers());
                transfers.addAll(b.transfers());
            });
        }
    }

    private final CallRecords records;
    private final Map<String, AgentConfig> agents;
    private final Map<String, Pending> calls = new ConcurrentHashMap<>();
    private final Map<String, Pending> lastCallOfAgent = new ConcurrentHashMap<>();
    private final Map<String, Pending> lastHandledBy = new ConcurrentHashMap<>();
    /** The journaled record of a call an earlier engine held, by call id (the handoff's reconciler). */
    private volatile java.util.function.Function<CallId, Optional<CallRecord>> before = id -> Optional.empty();

    /** {@code agents} is read on every transition (for the agent's team): a live view (the ACD's) is welcome. */
    public CallRecorder(CallRecords records, Map<String, AgentConfig> agents) {
        this.records = records;
        this.agents = java.util.Collections.unmodifiableMap(agents);
    }

    /** The conversation of {@code callId} is being recorded into {@code file} (the first recording is kept). */
    void recording(String callId, String file) {
        Pending p = calls.get(callId);
        if (p != null) {
            synchronized (p) {
                if (p.recording == null) {
                    p.recording = file;
                }
            }
        }
    }

    /** Where the records of calls an earlier engine held come from (journaled, not finished), by call id. */
    public void continuing(java.util.function.Function<CallId, Optional<CallRecord>> records) {
        this.before = java.util.Objects.requireNonNull(records, "records");
    }

    /**
     * The call reached Hotline: its record is journaled at once as {@link CallOutcome#IN_PROGRESS}, so a call the
     * engine held when it failed is never missing from the records (the next start reconciles it).
     */
    public void started(String server, String callId, String caller, String dialled, Instant at) {
        try {
            // A call an earlier engine held, back at the start of its IVR script: it is this engine's now.
            Instant first = before.apply(id(server, callId)).map(CallRecord::startedAt).orElse(at);
            records.submit(CallRecord.builder(id(server, callId), first).caller(caller, "").dialled(dialled)
                    .ended(at.isBefore(first) ? first : at, CallOutcome.IN_PROGRESS).build());
        } catch (RuntimeException e) {
            log.warn("records: call {} start not journaled: {}", callId, e.getMessage());
        }
    }

    /** A waiting call taken back after an engine failure: its record continues (one record, the same call id). */
    void resumed(String server, String callId, Instant joined, String caller, String dialled) {
        Pending p = new Pending(id(server, callId), before.apply(id(server, callId)), joined, caller,
                dialled);
        calls.put(callId, p);
    }

    /** The call left the IVR; {@code toQueue} when it continues into a queue (its record follows the queue). */
    void ivrFinished(String server, String callId, IvrCallResult ivr, String dialled, boolean toQueue) {
        Pending p = new Pending(id(server, callId), ivr, dialled);
        if (toQueue) {
            calls.put(callId, p);
            return;
        }
        p.endedAt = ivr.ended();
        p.outcome = switch (ivr.outcome()) {
            case IvrOutcome.Voicemail v -> CallOutcome.VOICEMAIL;
            case IvrOutcome.Transfer t -> CallOutcome.TRANSFERRED_OUT;
            case IvrOutcome.Hangup h -> {
                boolean caller = h.cause() == IvrOutcome.Hangup.Cause.CALLER;
                p.hungUpBy = caller ? HangupParty.CALLER : HangupParty.SYSTEM;
                yield caller ? CallOutcome.IVR_ABANDONED : CallOutcome.IVR_COMPLETED;
            }
            default -> CallOutcome.IVR_COMPLETED;
        };
        submit(p);
    }

    private static CallId id(String server, String callId) {
        String s = server == null || server.isBlank() ? "local" : server;
        return new CallId(s.length() > CallId.MAX_SERVER_ID ? s.substring(0, CallId.MAX_SERVER_ID) : s,
                callId.length() > CallId.MAX_LINKED_ID ? callId.substring(0, CallId.MAX_LINKED_ID) : callId);
    }

    @Override
    public void on(CallEvent event) {
        Pending p = calls.get(event.callId());
        if (p == null && event instanceof CallEvent.Transferred t) {
            // The transfer's confirmation can trail the end of the agent's leg: amend the finished record.
            Pending done = lastHandledBy.get(t.agentId());
            if (done != null && done.id.linkedId().equals(t.callId())) {
                synchronized (done) {
                    done.transfers.add(transfer(t));
                    done.outcome = CallOutcome.TRANSFERRED_OUT;
                    submit(done);
                }
            }
            return;
        }
        if (p == null) {
            return;
        }
        synchronized (p) {
            switch (event) {
                case CallEvent.Queued q -> {
                    p.queue = q.queue();
                    p.enqueuedAt = q.at();
                    inProgress(p, q.at(), QueueVisit.unanswered(q.queue(), q.at(), q.at(),
                            QueueVisit.Result.WAITING));
                }
                case CallEvent.Offered o -> {
                    p.offeredAgent = o.agentId();
                    p.offeredAt = o.at();
                }
                case CallEvent.OfferFailed f -> closeOffer(p, f.at(), switch (f.dialStatus().toUpperCase(java.util.Locale.ROOT)) {
                    case "BUSY" -> Offer.Outcome.REJECTED;
                    case "CHANUNAVAIL", "CONGESTION" -> Offer.Outcome.FAILED;
                    default -> Offer.Outcome.NO_ANSWER;
                });
                case CallEvent.Answered a -> {
                    closeOffer(p, a.at(), Offer.Outcome.ANSWERED);
                    p.answeredAt = a.at();
                    p.agent = a.agentId();
                    if (p.queue != null && p.enqueuedAt != null) {
                        inProgress(p, a.at(), QueueVisit.answered(p.queue, p.enqueuedAt, max(a.at(), p.enqueuedAt),
                                a.agentId(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
                    }
                }
                case CallEvent.Transferred t -> {
                    p.transfers.add(transfer(t));
                    p.requeued = t.target().startsWith("queue:");
                }
                case CallEvent.Ended e -> {
                    p.talk = e.talk();
                    p.hungUpBy = switch (e.hungUpFirst()) {
                        case "caller" -> HangupParty.CALLER;
                        case "system" -> HangupParty.SYSTEM;   // Asterisk no longer had the call's channel
                        default -> HangupParty.AGENT;
                    };
                    Instant answered = p.answeredAt == null ? e.at().minus(e.talk()) : p.answeredAt;
                    p.visits.add(new QueueVisit(p.queue, p.enqueuedAt, max(answered, p.enqueuedAt),
                            QueueVisit.Result.ANSWERED, Optional.of(e.agentId()), e.talk(), Duration.ZERO,
                            Duration.ZERO));
                    p.agent = e.agentId();
                    if (p.requeued) {
                        // Transferred into another queue: the record stays open for the next visit.
                        p.requeued = false;
                        p.answeredAt = null;
                        lastHandledBy.put(e.agentId(), p);
                        break;
                    }
                    boolean transferred = "transfer".equals(e.hungUpFirst()) || p.transfers.stream()
                            .anyMatch(x -> x.kind() != dev.hotline.records.model.Transfer.Kind.QUEUE);
                    finish(p, e.at(), transferred ? CallOutcome.TRANSFERRED_OUT : CallOutcome.ANSWERED);
                    lastCallOfAgent.put(e.agentId(), p);
                    lastHandledBy.put(e.agentId(), p);
                }
                case CallEvent.Abandoned a -> {
                    closeOffer(p, a.at(), Offer.Outcome.CALLER_HANGUP);
                    p.visits.add(new QueueVisit(a.queue(), p.enqueuedAt == null ? a.at() : p.enqueuedAt, a.at(),
                            QueueVisit.Result.ABANDONED, Optional.empty(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
                    p.hungUpBy = HangupParty.CALLER;
                    finish(p, a.at(), CallOutcome.ABANDONED);
                }
                case CallEvent.CallbackRequested cb -> {
                    Instant from = p.enqueuedAt == null ? cb.at() : p.enqueuedAt;
                    p.visits.add(new QueueVisit(cb.queue(), from, cb.at(), QueueVisit.Result.CALLBACK,
                            Optional.empty(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
                    p.hungUpBy = HangupParty.SYSTEM;
                    finish(p, cb.at(), CallOutcome.CALLBACK);
                }
                case CallEvent.ExitedQueue x -> {
                    QueueVisit.Result result = x.reason().startsWith("exit key") ? QueueVisit.Result.EXIT_WITH_KEY
                            : x.reason().equals("queue full") ? QueueVisit.Result.FULL
                            : x.destination().startsWith("queue:") ? QueueVisit.Result.OVERFLOW
                            : x.destination().startsWith("voicemail") ? QueueVisit.Result.VOICEMAIL
                            : QueueVisit.Result.TIMEOUT;
                    Instant from = p.enqueuedAt == null ? x.at() : p.enqueuedAt;
                    p.visits.add(new QueueVisit(x.queue(), from, x.at(), result, Optional.empty(), Duration.ZERO,
                            Duration.ZERO, Duration.ZERO));
                    if (!x.destination().startsWith("queue:")) {
                        finish(p, x.at(), x.destination().startsWith("voicemail") ? CallOutcome.VOICEMAIL
                                : x.destination().startsWith("transfer") ? CallOutcome.TRANSFERRED_OUT
                                : CallOutcome.TIMEOUT);
                    }
                }
                default -> { }
            }
        }
    }

    private static dev.hotline.records.model.Transfer transfer(CallEvent.Transferred t) {
        boolean queue = t.target().startsWith("queue:");
        return new dev.hotline.records.model.Transfer(t.at(), Optional.of(t.agentId()),
                queue ? dev.hotline.records.model.Transfer.Kind.QUEUE : dev.hotline.records.model.Transfer.Kind.EXTERNAL,
                queue ? t.target().substring("queue:".length()) : t.target(), t.attended());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void closeOffer(Pending p, Instant at, Offer.Outcome outcome) {
        if (p.offeredAgent != null && p.queue != null) {
            p.offers.add(new Offer(p.queue, p.offeredAgent, p.offeredAt, max(at, p.offeredAt), outcome));
        }
        p.offeredAgent = null;
        p.offeredAt = null;
    }

    private void finish(Pending p, Instant at, CallOutcome outcome) {
        p.endedAt = at;
        p.outcome = outcome;
        calls.remove(p.id.linkedId(), p);
        submit(p);
    }

    /** Records the after-call survey score (1–5) on the call's record. */
    void survey(String callId, int score) {
        for (Pending p : lastHandledBy.values()) {
            if (p.id.linkedId().equals(callId)) {
                synchronized (p) {
                    p.surveyScore = score;
                    submit(p);
                }
                return;
            }
        }
    }

    /** Sets the disposition code and notes of the agent's last call and records it again. */
    boolean disposition(String agentId, String code, String notes) {
        Pending p = lastHandledBy.get(agentId);
        if (p == null) {
            return false;
        }
        synchronized (p) {
            p.disposition = code;
            p.notes = notes == null ? "" : notes;
            submit(p);
        }
        return true;
    }

    /** An agent transition: recorded, and the end of a wrap-up completes the agent's last call record. */
    void agentState(StateChange change) {
        AgentConfig a = agents.get(change.agentId());
        String team = a == null || a.teams().isEmpty() ? "" : a.teams().stream().sorted().findFirst().orElse("");
        String reason = change.to() instanceof AgentState.NotReady nr ? nr.reason() : change.cause();
        try {
            records.submit(dev.hotline.records.model.AgentStateChange.of(change.agentId(), team, map(change.from()),
                    map(change.to()), reason.length() > 64 ? reason.substring(0, 64) : reason, change.at()));
        } catch (RuntimeException e) {
            log.warn("records: agent transition of {} not recorded: {}", change.agentId(), e.getMessage());
        }
        if (change.from() instanceof AgentState.WrapUp && !(change.to() instanceof AgentState.WrapUp)) {
            Pending p = lastCallOfAgent.remove(change.agentId());
            if (p != null) {
                synchronized (p) {
                    Duration wrap = Duration.between(p.endedAt, change.at());
                    int last = p.visits.size() - 1;
                    QueueVisit v = p.visits.get(last);
                    if (!wrap.isNegative() && v.result() == QueueVisit.Result.ANSWERED) {
                        p.visits.set(last, new QueueVisit(v.queue(), v.enqueuedAt(), v.leftAt(), v.result(),
                                v.agentId(), v.talk(), v.hold(), wrap));
                        submit(p);
                    }
                }
            }
        }
    }

    private static AgentPhase map(AgentState s) {
        return switch (s) {
            case AgentState.LoggedOut l -> AgentPhase.LOGGED_OUT;
            case AgentState.Ready r -> AgentPhase.READY;
            case AgentState.NotReady n -> AgentPhase.NOT_READY;
            case AgentState.Reserved r -> AgentPhase.RESERVED;
            case AgentState.OnCall o -> AgentPhase.ON_CALL;
            case AgentState.WrapUp w -> AgentPhase.WRAP_UP;
        };
    }

    /**
     * Journals the call as it is now ({@link CallOutcome#IN_PROGRESS}), with {@code current} (waiting, or talking
     * since the answer) as its last visit: what the next start needs if this engine fails now.
     */
    private void inProgress(Pending p, Instant at, QueueVisit current) {
        try {
            CallRecord.Builder b = builder(p);
            b.visit(current);
            records.submit(b.ended(max(at, p.started), CallOutcome.IN_PROGRESS).build());
        } catch (RuntimeException e) {
            log.warn("records: call {} in progress not journaled: {}", p.id, e.getMessage());
        }
    }

    private static CallRecord.Builder builder(Pending p) {
        CallRecord.Builder b = CallRecord.builder(p.id, p.started).caller(p.caller, "").dialled(p.dialled);
        if (p.language != null && !p.language.isBlank()) {
            b.language(p.language);
        }
        p.ivrSteps.forEach(b::ivr);
        p.visits.forEach(b::visit);
        p.offers.forEach(b::offer);
        p.transfers.forEach(b::transfer);
        return b;
    }

    private void submit(Pending p) {
        try {
            CallRecord.Builder b = builder(p);
            if (p.disposition != null) {
                b.disposition(p.disposition, p.notes);
            }
            p.ivrSurvey.ifPresent(b::survey);
            if (p.surveyScore != null) {
                b.survey(p.surveyScore);
            }
            if (p.hungUpBy != HangupParty.UNKNOWN) {
                b.hangup(p.hungUpBy, 16);
            }
            if (p.recording != null) {
                b.recording(p.recording);
            }
            b.ended(p.endedAt, p.outcome);
            // A refusal (queue full, writer closed) is logged and counted by the writer itself.
            records.submit(b.build());
        } catch (RuntimeException e) {
            log.warn("records: call {} could not be recorded: {}", p.id, e.getMessage());
        }
    }

    /** The IVR's path as one step per node visit, with the key pressed and how the caller left it. */
    static List<IvrStep> ivrSteps(IvrCallResult ivr) {
        List<IvrStep> out = new ArrayList<>();
        String node = null;
        Instant at = null;
        StringBuilder input = new StringBuilder();
        IvrStep.Exit exit = IvrStep.Exit.NEXT;
        for (IvrEvent s : ivr.path().steps()) {
            switch (s.kind()) {
                case VISIT -> {
                    if (node != null) {
                        out.add(step(node, at, input, exit));
                    }
                    node = s.script() + "/" + s.node();
                    at = s.at();
                    input.setLength(0);
                    exit = IvrStep.Exit.NEXT;
                }
                case KEY -> {
                    input.append(s.detail());
                    exit = IvrStep.Exit.OPTION;
                }
                case TIMEOUT -> exit = input.isEmpty() ? IvrStep.Exit.TIMEOUT : exit;
                case INVALID -> exit = IvrStep.Exit.INVALID;
                case CALLER_HANGUP -> exit = IvrStep.Exit.HANGUP;
                default -> { }
            }
        }
        if (node != null) {
            out.add(step(node, at, input, exit));
        }
        return out;
    }

    private static IvrStep step(String node, Instant at, StringBuilder input, IvrStep.Exit exit) {
        String in = input.length() > 64 ? input.substring(0, 64) : input.toString();
        return new IvrStep(node.length() > 128 ? node.substring(0, 128) : node, at, in, exit);
    }
}
