package dev.hotline.acd;

import dev.hotline.config.QueueConfig;
import dev.hotline.routing.Decision;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A call between joining a queue and leaving Hotline's hands. Shared by the ACD loop (which records decisions
 * here) and the call's current AGI session thread (which acts on them when its wait returns); fields are
 * volatile and each is written by one side only, so no lock is needed.
 */
final class ActiveCall {

    final String id;
    final String server;
    final String uniqueId;
    final String caller;
    /** When the call joined its current queue (a transfer to another queue starts a new wait). */
    volatile Instant joined;
    final Map<String, String> data;
    volatile String channel;
    volatile QueueConfig queue;

    /** Completed by the loop with the CallQueued or QueueFull decision. */
    volatile CompletableFuture<Decision> admission = new CompletableFuture<>();
    /** The offer the loop made and the redirect is carrying out; null while waiting. */
    volatile Decision.Offer offer;
    /** Set when the redirect for {@link #offer} could not be made: the waiting session dials itself at wake-up. */
    volatile boolean redirectFailed;
    /** Set by the loop when the call must leave the queue (max wait, escalation exit). */
    volatile Decision exit;
    volatile boolean answered;
    volatile Instant answeredAt;
    volatile boolean done;
    /** Set when the agent transferred the caller away or hung up from the desktop (who ended the call). */
    volatile String endedBy;
    /** The agent's leg of the connected call (from AMI's DialEnd), for attended transfers. */
    volatile String agentChannel;
    /**
     * Set once the agent's leg is accounted for (agent freed, {@code Ended} emitted): by the Dial's return, or
     * earlier by an attended transfer's completion, after which Dial goes on between the caller and the target.
     */
    final java.util.concurrent.atomic.AtomicBoolean agentLegClosed = new java.util.concurrent.atomic.AtomicBoolean();
    /** Callback offers the caller heard (kept on the channel for a resume: see handoff.QueuePlace). */
    volatile int callbacksOffered;
    /** Set by an agent's blind transfer to a queue: the next connect session re-enqueues the call there. */
    volatile QueueConfig requeueTo;

    ActiveCall(String id, String server, String uniqueId, String channel, String caller, QueueConfig queue,
               Instant joined, Map<String, String> data) {
        this.id = id;
        this.server = server;
        this.uniqueId = uniqueId;
        this.channel = channel;
        this.caller = caller;
        this.queue = queue;
        this.joined = joined;
        this.data = Map.copyOf(data);
    }
}
