package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.handoff.Handback;
import dev.hotline.handoff.QueuePlace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrOutcome;
import dev.hotline.ivr.runtime.IvrOutcomeHandler;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * How a call enters a queue (the IVR's queue outcome, or a treatment to another queue) and how each of its sessions ends: the call is added to the registry, admitted or refused by the routing core, and ended in the registry when no redirect carries it to a next session.
 */
final class QueueEntry extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(QueueEntry.class);

    QueueEntry(AcdContext ctx) {
        super(ctx);
    }

    public void handle(IvrCallResult result, AgiSession session) throws Exception {
        if (result.outcome() instanceof IvrOutcome.Queue q) {
            QueueConfig queue = queues.get(q.queue());
            if (queue == null) {
                log.warn("call {}: IVR chose unknown queue '{}'; back to the dialplan", result.uniqueId(), q.queue());
                session.setVariable("HOTLINE_ERROR", "unknown queue " + AgiCommand.sanitize(q.queue()));
                recordIvrOnly(result, session);
                Handback.handBack(session, Handback.Outcome.FALLBACK, "unknown queue " + AgiCommand.sanitize(q.queue()));
                return;
            }
            Map<String, String> data = new LinkedHashMap<>(result.vars());
            data.putAll(q.data());   // what the queue node hands the agent (screen pop)
            data.put("ivr_path", String.join(",", result.path().nodes()));
            if (result.language() != null && !result.language().isBlank()) {
                data.putIfAbsent("language", result.language());
            }
            join(session, queue, q.skills(), q.priority(), result.language(), data, result, null);
            return;
        }
        recordIvrOnly(result, session);
        if (!session.isHungUp()) {
            IvrOutcomeHandler.CHANNEL_VARIABLES.handle(result, session);   // the handshake (hangup nodes hang up)
        }
    }

    void recordIvrOnly(IvrCallResult result, AgiSession session) {
        CallRecorder r = ctx.recorder;
        if (r != null) {
            var env = session.environment();
            r.ivrFinished(serverOf(session), callIdOf(session), result, env.dnid().orElse(env.extension()), false);
        }
    }

    String serverOf(AgiSession session) {
        return session.environment().query().getOrDefault("server",
                ami.isEmpty() ? "local" : ami.keySet().iterator().next());
    }

    /**
     * The call's id: Asterisk's linkedid (all channels of one call share it), else the uniqueid. Asked even after the
     * caller hung up (a variable command still runs then), so a call that ends in the IVR is recorded under the same
     * id as one that reaches a queue.
     */
    static String callIdOf(AgiSession session) {
        String given = session.environment().query().getOrDefault("call", "");
        if (!given.isBlank()) {
            return given;   // the dialplan passes ${CHANNEL(linkedid)}: no round trip
        }
        String unique = session.environment().uniqueId();
        try {
            String linked = session.getFullVariable("${CHANNEL(linkedid)}").orElse(unique);
            return linked.isBlank() ? unique : linked;
        } catch (dev.hotline.agi.AgiException e) {
            return unique;
        }
    }

    /** Joins {@code queue} and serves the call until it is connected, abandoned or leaves the queue. */
    public void join(AgiSession session, QueueConfig queue, Map<String, Integer> skills, OptionalInt priority,
                     String language, Map<String, String> data) {
        join(session, queue, skills, priority, language, data, null, null);
    }

    /** A waiting caller taken back after an engine failure (see {@link Acd#resume}). */
    void resume(AgiSession session, QueuePlace place) {
        QueueConfig queue = queues.get(place.queue());
        if (queue == null) {
            log.warn("call {}: resumed in unknown queue '{}'; fallback queue", place.callId(), place.queue());
            Handback.handBack(session, Handback.Outcome.FALLBACK, "unknown queue " + place.queue());
            return;
        }
        Map<String, String> data = place.language().isEmpty() ? Map.of("resumed", "yes")
                : Map.of("resumed", "yes", "language", place.language());
        join(session, queue, place.skills(), place.priority(), place.language(), data, null, place);
    }

    void join(AgiSession session, QueueConfig queue, Map<String, Integer> skills, OptionalInt priority,
                      String language, Map<String, String> data, IvrCallResult ivr, QueuePlace resumed) {
        var env = session.environment();
        String server = serverOf(session);
        String id = resumed != null ? resumed.callId() : callIdOf(session);
        ActiveCall call = new ActiveCall(id, server, env.uniqueId(), env.channel(), env.callerId().orElse(""), queue,
                resumed != null ? resumed.joined() : clock.instant(), data);
        if (!calls.add(call)) {
            log.warn("call {}: already in a queue (channel {}); this second join is refused", id, env.channel());
            session.setVariable("HOTLINE_ERROR", "call " + AgiCommand.sanitize(id) + " is already in a queue");
            Handback.handBack(session, Handback.Outcome.FALLBACK, "already in a queue");
            return;
        }
        call.attach(session);
        CallRecorder r = ctx.recorder;
        if (r != null && ivr != null) {
            r.ivrFinished(server, id, ivr, env.dnid().orElse(env.extension()), true);
        } else if (r != null && resumed != null) {
            r.resumed(server, id, call.joined, env.callerId().orElse(""), env.dnid().orElse(env.extension()));
        }
        try {
            Call c = new Call(id, queue.name(), priority, skills.entrySet().stream()
                    .map(e -> new dev.hotline.routing.SkillRequirement(e.getKey(), e.getValue())).toList(),
                    language == null || language.isBlank() ? Optional.empty() : Optional.of(language),
                    Optional.empty(), data);
            loop.post(new Command.Enqueue(c, Optional.ofNullable(resumed).map(QueuePlace::joined), false));
            if (admit(call, session)) {
                keepPlace(session, call, priority, skills, language, resumed);
                ctx.waiting.serve(call, session, resumed != null && resumed.callbacksOffered() > 0);
            }
        } finally {
            sessionEnded(call, session);
        }
    }

    /**
     * Waits for the routing core's answer to the call's {@code Enqueue}: true when it was taken in; false when it
     * was refused (a full or disabled queue: the caller got the queue's timeout treatment) or no answer came.
     */
    /** The caller's place, on their channel, for any engine to take them back ({@link QueuePlace}). */
    void keepPlace(AgiSession s, ActiveCall call, OptionalInt priority, Map<String, Integer> skills, String language,
                   QueuePlace resumed) {
        if (resumed != null) {
            call.callbacksOffered = resumed.callbacksOffered();
        }
        try {
            new QueuePlace(call.id, call.queue.name(), priority, call.joined, call.callbacksOffered,
                    language == null ? "" : language, skills).store(s);
        } catch (IllegalArgumentException e) {
            log.warn("call {}: place not kept on the channel ({}); it cannot be resumed", call.id, e.getMessage());
        } catch (dev.hotline.agi.AgiHangupException e) {
            // hung up or redirected meanwhile: serve() finds out
        }
    }

    boolean admit(ActiveCall call, AgiSession session) {
        QueueConfig queue = call.queue;
        try {
            Decision admitted = call.admission.get(5, TimeUnit.SECONDS);
            if (admitted instanceof Decision.QueueFull || admitted instanceof Decision.CommandRejected) {
                String why = admitted instanceof Decision.QueueFull full ? "queue full"
                        : "queue disabled";
                log.info("call {}: queue {} refused the call ({})", call.id, queue.name(),
                        admitted instanceof Decision.CommandRejected refused ? refused.reason() : why);
                emit(new CallEvent.ExitedQueue(call.id, clock.instant(), queue.name(), why,
                        queue.onTimeout().toString(), Duration.ZERO));
                call.done = true;   // never in routing: nothing to leave
                ctx.waiting.treatment(session, queue.onTimeout(), call);
                return false;
            }
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            log.error("call {}: the routing core did not admit the call ({}); back to the dialplan", call.id,
                    e.toString());
            Handback.handBack(session, Handback.Outcome.FALLBACK, "not admitted");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A session of {@code call} is over. Unless a redirect is carrying the call to its next session, the call ends
     * here: one whose outcome was not decided (the session failed, the core never answered) leaves routing and is
     * recorded as abandoned — or, answered, its agent's leg ends —, so nothing stays behind in the core, the
     * registry or the records.
     */
    void sessionEnded(ActiveCall call, AgiSession session) {
        call.detach(session);
        if (call.betweenSessions()) {
            return;
        }
        if (!call.done) {
            // Not finished by the session (it failed, or its connection was lost): abandoned, or if an agent had
            // answered, ended by "system" with the agent to wrap-up.
            ctx.endInRouting(call, session.isHungUp() ? "caller hung up" : "session ended", "system");
        }
        calls.end(call, call.done ? "finished" : "session ended");
    }
}
