package dev.hotline.acd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.ami.AmiEvent;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * What AMI's events mean for the calls and agents: answers, attended transfers, hang-ups between sessions, phones that become (un)reachable, AMI going down or up, and the reconciliation with the channels Asterisk lists.
 */
final class AmiReactions extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(AmiReactions.class);

    AmiReactions(AcdContext ctx) {
        super(ctx);
    }

    /** Called on asterisk-java's thread: translate and hand over, never block. */
    public void onAmiEvent(AmiEvent event) {
        switch (event) {
            case AmiEvent.DialEnded d when "ANSWER".equalsIgnoreCase(d.status()) -> {
                // An Originate's DialEnd has no calling channel (no uniqueid): not a queued caller's Dial.
                ActiveCall call = calls.byUniqueId(d.server(), d.uniqueId()).orElse(null);
                if (call != null) {
                    call.agentChannel = d.destChannel();
                    ctx.answered(call);
                }
                dev.hotline.callbacks.Callbacks cb = ctx.callbacks;
                if (call == null && cb != null && d.uniqueId() != null) {
                    cb.dialAnswered(d.uniqueId());   // customer-first: the reserved agent answered the customer
                }
            }
            case AmiEvent.AttendedTransfer t when t.succeeded() -> ctx.control.attendedTransferred(t);
            case AmiEvent.ChannelHungUp h -> {
                // The agent's leg is gone: an attended transfer not reported done by now did not happen.
                calls.takePendingTransfer(h.server(), h.channel()).ifPresent(c -> {
                    ActiveCall.PendingAttended p = c.attended;
                    c.attended = null;
                    if (p != null) {
                        log.info("call {}: agent {} hung up without the attended transfer to {} completing", c.id,
                                p.agentId(), p.target());
                    }
                });
                agentLegHungUp(h);
                callerHungUp(h);
            }
            case AmiEvent.DeviceStateChanged c -> device(c.device(), c.state().reachable());
            case AmiEvent.ConnectionChanged c -> connectionChanged(c);
            case AmiEvent.ChannelSnapshot snapshot -> reconcile(snapshot);
            case AmiEvent.DeviceSnapshot s -> {
                for (String endpoint : ctx.agentsByEndpoint.keySet()) {
                    dev.hotline.ami.DeviceState state = s.devices().get(endpoint);
                    if (state != null) {
                        device(endpoint, state.reachable());
                    }
                }
            }
            default -> { }
        }
    }

    /**
     * AMI to a server went down or came back: every session of a call on it waiting now looks again at once (while AMI
     * is down its waits are cut to {@link WaitingSession}'s 1 s slice, and an agent reserved meanwhile is dialled from the
     * session since no redirect can reach it).
     */
    void connectionChanged(AmiEvent.ConnectionChanged c) {
        for (ActiveCall call : calls.all()) {
            if (call.server.equals(c.server())) {
                call.wake();
            }
        }
    }

    /**
     * Asterisk listed its channels (after a (re)connect, or a restart): every call on that server whose caller channel
     * is not among them — and that existed when the list was asked for — ends now. One still waiting or ringing is
     * abandoned (the agent reserved for it is released, back to ready); a connected one ends ("system") and its agent
     * goes to wrap-up. Calls whose channels exist go on as they were.
     */
    void reconcile(AmiEvent.ChannelSnapshot snapshot) {
        List<String> gone = new ArrayList<>();
        for (ActiveCall call : calls.all()) {
            if (!call.server.equals(snapshot.server()) || call.createdNanos - snapshot.requestedNanos() > 0
                    || snapshot.has(call.uniqueId, call.channel)) {
                continue;
            }
            ctx.endAbruptly(call, "channel gone from Asterisk");
            gone.add(call.id);
        }
        if (gone.isEmpty()) {
            log.info("AMI {}: {} calls held, every channel present ({})", snapshot.server(), calls.size(),
                    snapshot.why());
        } else {
            log.warn("AMI {}: {} calls ended, their channels gone from Asterisk ({}): {}", snapshot.server(),
                    gone.size(), snapshot.why(), gone);
        }
    }

    /**
     * A caller's channel hung up while no session held the call (a redirect was carrying it to the connect
     * context): no session will see the hang-up, so the call is abandoned and ended here.
     */
    void callerHungUp(AmiEvent.ChannelHungUp h) {
        calls.byUniqueId(h.server(), h.uniqueId()).ifPresent(call -> {
            if (call.betweenSessions() && !call.hasSession() && call.requeueTo == null && !call.answered) {
                abandon(call, "caller hung up while being redirected");
                calls.end(call, "caller hung up while being redirected");
            }
        });
    }

    /**
     * The agent's leg of a connected call hung up (either side ended the conversation): the agent is freed now, on
     * AMI's word, rather than after the caller's Dial returns and its session's commands run. The session still ends
     * the call (who hung up first, the survey); the routing core hears {@code CallEnded} once.
     */
    void agentLegHungUp(AmiEvent.ChannelHungUp h) {
        String linked = h.linkedId();
        ActiveCall call = linked == null || linked.isEmpty() ? null : calls.get(linked).orElse(null);
        if (call == null || !call.answered || !call.server.equals(h.server()) || call.agentLegClosed.get()
                || !h.channel().equals(call.agentChannel)) {
            return;
        }
        dev.hotline.routing.Decision.Offer offer = call.dialled != null ? call.dialled : call.offer;
        if (offer != null) {
            ctx.releaseAgent(call, offer.agentId());
        }
    }

    /**
     * An agent's phone became unreachable (unregistered) or reachable again. Unreachable: the agent is made not
     * ready with reason "phone unavailable" so no call is sent where it cannot ring; reachable again: an agent
     * Hotline made not ready for that reason is made ready.
     */
    void device(String endpoint, boolean reachable) {
        for (String agentId : ctx.agentsByEndpoint.getOrDefault(endpoint, List.of())) {
            if (!reachable && ctx.unavailableByDevice.add(agentId)) {
                AgentState s = agentStates.get(agentId);
                if (s instanceof AgentState.Ready) {
                    loop.post(new Command.SetNotReady(agentId, "phone unavailable"));
                }
            } else if (reachable && ctx.unavailableByDevice.remove(agentId)) {
                AgentState s = agentStates.get(agentId);
                if (s instanceof AgentState.NotReady nr && nr.reason().equals("phone unavailable")) {
                    loop.post(new Command.SetReady(agentId));
                }
            }
        }
    }
}
