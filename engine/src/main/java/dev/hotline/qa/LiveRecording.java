package dev.hotline.qa;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The recording of one call while the call goes on, and what may be done to it. A call has at most one recording
 * file: started by the queue's policy when the agent answers, or on demand; it can be paused (a caller reads out a
 * card number: Asterisk's {@code MixMonitorMute} writes silence meanwhile), resumed, and stopped. A stopped
 * recording is not restarted: pausing is the way to leave a part out. Immutable; each action returns the next
 * state or a {@link Refusal} saying why not.
 *
 * <p>Who may do what: pause and resume belong to anyone taking part (the agent on the call, a supervisor of the
 * agent's team) whenever the call is recorded, since hiding a card number must never wait for a permission; start
 * and stop only to those the queue's {@link RecordingPolicy.OnDemand} names.
 *
 * @param callId  the call
 * @param file    the recording's file name (relative to the recordings folder)
 * @param onDemand whether it was started on demand (else by the queue's policy)
 * @param state   recording, paused or stopped
 * @param events  every action so far, in order, the start first
 */
public record LiveRecording(String callId, String file, boolean onDemand, State state, List<Event> events) {

    public enum State { RECORDING, PAUSED, STOPPED }

    /** What can be done to a call's recording. */
    public enum Action {
        START, PAUSE, RESUME, STOP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Action> parse(String text) {
            for (Action a : values()) {
                if (a.wireName().equals(text)) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }
    }

    /** One action on a recording: when, what, by whom ({@code policy} for the queue's own start). */
    public record Event(Instant at, Action action, String by) {
        public Event {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(by, "by");
        }
    }

    /** Why an action is refused; {@code forbidden} when it is the actor's right that is missing, else a conflict. */
    public record Refusal(boolean forbidden, String reason) {
    }

    public LiveRecording {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        events = List.copyOf(events);
        if (events.isEmpty() || events.getFirst().action() != Action.START) {
            throw new IllegalArgumentException("events: a recording's history begins with its start");
        }
    }

    /** A recording started at {@code at}, by the queue's policy ({@code by = "policy"}) or on demand. */
    public static LiveRecording started(String callId, String file, boolean onDemand, Instant at, String by) {
        return new LiveRecording(callId, file, onDemand, State.RECORDING, List.of(new Event(at, Action.START, by)));
    }

    /**
     * Whether {@code actor} may do {@code action} to the call's recording ({@code current}: empty when the call is
     * not recorded) under {@code policy}; empty when allowed.
     */
    public static Optional<Refusal> check(Action action, RecordingPolicy.Actor actor, RecordingPolicy policy,
                                          Optional<LiveRecording> current) {
        boolean mayStartStop = policy.onDemand().allows(actor);
        String who = actor.name().toLowerCase(Locale.ROOT);
        return switch (action) {
            case START -> !mayStartStop ? Optional.of(new Refusal(true, "queue " + policy.queue() + " does not let"
                    + " a " + who + " start a recording (on demand: " + wire(policy.onDemand()) + ")"))
                    : current.map(r -> new Refusal(false, "the call is already recorded (" + r.file() + ", "
                    + wire(r.state()) + ")"));
            case STOP -> !mayStartStop ? Optional.of(new Refusal(true, "queue " + policy.queue() + " does not let"
                    + " a " + who + " stop a recording (on demand: " + wire(policy.onDemand()) + ")"))
                    : notRecorded(current).or(() -> current.get().state() == State.STOPPED
                    ? Optional.of(new Refusal(false, "the recording is already stopped")) : Optional.empty());
            case PAUSE -> notRecorded(current).or(() -> switch (current.get().state()) {
                case RECORDING -> Optional.empty();
                case PAUSED -> Optional.of(new Refusal(false, "the recording is already paused"));
                case STOPPED -> Optional.of(new Refusal(false, "the recording is stopped"));
            });
            case RESUME -> notRecorded(current).or(() -> current.get().state() == State.PAUSED ? Optional.empty()
                    : Optional.of(new Refusal(false, "the recording is not paused (" + wire(current.get().state())
                    + ")")));
        };
    }

    private static Optional<Refusal> notRecorded(Optional<LiveRecording> current) {
        return current.isEmpty() ? Optional.of(new Refusal(false, "the call is not being recorded")) : Optional.empty();
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** This recording after {@code action} (pause, resume or stop), which {@link #check} allowed. */
    public LiveRecording apply(Action action, Instant at, String by) {
        State next = switch (action) {
            case START -> throw new IllegalStateException("call " + callId + " is already recorded into " + file);
            case PAUSE -> state == State.RECORDING ? State.PAUSED : refuse(action);
            case RESUME -> state == State.PAUSED ? State.RECORDING : refuse(action);
            case STOP -> state != State.STOPPED ? State.STOPPED : refuse(action);
        };
        List<Event> all = new ArrayList<>(events);
        all.add(new Event(at, action, by));
        return new LiveRecording(callId, file, onDemand, next, all);
    }

    private State refuse(Action action) {
        throw new IllegalStateException("call " + callId + ": cannot " + action.wireName() + " a recording that is "
                + wire(state));
    }

    /** How long the recording has been paused up to {@code now} (the parts left silent). */
    public Duration pausedFor(Instant now) {
        Duration total = Duration.ZERO;
        Instant pausedAt = null;
        for (Event e : events) {
            if (e.action() == Action.PAUSE) {
                pausedAt = e.at();
            } else if (pausedAt != null && (e.action() == Action.RESUME || e.action() == Action.STOP)) {
                total = total.plus(Duration.between(pausedAt, e.at()));
                pausedAt = null;
            }
        }
        return pausedAt == null ? total : total.plus(Duration.between(pausedAt, now));
    }
}
