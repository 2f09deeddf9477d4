package dev.hotline.acd;

import dev.hotline.handoff.ChannelVariables;
import dev.hotline.events.CallEvent;
import dev.hotline.handoff.Handback;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Ringing the offered agent from the call's session (the connect session Asterisk starts after a redirect, or the waiting session itself): the recording, the Dial, what its end means, the survey after the call, and a transfer to a queue.
 */
final class ConnectSession extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(ConnectSession.class);

    ConnectSession(AcdContext ctx) {
        super(ctx);
    }

    /** {@code agi://hotline/connect?call=ID}: the session Asterisk starts after the redirect. */
    public AgiScript connectScript() {
        return session -> {
            String id = session.environment().query().get("call");
            if (id == null || id.isBlank() || id.equals("null")) {
                id = session.environment().extension();
            }
            ActiveCall call = calls.get(id).orElse(null);
            if (call == null) {
                log.warn("connect: unknown call '{}' (channel {}, script {}); back to the dialplan", id,
                        session.environment().channel(), session.environment().script());
                session.setVariable("HOTLINE_ERROR", "unknown call " + AgiCommand.sanitize(id));
                Handback.handBack(session, Handback.Outcome.FALLBACK, "unknown call " + AgiCommand.sanitize(id));
                return;
            }
            call.attach(session);
            try {
                if (call.requeueTo != null) {
                    requeue(call, session);
                    return;
                }
                call.channel = session.environment().channel();
                if (!call.landed() && call.phase() != CallPhase.OFFERED) {
                    log.warn("connect: call {} is {} (expected: redirecting to an agent); back to the dialplan", id,
                            call.phase());
                    session.setVariable("HOTLINE_ERROR", "call " + AgiCommand.sanitize(id) + " is not offered");
                    Handback.handBack(session, Handback.Outcome.FALLBACK, "call not offered");
                    return;
                }
                ctx.waiting.serve(call, session, true);
            } finally {
                ctx.entry.sessionEnded(call, session);
            }
        };
    }

    /** The session Asterisk started after a transfer to a queue: the call waits in its new queue. */
    void requeue(ActiveCall call, AgiSession s) {
        QueueConfig q = call.requeueTo;
        call.requeueTo = null;
        call.offer = null;
        call.dialled = null;
        call.answered = false;
        call.answeredAt = null;
        call.endedBy = null;
        call.exit = null;
        call.agentChannel = null;
        call.agentLegClosed.set(false);
        call.agentReleased.set(false);
        call.offerMade = new java.util.concurrent.CompletableFuture<>();
        call.queue = q;
        call.joined = clock.instant();
        call.admission = new java.util.concurrent.CompletableFuture<>();
        call.channel = s.environment().channel();
        call.requeued();
        String language = call.data.getOrDefault("language", "");
        loop.post(new Command.Enqueue(new Call(call.id, q.name(), OptionalInt.empty(), List.of(),
                language.isBlank() ? Optional.empty() : Optional.of(language), Optional.empty(), call.data)));
        if (ctx.entry.admit(call, s)) {
            ctx.entry.keepPlace(s, call, java.util.OptionalInt.empty(), java.util.Map.of(), language, null);
            ctx.waiting.serve(call, s, false);
        }
    }

    /**
     * Records the call into {@code file} (as {@link AcdContext#recordingHook} chose it): MixMonitor on the caller's channel with
     * option {@code b}, so only the bridged conversation is recorded (not the ring), under Asterisk's monitor folder.
     * A refusal is logged and the call goes on unrecorded: a recording never costs a call.
     */
    void startRecording(ActiveCall call, String file, AgiSession s) {
        try {
            int result = s.exec("MixMonitor", file + ",b", Duration.ofSeconds(5));
            if (result != 0) {
                throw new dev.hotline.agi.AgiCommandException("EXEC MixMonitor returned " + result);
            }
            CallRecorder r = ctx.recorder;
            if (r != null) {
                r.recording(call.id, file);
            }
        } catch (dev.hotline.agi.AgiCommandException | dev.hotline.agi.AgiTimeoutException e) {
            ctx.recordingFailures.increment();
            ctx.recordingHook.failed(call.id, file, e.getMessage());
            log.warn("call {}: recording to {} could not start ({}); the call goes on unrecorded", call.id, file,
                    e.getMessage());
        }
    }

    /**
     * Rings the offered agent from this session. Returns true when the call is finished (connected and ended, or
     * the caller hung up); false when the agent did not answer and the call is back in the queue.
     */
    boolean dial(ActiveCall call, Decision.Offer offer, AgiSession s) {
        AgentConfig agent = agents.get(offer.agentId());
        String endpoint = agent == null || agent.endpoints().isEmpty() ? null : agent.endpoints().get(0);
        if (endpoint == null) {
            log.error("call {}: offered agent {} has no endpoint", call.id, offer.agentId());
            retryAfterNoAnswer(call, offer, "no endpoint");
            return false;
        }
        long ringSeconds = Math.max(1, call.queue.ringTimeout().toSeconds());
        // 'g': when the agent hangs up, Dial returns and the caller's channel stays up (who hung up first is then
        // known, and the caller can be sent on, e.g. to a survey); without it Asterisk hangs the caller up too.
        String options = config.dialOptions().contains("g") ? config.dialOptions() : "g" + config.dialOptions();
        String args = endpoint + "," + ringSeconds + "," + options;
        Instant offeredAt = call.offeredAt;
        boolean callerGone = false;
        boolean connectionLost = false;
        try {
            // Whether and where to record: the queue's recording policy (qa), or its record flag by default.
            ctx.recordingHook.recordingFor(call.queue.name(), call.queue.record(), call.server, call.id,
                    offer.agentId(), clock.instant()).ifPresent(file -> startRecording(call, file, s));
            // From here Dial's return says how the ring ended, even when AMI cannot report the answer (down).
            call.dialled = offer;
            loop.post(new Command.OfferRinging(call.id, offer.agentId()));
            ctx.dispatch.record(Duration.between(offeredAt == null ? clock.instant() : offeredAt, clock.instant()));
            if (call.offeredOnEntry) {
                call.offeredOnEntry = false;
                ctx.entryDispatch.record(System.nanoTime() - call.createdNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
            s.exec("Dial", args, Duration.ofHours(12));
        } catch (AgiHangupException e) {
            callerGone = true;
        }
        String status;
        if (call.answered && !callerGone) {
            status = "ANSWER";   // AMI's DialEnd said so: no round trip before the agent is freed
        } else {
            try {
                status = s.getVariable("DIALSTATUS").orElse("");
            } catch (AgiHangupException e) {
                // The connection itself is gone (engine stopping, Asterisk lost): judge by what AMI told us.
                status = call.answered ? "ANSWER" : "";
                callerGone = true;
                connectionLost = true;
            }
        }
        // For the dialplan and CDRs after this call; set after Dial (and after the agent is freed) in one command.
        Map<String, String> vars = new LinkedHashMap<>(4);
        vars.put("HOTLINE_CALL_ID", call.id);
        vars.put("HOTLINE_AGENT", offer.agentId());
        vars.put("HOTLINE_QUEUE", offer.queue());
        if ("ANSWER".equalsIgnoreCase(status) || call.answered) {
            ctx.answered(call);
            if (!call.agentLegClosed.compareAndSet(false, true)) {
                // An attended transfer already ended the agent's leg; Dial returned when the target hung up.
                calls.release(offer.agentId(), call);
                call.done = true;
                setVariables(s, vars);
                return true;
            }
            ctx.releaseAgent(call, offer.agentId());   // at once, unless AMI's hang-up of the agent's leg did
            Duration talk = Duration.between(call.answeredAt == null ? clock.instant() : call.answeredAt,
                    clock.instant());
            if (call.requeueTo != null) {
                // Transferred to a queue: the agent's leg is over, the call goes on in the next session.
                emit(new CallEvent.Transferred(call.id, clock.instant(), offer.agentId(),
                        "queue:" + call.requeueTo.name(), false));
                emit(new CallEvent.Ended(call.id, clock.instant(), offer.agentId(), "transfer", talk));
                setVariables(s, vars);
                return true;
            }
            String first = call.endedBy != null ? call.endedBy : connectionLost ? "system"
                    : callerGone ? "caller" : "agent";
            emit(new CallEvent.Ended(call.id, clock.instant(), offer.agentId(), first, talk));
            call.done = true;
            if (!callerGone && !s.isHungUp() && call.endedBy == null) {
                if (config.experience().surveyScript().isEmpty()) {
                    Handback.hangUp(s, Handback.Outcome.HANGUP, vars);   // one MSet: these and the hand-back
                } else {
                    setVariables(s, vars);
                    survey(call, s);
                    Handback.hangUp(s, Handback.Outcome.HANGUP);
                }
            } else if (!connectionLost) {
                setVariables(s, vars);
            }
            return true;
        }
        if (!setVariables(s, vars)) {
            callerGone = true;
        }
        if (callerGone) {
            // Abandoned; or ended by the caller, if AMI's answer came in the meantime.
            ctx.endInRouting(call, "caller hung up while the agent's phone rang", "caller");
            return true;
        }
        emit(new CallEvent.OfferFailed(call.id, clock.instant(), offer.agentId(), status));
        retryAfterNoAnswer(call, offer, switch (status.toUpperCase(java.util.Locale.ROOT)) {
            case "BUSY" -> "busy";
            case "CHANUNAVAIL", "CONGESTION" -> "phone unavailable";
            default -> "no answer";
        });
        return false;
    }

    /** Sets {@code vars} on the caller's channel; false when the connection is gone. */
    static boolean setVariables(AgiSession s, Map<String, String> vars) {
        try {
            ChannelVariables.setAll(s, vars);
            return true;
        } catch (AgiHangupException e) {
            return false;
        }
    }

    /** Runs the after-call survey on the caller's session, if one is configured and published. */
    void survey(ActiveCall call, AgiSession s) {
        String script = config.experience().surveyScript();
        var catalog = ctx.surveyCatalog;
        var interpreter = ctx.surveyInterpreter;
        if (script.isEmpty() || catalog == null || interpreter == null) {
            return;
        }
        if (catalog.get().script(script).isEmpty()) {
            log.warn("call {}: survey script '{}' is not published; no survey", call.id, script);
            return;
        }
        IvrCallResult result = interpreter.run(catalog.get(), script, s);
        CallRecorder r = ctx.recorder;
        if (r != null && !result.survey().isEmpty()) {
            r.survey(call.id, result.survey().get(result.survey().size() - 1).score());
        }
    }

    void retryAfterNoAnswer(ActiveCall call, Decision.Offer offer, String reason) {
        if (call.offer == offer) {
            call.offer = null;   // else routing offered the call anew meanwhile: the session dials that next
        }
        call.dialled = null;
        calls.release(offer.agentId(), call);
        call.unanswered();
        // One command: the queue's ring-no-answer policy decides the agent's state, with this reason (one row).
        loop.post(new Command.OfferRejected(call.id, offer.agentId(), Optional.of(reason)));
    }
}
