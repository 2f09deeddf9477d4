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
 *
 * <p>An attended transfer ({@link #attendedTransfer}) puts the caller on hold while the agent consults the target
 * (a {@link Consultation}); when the agent hangs up with the target still up, the target takes the agent's place in
 * the caller's bridge and Dial goes on until the target hangs up, as Asterisk's bridge merge does.
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
    /** The channel bridged with the caller: the agent, then the transfer target after an attended transfer. */
    private SimChannel peer;
    /** The agent's attended transfer in progress, if any. */
    private Consultation consultation;

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

    /** The Dial that owns {@code agentChannel} (the dialled side), if one does. */
    public static Optional<DialOperation> owning(SimChannel agentChannel) {
        return agentChannel.owner() instanceof DialOperation dial && dial.agent == agentChannel
                ? Optional.of(dial) : Optional.empty();
    }

    SimChannel caller() {
        return caller;
    }

    SimChannel agent() {
        return agent;
    }

    String bridgeId() {
        return bridgeId;
    }

    Pbx pbx() {
        return pbx;
    }

    /**
     * AMI Atxfer on the agent's channel: the caller hears hold music and the agent consults
     * {@code Local/exten@context}. Returns false (nothing happens) unless the agent is bridged with the caller and
     * no other transfer is under way. Must run on the call's loop.
     */
    public boolean attendedTransfer(String context, String exten) {
        if (phase != Phase.BRIDGED || consultation != null || peer != agent || agent.isSoftHungUp()) {
            return false;
        }
        Consultation started = new Consultation(this, context, exten);
        consultation = started;
        started.begin();
        if (consultation == started && reservation.transferAtOnce()) {
            agent.schedule(Duration.ZERO, () -> agent.hangup(HangupCause.NORMAL_CLEARING));
        }
        return true;
    }

    /** The consultation ended without a transfer (the target hung up or never came up): agent back with caller. */
    void consultationOver(Consultation over) {
        if (consultation != over) {
            return;
        }
        consultation = null;
        if (phase == Phase.BRIDGED && !agent.isDestroyed()) {
            agent.setBridgeId(bridgeId);
            publishBridge("BridgeEnter", agent, 2);
        }
        caller.setMusicOnHold(false, "");
    }

    private void answered(Duration talk) {
        if (phase != Phase.RINGING) {
            return;
        }
        phase = Phase.BRIDGED;
        peer = agent;
        agent.answer();
        caller.setConnectedLine(agent.snapshot().exten(), "");
        dialEnd("ANSWER");
        caller.setVariable("DIALSTATUS", "ANSWER");
        caller.stopPatience();
        caller.trace().talked();
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
            Consultation open = consultation;
            consultation = null;
            if (open != null) {
                open.abandon();   // simplified: the agent's consultation ends with the caller
            }
            leaveBridge();
            if (peer != agent) {
                phase = Phase.DONE;
                peer.own(null);
                peer.hangup(HangupCause.NORMAL_CLEARING);
            } else {
                endAgent(HangupCause.NORMAL_CLEARING);
            }
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
        } else if (phase == Phase.BRIDGED && consultation != null && consultation.targetUp()) {
            Consultation done = consultation;
            consultation = null;
            completeTransfer(done);
        } else if (phase == Phase.BRIDGED) {
            Consultation open = consultation;
            consultation = null;
            if (open != null) {
                open.abandon();
                caller.setMusicOnHold(false, "");
            }
            leaveBridge();
            phase = Phase.DONE;
            agent.release();
            reservation.release();
            if (goOnAfterAgentHangup) {
                onDone.accept(0);
            } else {
                onDone.accept(-1);
                caller.trace().ended(CallTrace.EndedBy.AGENT);
                caller.hangup(HangupCause.NORMAL_CLEARING);
            }
        }
    }

    /**
     * The agent hung up while the consulted target is up: AttendedTransfer (Result Success), then the target takes
     * the agent's place in the caller's bridge and the agent's channel goes away. Dial goes on with the target.
     */
    private void completeTransfer(Consultation done) {
        SimChannel target = done.target();
        pbx.events().publish(done.successEvent());
        done.dissolve();
        target.own(this::targetHungUp);
        peer = target;
        target.setBridgeId(bridgeId);
        publishBridge("BridgeEnter", target, 2);
        caller.setMusicOnHold(false, "");
        caller.setConnectedLine(target.callerIdNum(), target.callerIdName());
        agent.release();
        reservation.release();
    }

    /** After an attended transfer: the target hung up, so Dial returns as it would after the agent's hang-up. */
    private void targetHungUp() {
        if (phase != Phase.BRIDGED) {
            peer.release();
            return;
        }
        leaveBridge();
        phase = Phase.DONE;
        peer.release();
        if (goOnAfterAgentHangup) {
            onDone.accept(0);
        } else {
            onDone.accept(-1);
            caller.trace().ended(CallTrace.EndedBy.AGENT);
            caller.hangup(HangupCause.NORMAL_CLEARING);
        }
    }

    private void endAgent(HangupCause cause) {
        phase = Phase.DONE;
        agent.own(null);
        agent.hangup(cause);
        reservation.release();
    }

    private void leaveBridge() {
        boolean peerIn = bridgeId.equals(peer.snapshot().bridgeId());
        publishBridge("BridgeLeave", caller, peerIn ? 1 : 0);
        caller.setBridgeId("");
        if (peerIn) {
            publishBridge("BridgeLeave", peer, 0);
            peer.setBridgeId("");
        }
        publishBridge("BridgeDestroy", null, 0);
    }

    /** The agent leaves the caller's bridge for a consultation (the caller stays, on hold). */
    void agentLeavesForConsultation() {
        publishBridge("BridgeLeave", agent, 1);
    }

    private void dialEnd(String status) {
        ChannelSnapshot from = caller.snapshot();
        ChannelSnapshot to = agent.snapshot();
        pbx.events().publish(() -> to.appendTo(from.appendTo(Events.event("DialEnd", "call,all")), "Dest")
                .add("DialStatus", status).build());
    }

    private void publishBridge(String event, SimChannel member, int count) {
        publishBridge(pbx, event, bridgeId, member, count);
    }

    /** A bridge event ({@code BridgeCreate/Enter/Leave/Destroy}) of a basic two-party bridge. */
    static void publishBridge(Pbx pbx, String event, String id, SimChannel member, int count) {
        ChannelSnapshot snapshot = member == null ? null : member.snapshot();
        pbx.events().publish(() -> {
            AmiMessage.Builder builder = bridge(Events.event(event, "call,all"), "", id, count);
            return snapshot == null ? builder.build() : snapshot.appendTo(builder).build();
        });
    }

    /** The bridge snapshot block, with {@code prefix} ({@code Orig}, {@code Second}) as AttendedTransfer writes it. */
    static AmiMessage.Builder bridge(AmiMessage.Builder builder, String prefix, String id, int count) {
        return builder.add(prefix + "BridgeUniqueid", id)
                .add(prefix + "BridgeType", "basic")
                .add(prefix + "BridgeTechnology", "simple_bridge")
                .add(prefix + "BridgeCreator", "<unknown>")
                .add(prefix + "BridgeName", "<unknown>")
                .add(prefix + "BridgeNumChannels", count)
                .add(prefix + "BridgeVideoSourceMode", "none");
    }
}
