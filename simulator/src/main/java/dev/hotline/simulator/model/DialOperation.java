package dev.hotline.simulator.model;

import dev.hotline.simulator.ami.AmiMessage;
import dev.hotline.simulator.clock.Cancellable;
import dev.hotline.simulator.endpoint.Endpoint;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * app_dial, for one target: rings a simulated endpoint, bridges on answer, and reports Dial's return value
 * (0: the dialplan goes on; -1: the caller is hung up) with {@code DIALSTATUS} set on the caller. Without the
 * {@code g} option a caller whose agent hangs up is hung up too, as in Asterisk. Owns the agent's channel.
 */
public final class DialOperation implements ChannelOwner {

    private enum Phase { RINGING, BRIDGED, DONE }

    private final SimChannel caller;
    private final Pbx pbx;
    private final String dialString;
    private final Optional<Duration> timeout;
    private final boolean goOnAfterAgentHangup;
    private final IntConsumer onDone;
    private SimChannel agent;
    private Endpoint.Reservation reservation;
    private Phase phase = Phase.RINGING;
    private String bridgeId = "";
    private Cancellable ringTimer = Cancellable.NONE;

    private DialOperation(SimChannel caller, String data, IntConsumer onDone) {
        this.caller = caller;
        this.pbx = caller.pbx();
        String[] parts = data.split(",", -1);
        this.dialString = parts[0].split("&")[0].trim();
        Optional<Duration> parsedTimeout = Optional.empty();
        if (parts.length > 1 && !parts[1].isBlank()) {
            try {
                parsedTimeout = Optional.of(Duration.ofMillis((long) (Double.parseDouble(parts[1].trim()) * 1000)));
            } catch (NumberFormatException e) {
                parsedTimeout = Optional.empty();
            }
        }
        this.timeout = parsedTimeout;
        this.goOnAfterAgentHangup = parts.length > 2 && parts[2].contains("g");
        this.onDone = onDone;
    }

    /** Starts a Dial on {@code caller}'s loop; {@code onDone} gets Dial's return value unless the caller hangs up. */
    public static DialOperation start(SimChannel caller, String data, IntConsumer onDone) {
        DialOperation dial = new DialOperation(caller, data, onDone);
        dial.begin();
        return dial;
    }

    private void begin() {
        Optional<Endpoint> endpoint = pbx.endpoints().find(dialString);
        Optional<Endpoint.Reservation> reserved = endpoint.flatMap(e -> e.reserve(caller.random()));
        if (reserved.isEmpty()) {
            boolean busy = endpoint.isPresent() && endpoint.get().isRegistered();
            caller.setVariable("DIALSTATUS", busy ? "BUSY" : "CHANUNAVAIL");
            phase = Phase.DONE;
            onDone.accept(0);
            return;
        }
        reservation = reserved.get();
        int slash = dialString.indexOf('/');
        String tech = dialString.substring(0, slash);
        String resource = dialString.substring(slash + 1);
        String suffix = pbx.ids().nextChannelSuffix();
        String name = tech.equals("Local") ? dialString + "-" + suffix + ";1" : dialString + "-" + suffix;
        int at = resource.indexOf('@');
        agent = pbx.newChannel(caller.loop(), name, tech, caller.linkedid(), ChannelState.DOWN,
                caller.callerIdNum(), caller.callerIdName(), at < 0 ? "default" : resource.substring(at + 1),
                at < 0 ? "s" : resource.substring(0, at), Optional.empty());
        agent.own(this);
        reservation.attach(agent);
        ChannelSnapshot from = caller.snapshot();
        ChannelSnapshot to = agent.snapshot();
        pbx.events().publish(() -> to.appendTo(from.appendTo(Events.event("DialBegin", "call,all")), "Dest")
                .add("DialString", resource).build());
        agent.setState(ChannelState.RINGING);
        switch (reservation.decision()) {
            case Endpoint.Decision.Answer answer -> {
                if (timeout.isEmpty() || answer.after().compareTo(timeout.get()) < 0) {
                    ringTimer = agent.schedule(answer.after(), () -> answered(answer.talk()));
                } else {
                    ringTimer = agent.schedule(timeout.get(), this::noAnswer);
                }
            }
            case Endpoint.Decision.NoAnswer noAnswer ->
                    timeout.ifPresent(t -> ringTimer = agent.schedule(t, this::noAnswer));
        }
    }

    private void answered(Duration talk) {
        if (phase != Phase.RINGING) {
            return;
        }
        phase = Phase.BRIDGED;
        agent.answer();
        caller.setConnectedLine(agent.snapshot().exten(), "");
        dialEnd("ANSWER");
        caller.setVariable("DIALSTATUS", "ANSWER");
        caller.stopPatience();
        reservation.inUse();
        pbx.stats().dialsAnswered.increment();
        bridgeId = UUID.randomUUID().toString();
        publishBridge("BridgeCreate", null, 0);
        agent.setBridgeId(bridgeId);
        publishBridge("BridgeEnter", agent, 1);
        caller.setBridgeId(bridgeId);
        publishBridge("BridgeEnter", caller, 2);
        agent.schedule(talk, () -> agent.hangup(HangupCause.NORMAL_CLEARING));
    }

    private void noAnswer() {
        if (phase != Phase.RINGING) {
            return;
        }
        dialEnd("NOANSWER");
        caller.setVariable("DIALSTATUS", "NOANSWER");
        endAgent(HangupCause.NO_ANSWER);
        onDone.accept(0);
    }

    /** The caller hung up or was redirected: the pending EXEC answers -1 on its own. */
    public void callerHungUp() {
        if (phase == Phase.RINGING) {
            ringTimer.cancel();
            dialEnd("CANCEL");
            caller.setVariable("DIALSTATUS", "CANCEL");
            endAgent(HangupCause.NORMAL_CLEARING);
        } else if (phase == Phase.BRIDGED) {
            leaveBridge();
            endAgent(HangupCause.NORMAL_CLEARING);
        }
    }

    /** The agent's channel was hung up (talk time over, the endpoint hung up, AMI Hangup). */
    @Override
    public void onSoftHangup() {
        if (phase == Phase.RINGING) {
            ringTimer.cancel();
            dialEnd("BUSY");
            caller.setVariable("DIALSTATUS", "BUSY");
            phase = Phase.DONE;
            agent.release();
            reservation.release();
            onDone.accept(0);
        } else if (phase == Phase.BRIDGED) {
            leaveBridge();
            phase = Phase.DONE;
            agent.release();
            reservation.release();
            if (goOnAfterAgentHangup) {
                onDone.accept(0);
            } else {
                onDone.accept(-1);
                caller.hangup(HangupCause.NORMAL_CLEARING);
            }
        }
    }

    private void endAgent(HangupCause cause) {
        phase = Phase.DONE;
        agent.own(null);
        agent.hangup(cause);
        reservation.release();
    }

    private void leaveBridge() {
        publishBridge("BridgeLeave", caller, 1);
        caller.setBridgeId("");
        publishBridge("BridgeLeave", agent, 0);
        agent.setBridgeId("");
        publishBridge("BridgeDestroy", null, 0);
    }

    private void dialEnd(String status) {
        ChannelSnapshot from = caller.snapshot();
        ChannelSnapshot to = agent.snapshot();
        pbx.events().publish(() -> to.appendTo(from.appendTo(Events.event("DialEnd", "call,all")), "Dest")
                .add("DialStatus", status).build());
    }

    private void publishBridge(String event, SimChannel member, int count) {
        String id = bridgeId;
        ChannelSnapshot snapshot = member == null ? null : member.snapshot();
        pbx.events().publish(() -> {
            AmiMessage.Builder builder = Events.event(event, "call,all")
                    .add("BridgeUniqueid", id)
                    .add("BridgeType", "basic")
                    .add("BridgeTechnology", "simple_bridge")
                    .add("BridgeCreator", "<unknown>")
                    .add("BridgeName", "<unknown>")
                    .add("BridgeNumChannels", count)
                    .add("BridgeVideoSourceMode", "none");
            return snapshot == null ? builder.build() : snapshot.appendTo(builder).build();
        });
    }
}
