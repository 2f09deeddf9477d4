package dev.hotline.simulator.model;

import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.ami.AmiMessage;
import dev.hotline.simulator.clock.Cancellable;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * One simulated Asterisk channel. Confined to its event loop: every method except {@link #snapshot()},
 * {@link #loop()} and the final identifiers must run there (use {@link #execute}). The channels of one call share a
 * loop, so a Dial touches both sides without locks.
 *
 * <p>Life cycle as in Asterisk: a hang-up or a Redirect is a <em>soft hangup</em> that the current
 * {@link ChannelOwner} sees first; only when the owner releases the channel does it move on (to the Redirect target)
 * or go away (the {@code Hangup} event).
 */
public final class SimChannel {

    private final Pbx pbx;
    private final EventLoop loop;
    private final String name;
    private final String type;
    private final String uniqueid;
    private final String linkedid;
    private final long threadId;
    private final long createdNanos;
    private final SplittableRandom random;
    private final Optional<CallerBehaviour> caller;
    private final CompletableFuture<HangupCause> ended = new CompletableFuture<>();
    private final Map<String, String> variables = new HashMap<>();
    private final List<Cancellable> channelTimers = new ArrayList<>();
    private final CallTrace trace = new CallTrace();

    private String callerIdNum;
    private String callerIdName;
    private String connectedNum = "";
    private String connectedName = "";
    private String context;
    private String exten;
    private int priority = 1;
    private ChannelState state;
    private String application = "";
    private String applicationData = "";
    private String bridgeId = "";
    private ChannelOwner owner;
    private Cancellable patience = Cancellable.NONE;
    private boolean moh;
    private boolean hangupRequested;
    private boolean redirectPending;
    private boolean destroyed;
    private HangupCause cause = HangupCause.NORMAL_CLEARING;
    private volatile ChannelSnapshot snapshot;

    SimChannel(Pbx pbx, EventLoop loop, String name, String type, String uniqueid, String linkedid,
               ChannelState state, String callerIdNum, String callerIdName, String context, String exten,
               SplittableRandom random, Optional<CallerBehaviour> caller) {
        this.pbx = pbx;
        this.loop = loop;
        this.name = name;
        this.type = type;
        this.uniqueid = uniqueid;
        this.linkedid = linkedid;
        this.state = state;
        this.callerIdNum = callerIdNum;
        this.callerIdName = callerIdName;
        this.context = context;
        this.exten = exten;
        this.random = random;
        this.caller = caller;
        this.threadId = 139_738_000_000_000L + random.nextLong(1_000_000_000L);
        this.createdNanos = pbx.clock().nanoTime();
        refresh();
    }

    public EventLoop loop() {
        return loop;
    }

    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public String uniqueid() {
        return uniqueid;
    }

    public String linkedid() {
        return linkedid;
    }

    public long threadId() {
        return threadId;
    }

    public Pbx pbx() {
        return pbx;
    }

    public SplittableRandom random() {
        return random;
    }

    public Optional<CallerBehaviour> caller() {
        return caller;
    }

    /** Completes with the hang-up cause once the channel is gone (after its {@code Hangup} event). */
    public CompletableFuture<HangupCause> ended() {
        return ended;
    }

    /** This channel's ground truth: its FastAGI sessions, the dialplan's routes, who ended it. */
    public CallTrace trace() {
        return trace;
    }

    public ChannelSnapshot snapshot() {
        return snapshot;
    }

    public String callerIdNum() {
        return callerIdNum;
    }

    public String callerIdName() {
        return callerIdName;
    }

    public String context() {
        return context;
    }

    public String exten() {
        return exten;
    }

    public int priority() {
        return priority;
    }

    public ChannelState state() {
        return state;
    }

    public Optional<String> variable(String variable) {
        return Optional.ofNullable(variables.get(variable));
    }

    public void setVariable(String variable, String value) {
        variables.put(variable, value);
    }

    public void setLocation(String newContext, String newExten, int newPriority) {
        this.context = newContext;
        this.exten = newExten;
        this.priority = newPriority;
        refresh();
    }

    public void setApplication(String app, String data) {
        this.application = app;
        this.applicationData = data;
        refresh();
    }

    public void setBridgeId(String id) {
        this.bridgeId = id;
        refresh();
    }

    public void setCallerId(String num, String nameValue) {
        this.callerIdNum = num;
        this.callerIdName = nameValue;
        refresh();
    }

    public void setConnectedLine(String num, String nameValue) {
        this.connectedNum = num;
        this.connectedName = nameValue;
        refresh();
    }

    public void setState(ChannelState newState) {
        if (state == newState) {
            return;
        }
        state = newState;
        refresh();
        ChannelSnapshot now = snapshot;
        pbx.events().publish(() -> now.appendTo(Events.event("Newstate", "call,all")).build());
    }

    public void answer() {
        setState(ChannelState.UP);
    }

    /** A timer tied to this channel's life: cancelled when the channel goes away. */
    public Cancellable schedule(Duration delay, Runnable task) {
        Cancellable timer = pbx.clock().schedule(loop, delay, () -> {
            if (!destroyed) {
                task.run();
            }
        });
        channelTimers.add(timer);
        return timer;
    }

    /** Delivers a DTMF digit from the far end to whatever runs on the channel. */
    public void sendDtmf(char digit) {
        ChannelOwner current = owner;
        if (current != null && !destroyed) {
            current.onDtmf(digit);
        }
    }

    /** Starts the caller's patience: an abandon after {@code wait}, unless already started or stopped. */
    public void startPatience(Duration wait) {
        if (patience != Cancellable.NONE) {
            return;
        }
        patience = schedule(wait, () -> {
            pbx.stats().abandons.increment();
            callerHangsUp();
        });
    }

    /** The person on this channel hangs up (patience over, a test's or the soak's hang-up). */
    public void callerHangsUp() {
        if (!hangupRequested && !destroyed) {
            trace.ended(CallTrace.EndedBy.CALLER);
        }
        hangup(HangupCause.NORMAL_CLEARING);
    }

    /** An agent answered: the caller no longer abandons. */
    public void stopPatience() {
        patience.cancel();
        patience = () -> { };
    }

    /** Hold music on or off, with Asterisk's MusicOnHoldStart/Stop events. */
    public void setMusicOnHold(boolean on, String mohClass) {
        if (moh == on) {
            return;
        }
        moh = on;
        trace.holdMusic(on);
        ChannelSnapshot now = snapshot;
        if (on) {
            pbx.events().publish(() -> now.appendTo(Events.event("MusicOnHoldStart", "call,all"))
                    .add("Class", mohClass).build());
        } else {
            pbx.events().publish(() -> now.appendTo(Events.event("MusicOnHoldStop", "call,all")).build());
        }
    }

    public boolean isMusicOnHold() {
        return moh;
    }

    /** Whether a hang-up or a Redirect is pending: Asterisk's {@code ast_check_hangup()}. */
    public boolean isSoftHungUp() {
        return hangupRequested || redirectPending;
    }

    public boolean isHangupRequested() {
        return hangupRequested;
    }

    public boolean isRedirectPending() {
        return redirectPending;
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    public HangupCause cause() {
        return cause;
    }

    /** What runs on the channel now (an AGI session, a Dial…), or null. */
    ChannelOwner owner() {
        return owner;
    }

    public void own(ChannelOwner newOwner) {
        this.owner = newOwner;
    }

    /**
     * Hangs the channel up. The owner (AGI, Dial…) is told first; a channel nobody owns goes away at once.
     * A second hang-up is ignored.
     */
    public void hangup(HangupCause hangupCause) {
        if (hangupRequested || destroyed) {
            return;
        }
        hangupRequested = true;
        cause = hangupCause;
        setMusicOnHold(false, "");
        ChannelOwner current = owner;
        if (current != null) {
            current.onSoftHangup();
        } else {
            destroy();
        }
    }

    /**
     * AMI Redirect: moves the channel to {@code newContext}. Refused (false) while a hang-up or an earlier Redirect
     * is pending, as manager.c refuses with "Redirect failed, channel not up."
     */
    public boolean redirect(String newContext, String newExten, int newPriority) {
        if (isSoftHungUp() || destroyed) {
            return false;
        }
        setLocation(newContext, newExten, newPriority);
        redirectPending = true;
        ChannelOwner current = owner;
        setMusicOnHold(false, "");
        if (current != null) {
            current.onSoftHangup();
        } else {
            release();
        }
        return true;
    }

    /** The owner is done with the channel: go on at a Redirect target, else hang up (the next priority). */
    public void release() {
        owner = null;
        setApplication("", "");
        if (destroyed) {
            return;
        }
        if (hangupRequested) {
            destroy();
        } else if (redirectPending) {
            redirectPending = false;
            pbx.runDialplan(this);
        } else {
            // The dialplan goes on at the next priority: Hangup(), or the routes of Hotline's dialplan.
            pbx.afterAgi(this);
        }
    }

    /** Removes the channel: {@code Hangup} event, timers cancelled, {@link #ended()} completed. */
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        hangupRequested = true;
        trace.ended(CallTrace.EndedBy.DIALPLAN);
        channelTimers.forEach(Cancellable::cancel);
        channelTimers.clear();
        ChannelSnapshot last = snapshot;
        HangupCause finalCause = cause;
        pbx.events().publish(() -> last.appendTo(Events.event("Hangup", "call,all"))
                .add("Cause", finalCause.code())
                .add("Cause-txt", finalCause.text())
                .build());
        pbx.unregister(this);
        ended.complete(finalCause);
    }

    private void refresh() {
        snapshot = new ChannelSnapshot(name, state, callerIdNum, callerIdName, connectedNum, connectedName, "en", "",
                context, exten, priority, uniqueid, linkedid, application, applicationData, bridgeId, createdNanos);
    }

    static AmiMessage newChannelEvent(ChannelSnapshot snapshot) {
        return snapshot.appendTo(Events.event("Newchannel", "call,all")).build();
    }

    @Override
    public String toString() {
        return name + " (" + uniqueid + ")";
    }
}
