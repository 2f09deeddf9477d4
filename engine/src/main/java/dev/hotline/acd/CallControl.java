package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's control of connected calls: blind and attended transfers, a hang-up from the desktop, listen / whisper / barge, and the live call of an agent (for the QA recording controls).
 */
final class CallControl extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(CallControl.class);

    CallControl(AcdContext ctx) {
        super(ctx);
    }

    private static final java.util.regex.Pattern TARGET = java.util.regex.Pattern.compile("[0-9A-Za-z_*#+-]{1,40}");

    /** The call {@code agentId} is connected to, if any. */
    Optional<ActiveCall> callOf(String agentId) {
        return agentStates.get(agentId) instanceof AgentState.OnCall on ? calls.get(on.callId()) : Optional.empty();
    }

    /** The call {@code agentId} is connected to and the AMI connection that owns it; throws naming what is missing. */
    private record Connected(ActiveCall call, AmiConnection server) {
    }

    Connected connected(String agentId) {
        ActiveCall c = callOf(agentId).orElseThrow(() -> new IllegalStateException("agent " + agentId
                + " is not on a call"));
        AmiConnection server = ami.get(c.server);
        if (server == null) {
            throw new IllegalStateException("no AMI connection for server '" + c.server + "'");
        }
        return new Connected(c, server);
    }

    static String badTarget(String target) {
        return "transfer target '" + target + "' (expected: queue:NAME, or 1-40 of digits, letters, * # + - _)";
    }

    static <T> java.util.concurrent.CompletableFuture<T> failed(String message) {
        return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(message));
    }

    /**
     * Blind transfer: the caller connected to {@code agentId} is redirected to {@code acd.transfer_context,target,1}
     * (an extension, a number, or anything that context dials); the agent's leg ends and goes to wrap-up.
     */
    public java.util.concurrent.CompletableFuture<Void> transfer(String agentId, String target) {
        if (target != null && target.startsWith("queue:")) {
            return transferToQueue(agentId, target.substring("queue:".length()));
        }
        if (target == null || !TARGET.matcher(target).matches()) {
            return failed(badTarget(target));
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        c.endedBy = "transfer";
        return server.redirect(c.channel, config.transferContext(), target).whenComplete((ok, e) -> {
            if (e == null) {
                emit(new CallEvent.Transferred(c.id, clock.instant(), agentId, target, false));
            } else {
                c.endedBy = null;
            }
        });
    }

    /**
     * Blind transfer to a queue: the caller is redirected into the connect context again; the agent's leg ends
     * (wrap-up) and the next session re-enqueues the call in {@code queueName}, where it waits like a new arrival,
     * keeping its call id and its call record (one record, two queue visits).
     */
    java.util.concurrent.CompletableFuture<Void> transferToQueue(String agentId, String queueName) {
        QueueConfig q = queues.get(queueName);
        if (q == null) {
            return failed("transfer to unknown queue '" + queueName + "' (expected one of: "
                    + String.join(", ", queues.keySet()) + ")");
        }
        if (ctx.disabledQueues.contains(queueName)) {
            return failed("transfer to queue '" + queueName + "', which is disabled");
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        if (!c.transferToQueue()) {   // from now on the ending agent leg does not end the call
            return failed("call " + c.id + " is " + c.phase() + " (expected: connected to agent " + agentId + ")");
        }
        c.requeueTo = q;
        c.endedBy = "transfer";
        return server.redirect(c.channel, config.connectContext(), c.id).whenComplete((ok, e) -> {
            if (e != null) {
                c.requeueTo = null;
                c.endedBy = null;
                c.transferFailed();
            }
        });
    }

    /**
     * Attended transfer: Asterisk's {@code Atxfer} on the agent's leg puts the caller on hold and dials
     * {@code acd.transfer_context,target,1} for the agent to consult. The returned future completes when Asterisk
     * has started that ("Atxfer successfully queued"); the transfer itself is recorded only when Asterisk reports
     * it done ({@code AttendedTransfer} with {@code Result: Success} for this agent's channel, which happens when
     * the agent hangs up while the target is up). If the target does not answer or hangs up first, the agent is
     * back with the caller and the call simply goes on; nothing is recorded as transferred.
     */
    public java.util.concurrent.CompletableFuture<Void> transferAttended(String agentId, String target) {
        if (target == null || !TARGET.matcher(target).matches()) {
            return failed(badTarget(target));
        }
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        if (c.agentChannel == null) {
            return failed("the agent's channel of call " + c.id + " is not known yet (no DialEnd from AMI)");
        }
        // Registered before the action goes out: AttendedTransfer may be read before the action's response is.
        String agentChannel = c.agentChannel;
        c.attended = new ActiveCall.PendingAttended(agentId, target);
        calls.pendingTransfer(c.server, agentChannel, c);
        return server.atxfer(agentChannel, config.transferContext(), target).whenComplete((ok, e) -> {
            if (e != null) {
                calls.dropPendingTransfer(c.server, agentChannel, c);
                c.attended = null;
            } else {
                log.info("call {}: agent {} is consulting {} (attended transfer pending)", c.id, agentId, target);
            }
        });
    }

    /**
     * Asterisk completed an attended transfer. One Hotline started (matched by the agent's channel, the
     * {@code OrigTransfererChannel}) is recorded: {@code Transferred(attended)}, and the agent's leg ends now
     * ("transfer"), though the caller's Dial goes on with the target. Others (made from a phone's own transfer key)
     * are not Hotline's to record.
     */
    void attendedTransferred(AmiEvent.AttendedTransfer t) {
        ActiveCall call = calls.takePendingTransfer(t.server(), t.origTransfererChannel())
                .or(() -> calls.takePendingTransfer(t.server(), t.secondTransfererChannel())).orElse(null);
        ActiveCall.PendingAttended p = call == null ? null : call.attended;
        if (p == null) {
            log.debug("AMI {}: attended transfer by {} was not started by Hotline; not recorded", t.server(),
                    t.origTransfererChannel());
            return;
        }
        call.attended = null;
        call.endedBy = "transfer";
        emit(new CallEvent.Transferred(call.id, clock.instant(), p.agentId(), p.target(), true));
        if (call.agentLegClosed.compareAndSet(false, true)) {
            ctx.releaseAgent(call, p.agentId());
            Duration talk = Duration.between(call.answeredAt == null ? clock.instant() : call.answeredAt,
                    clock.instant());
            emit(new CallEvent.Ended(call.id, clock.instant(), p.agentId(), "transfer", talk));
        }
    }

    /** Ends the call {@code agentId} is on (the agent hung up from the desktop). */
    public java.util.concurrent.CompletableFuture<Void> hangup(String agentId) {
        Connected on;
        try {
            on = connected(agentId);
        } catch (IllegalStateException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        ActiveCall c = on.call();
        AmiConnection server = on.server();
        c.endedBy = "agent";
        return server.hangup(c.channel);
    }

    /**
     * Listen, whisper or barge: originates {@code supervisorEndpoint} into {@code acd.spy_context,<mode>,1} with
     * {@code SPY_TARGET} set to the agent's endpoint, where the dialplan runs {@code ChanSpy}. The audit of who
     * listened to whom is the caller's (the gateway's) job.
     */
    public java.util.concurrent.CompletableFuture<AmiEvent.OriginateResult> spy(String supervisorEndpoint,
                                                                                String agentId, Acd.SpyMode mode) {
        AgentConfig agent = agents.get(agentId);
        if (agent == null || agent.endpoints().isEmpty()) {
            return failed("unknown agent " + agentId);
        }
        if (supervisorEndpoint == null || !AgentConfig.ENDPOINT.matcher(supervisorEndpoint).matches()) {
            return failed("supervisor endpoint '" + supervisorEndpoint + "' (expected: e.g. PJSIP/2001)");
        }
        String server = callOf(agentId).map(c -> c.server)
                .orElse(ami.isEmpty() ? "" : ami.keySet().iterator().next());
        AmiConnection connection = ami.get(server);
        if (connection == null) {
            return failed("no AMI connection for server '" + server + "'");
        }
        return connection.originate(supervisorEndpoint, config.spyContext(),
                mode.name().toLowerCase(java.util.Locale.ROOT), Duration.ofSeconds(30), "Hotline supervisor",
                Map.of("SPY_TARGET", agent.endpoints().get(0)));
    }

    /** The call {@code agentId} is connected to now, if any (see {@link LiveCall}). */
    public Optional<Acd.LiveCall> liveCall(String agentId) {
        return callOf(agentId).flatMap(c -> Optional.ofNullable(ami.get(c.server))
                .map(server -> new Acd.LiveCall(c.id, c.queue.name(), c.channel, server)));
    }
}
