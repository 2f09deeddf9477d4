package dev.hotline.simulator.model;

import dev.hotline.simulator.ami.AmiMessage;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The consultation leg of an attended transfer (AMI Atxfer, Asterisk's bridge_basic attended transfer): the caller
 * hears hold music, the agent leaves the caller's bridge and is bridged with {@code Local/exten@context;1}, whose
 * {@code ;2} half runs the context through the simulator's dialplan (as Originate's Local channels do). The target
 * counts as up while that dialplan runs.
 *
 * <p>Ends one of three ways, each decided by the {@link DialOperation} that owns the call: the agent hangs up while
 * the target is up (the transfer completes: {@link #successEvent}, {@link #dissolve}); the target hangs up first, or
 * its context does not exist (the agent is back with the caller; Asterisk sends no AttendedTransfer then, and
 * neither does the simulator); the caller hangs up ({@link #abandon}, simplified: the consultation ends too).
 */
final class Consultation {

    private final DialOperation dial;
    private final Pbx pbx;
    private final String context;
    private final String exten;
    private final String consultBridge = UUID.randomUUID().toString();
    private SimChannel one;
    private SimChannel two;
    private boolean over;

    Consultation(DialOperation dial, String context, String exten) {
        this.dial = dial;
        this.pbx = dial.pbx();
        this.context = context;
        this.exten = exten;
    }

    /** Holds the caller and dials the target; a target that cannot be reached hands the agent back at once. */
    void begin() {
        SimChannel caller = dial.caller();
        SimChannel agent = dial.agent();
        caller.setMusicOnHold(true, "default");
        dial.agentLeavesForConsultation();
        agent.setBridgeId("");
        String base = "Local/" + exten + "@" + context + "-" + pbx.ids().nextChannelSuffix();
        one = pbx.newChannel(caller.loop(), base + ";1", "Local", caller.linkedid(), ChannelState.DOWN,
                agent.callerIdNum(), agent.callerIdName(), context, exten, Optional.empty());
        two = pbx.newChannel(caller.loop(), base + ";2", "Local", caller.linkedid(), ChannelState.RING,
                agent.callerIdNum(), agent.callerIdName(), context, exten, Optional.empty());
        ChannelSnapshot from = agent.snapshot();
        ChannelSnapshot to = one.snapshot();
        pbx.events().publish(() -> to.appendTo(from.appendTo(Events.event("DialBegin", "call,all")), "Dest")
                .add("DialString", exten + "@" + context).build());
        one.ended().thenRun(() -> two.execute(() -> two.hangup(HangupCause.NORMAL_CLEARING)));
        two.ended().thenRun(() -> one.execute(() -> one.hangup(HangupCause.NORMAL_CLEARING)));
        pbx.runDialplan(two);
        if (two.isDestroyed() || two.isHangupRequested()) {
            dialEnd(from, "CHANUNAVAIL");
            over = true;
            one.hangup(HangupCause.UNKNOWN);
            dial.consultationOver(this);
            return;
        }
        one.answer();
        dialEnd(agent.snapshot(), "ANSWER");
        one.own(this::targetHungUp);
        DialOperation.publishBridge(pbx, "BridgeCreate", consultBridge, null, 0);
        agent.setBridgeId(consultBridge);
        DialOperation.publishBridge(pbx, "BridgeEnter", consultBridge, agent, 1);
        one.setBridgeId(consultBridge);
        DialOperation.publishBridge(pbx, "BridgeEnter", consultBridge, one, 2);
    }

    private void dialEnd(ChannelSnapshot from, String status) {
        ChannelSnapshot to = one.snapshot();
        pbx.events().publish(() -> to.appendTo(from.appendTo(Events.event("DialEnd", "call,all")), "Dest")
                .add("DialStatus", status).build());
    }

    /** Whether the target (the Local channel's {@code ;1} half) is still up. */
    boolean targetUp() {
        return !over && one != null && !one.isSoftHungUp() && !one.isDestroyed();
    }

    /** The channel that takes the agent's place when the transfer completes. */
    SimChannel target() {
        return one;
    }

    /** The target hung up first: out of the consultation bridge, the agent goes back to the caller. */
    private void targetHungUp() {
        if (!over) {
            over = true;
            leaveConsultBridge(true);
            dial.consultationOver(this);
        }
        one.release();
    }

    /** The transfer completed: the consultation bridge goes away (the target moves to the caller's bridge). */
    void dissolve() {
        over = true;
        leaveConsultBridge(false);
        one.own(null);
    }

    /** The caller hung up during the consultation: the target is hung up too. */
    void abandon() {
        if (over) {
            return;
        }
        over = true;
        leaveConsultBridge(true);
        one.own(null);
        one.hangup(HangupCause.NORMAL_CLEARING);
    }

    private void leaveConsultBridge(boolean agentStays) {
        SimChannel agent = dial.agent();
        DialOperation.publishBridge(pbx, "BridgeLeave", consultBridge, one, 1);
        one.setBridgeId("");
        DialOperation.publishBridge(pbx, "BridgeLeave", consultBridge, agent, 0);
        if (agentStays || consultBridge.equals(agent.snapshot().bridgeId())) {
            agent.setBridgeId("");
        }
        DialOperation.publishBridge(pbx, "BridgeDestroy", consultBridge, null, 0);
    }

    /**
     * {@code AttendedTransfer} with {@code Result: Success}, laid out as Asterisk 22's stasis_bridges.c writes it:
     * the transferer in the caller's bridge (Orig…) and in the consultation bridge (Second…, the same channel for
     * the Atxfer feature), {@code DestType: Bridge} (the consultation merged into the caller's bridge), then the
     * transferee (the caller) and the transfer target. Snapshots are taken now, before anything moves.
     */
    Supplier<AmiMessage> successEvent() {
        ChannelSnapshot transferer = dial.agent().snapshot();
        ChannelSnapshot transferee = dial.caller().snapshot();
        ChannelSnapshot target = one.snapshot();
        String original = dial.bridgeId();
        return () -> {
            AmiMessage.Builder event = Events.event("AttendedTransfer", "call,all").add("Result", "Success");
            transferer.appendTo(event, "OrigTransferer");
            DialOperation.bridge(event, "Orig", original, 2);
            transferer.appendTo(event, "SecondTransferer");
            DialOperation.bridge(event, "Second", consultBridge, 2);
            event.add("IsExternal", "No").add("DestType", "Bridge").add("DestBridgeUniqueid", original);
            transferee.appendTo(event, "Transferee");
            target.appendTo(event, "TransferTarget");
            return event.build();
        };
    }
}
