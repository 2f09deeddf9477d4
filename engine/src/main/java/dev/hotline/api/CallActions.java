package dev.hotline.api;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What agents and supervisors do to calls: dispositions, transfers, hang-up, listen / whisper / barge, priority. */
public interface CallActions {

    /** Calls the engine holds now. */
    int active();

    /** The agent's disposition code and notes for their last call; false if they have had no call yet. */
    boolean disposition(String agentId, String code, String notes);

    /** Blind transfer of the caller connected to {@code agentId} (an extension, a number, or {@code queue:NAME}). */
    CompletableFuture<Void> transfer(String agentId, String target);

    /** Attended transfer: the agent consults {@code target} first. */
    CompletableFuture<Void> transferAttended(String agentId, String target);

    /** Ends the call {@code agentId} is on. */
    CompletableFuture<Void> hangup(String agentId);

    /** A supervisor's phone joins an agent's call. */
    CompletableFuture<SpyOutcome> spy(String supervisorEndpoint, String agentId, SpyMode mode);

    /** The call {@code agentId} is connected to now, if any. */
    Optional<ConnectedCall> connectedCall(String agentId);

    /**
     * A supervisor's new priority for a waiting call, only in one of {@code onlyIn} (when present) at the moment the
     * routing core applies it.
     */
    CompletableFuture<PriorityChange> reprioritise(String callId, int priority, String by,
                                                   Optional<Set<String>> onlyIn);

    /** What a supervisor's phone does on an agent's call. */
    enum SpyMode { LISTEN, WHISPER, BARGE }

    /** Asterisk's answer to the supervisor's call: {@code reason} is Originate's (4: answered). */
    record SpyOutcome(boolean success, int reason, String channel) {
    }

    /** An agent's call now: its id, its queue and the caller's channel. */
    record ConnectedCall(String callId, String queue, String channel) {
    }

    /** The routing core's answer to a new priority. */
    sealed interface PriorityChange {

        record Changed(String callId, String queue, int from, int to, int position, Duration waited)
                implements PriorityChange {
        }

        /** Unknown call, not waiting, or in a queue the supervisor may not touch. */
        record Rejected(String reason) implements PriorityChange {
        }
    }
}
