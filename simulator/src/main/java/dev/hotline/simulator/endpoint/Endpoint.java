package dev.hotline.simulator.endpoint;

import dev.hotline.simulator.model.Events;
import dev.hotline.simulator.model.HangupCause;
import dev.hotline.simulator.model.SimChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A simulated agent softphone such as {@code PJSIP/1001}: registered or not, idle, ringing or in a call. One call
 * at a time. Tests steer it with {@link #answerNext}, {@link #ignoreNext}, {@link #hangUp}, {@link #unregister};
 * otherwise its {@link EndpointBehaviour} decides. Thread-safe: calls on any event loop may ring it.
 */
public final class Endpoint {

    /** What the phone does with the next ring. */
    public sealed interface Decision {
        record Answer(Duration after, Duration talk) implements Decision {
        }

        record NoAnswer() implements Decision {
        }
    }

    private final String name;
    private final Endpoints owner;
    private final Deque<Decision> scripted = new ArrayDeque<>();
    private EndpointBehaviour behaviour;
    private boolean registered;
    private DeviceState state;
    private SimChannel active;
    /** An outbound contact's line that is always engaged: every ring is refused busy. */
    private volatile boolean busyLine;
    /** An outbound contact answered by an answering machine: {@code AMD()} on its channel says MACHINE. */
    private volatile boolean machine;

    Endpoint(String name, Endpoints owner, EndpointBehaviour behaviour, boolean registered) {
        this.name = name;
        this.owner = owner;
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.registered = registered;
        this.state = registered ? DeviceState.NOT_INUSE : DeviceState.UNAVAILABLE;
    }

    public String name() {
        return name;
    }

    public synchronized boolean isRegistered() {
        return registered;
    }

    public synchronized DeviceState deviceState() {
        return state;
    }

    /** How the phone behaves when rung now. */
    public synchronized EndpointBehaviour behaviour() {
        return behaviour;
    }

    public synchronized void setBehaviour(EndpointBehaviour newBehaviour) {
        this.behaviour = Objects.requireNonNull(newBehaviour, "behaviour");
    }

    public void register() {
        synchronized (this) {
            registered = true;
        }
        changeState(active == null ? DeviceState.NOT_INUSE : DeviceState.INUSE);
    }

    /** The phone goes offline: new calls get CHANUNAVAIL; a call in progress goes on. */
    public void unregister() {
        synchronized (this) {
            registered = false;
        }
        if (currentCall().isEmpty()) {
            changeState(DeviceState.UNAVAILABLE);
        }
    }

    /** The next ring is answered after {@code after}, and the agent hangs up after talking {@code talk}. */
    public synchronized Endpoint answerNext(Duration after, Duration talk) {
        scripted.addLast(new Decision.Answer(after, talk));
        return this;
    }

    /** The next ring is never answered. */
    public synchronized Endpoint ignoreNext() {
        scripted.addLast(new Decision.NoAnswer());
        return this;
    }

    /** The agent hangs up the call in progress now, if any. Returns whether there was one. */
    public boolean hangUp() {
        Optional<SimChannel> call = currentCall();
        call.ifPresent(channel -> channel.execute(() -> channel.hangup(HangupCause.NORMAL_CLEARING)));
        return call.isPresent();
    }

    public synchronized Optional<SimChannel> currentCall() {
        return Optional.ofNullable(active);
    }

    /** Makes every ring of this line busy (an outbound contact's engaged line), or not. */
    public Endpoint busyLine(boolean busy) {
        this.busyLine = busy;
        return this;
    }

    /** Makes this line answered by a machine ({@code AMD()} hears MACHINE), or by a person. */
    public Endpoint machine(boolean isMachine) {
        this.machine = isMachine;
        return this;
    }

    public boolean isMachine() {
        return machine;
    }

    /** Takes the phone for a new call; empty if it is unregistered or busy. */
    public Optional<Reservation> reserve(RandomGenerator random) {
        Decision decision;
        synchronized (this) {
            if (!registered || state != DeviceState.NOT_INUSE || busyLine) {
                return Optional.empty();
            }
            decision = scripted.isEmpty() ? draw(random) : scripted.removeFirst();
            state = DeviceState.RINGING;
        }
        publish(DeviceState.RINGING);
        boolean atOnce;
        synchronized (this) {
            atOnce = behaviour.transferAtOnce();
        }
        return Optional.of(new Reservation(decision, atOnce));
    }

    private Decision draw(RandomGenerator random) {
        if (random.nextDouble() >= behaviour.answerProbability()) {
            return new Decision.NoAnswer();
        }
        return new Decision.Answer(behaviour.answerDelay().sample(random), behaviour.talkTime().sample(random));
    }

    private void changeState(DeviceState newState) {
        synchronized (this) {
            if (state == newState) {
                return;
            }
            state = newState;
        }
        publish(newState);
    }

    private void publish(DeviceState newState) {
        owner.events().publish(() -> Events.deviceStateChange(name, newState.name()));
    }

    /** The phone, held for one call until {@link #release()}. */
    public final class Reservation {
        private final Decision decision;
        private final boolean transferAtOnce;
        private boolean released;

        private Reservation(Decision decision, boolean transferAtOnce) {
            this.decision = decision;
            this.transferAtOnce = transferAtOnce;
        }

        public Decision decision() {
            return decision;
        }

        /** Whether the agent hangs up as soon as an attended transfer's target is up (see {@link EndpointBehaviour}). */
        public boolean transferAtOnce() {
            return transferAtOnce;
        }

        public void attach(SimChannel channel) {
            synchronized (Endpoint.this) {
                active = channel;
            }
        }

        public void inUse() {
            changeState(DeviceState.INUSE);
        }

        public void release() {
            if (released) {
                return;
            }
            released = true;
            boolean online;
            synchronized (Endpoint.this) {
                active = null;
                online = registered;
            }
            changeState(online ? DeviceState.NOT_INUSE : DeviceState.UNAVAILABLE);
        }
    }
}
