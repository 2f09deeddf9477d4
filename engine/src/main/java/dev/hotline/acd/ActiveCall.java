package dev.hotline.acd;

import dev.hotline.agi.AgiSession;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.Decision;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A call between joining a queue and leaving Hotline's hands: the one place its state lives. Shared by the ACD loop
 * (which records decisions here), the call's current AGI session thread (which acts on them) and AMI's reader
 * thread. Its {@link CallPhase phase} changes only through the named transitions below, each a compare-and-set
 * from the phases it allows, so two threads can never both act on one change; the other fields are volatile and
 * each is written by one side at a time, as the phase says.
 *
 * <p>The call is created by {@link CallRegistry#add} and leaves every index in one place,
 * {@link CallRegistry#end}, which moves it to {@link CallPhase#ENDED}.
 */
final class ActiveCall {

    final String id;
    final String server;
    final String uniqueId;
    final String caller;
    /** When the call joined its current queue (a transfer to another queue starts a new wait). */
    volatile Instant joined;
    final Map<String, String> data;
    /** {@link System#nanoTime()} at creation: a channel list asked for before this may rightly miss the call. */
    final long createdNanos = System.nanoTime();
    volatile String channel;
    volatile QueueConfig queue;

    private final AtomicReference<CallPhase> phase = new AtomicReference<>(CallPhase.WAITING);
    /** The FastAGI session serving the call now; null between sessions. */
    private volatile AgiSession session;
    /** {@link System#nanoTime()} when the call last had no session (created, or a session ended). */
    private volatile long lastDetachNanos = createdNanos;
    /** Why the call ended (set once, by {@link #end}). */
    private volatile String endReason;

    /** Completed by the loop when it makes an offer for the call (see {@link #awaitOffer}); renewed on a requeue. */
    volatile CompletableFuture<Void> offerMade = new CompletableFuture<>();
    /** Completed by the loop with the CallQueued or QueueFull decision. */
    volatile CompletableFuture<Decision> admission = new CompletableFuture<>();
    /** The offer the loop made and the redirect is carrying out; null while waiting. */
    volatile Decision.Offer offer;
    /**
     * The offer whose agent the session rings or talks to (set when its Dial starts): the agent an answer and the
     * call's end are for, even if routing makes another offer meanwhile (which waits in {@link #offer}).
     */
    volatile Decision.Offer dialled;
    /** When {@link #offer} was made (for the dispatch timer). */
    volatile Instant offeredAt;
    /** Set by the loop when the core offered an agent at once on entry (for the entry dispatch timer, once). */
    volatile boolean offeredOnEntry;
    /** Set by the loop when the call must leave the queue (max wait, escalation exit). */
    volatile Decision exit;
    volatile boolean answered;
    volatile Instant answeredAt;
    /** Set once the call's outcome is decided (connected and ended, abandoned, treated, turned into a callback). */
    volatile boolean done;
    /** Set when the agent transferred the caller away or hung up from the desktop (who ended the call). */
    volatile String endedBy;
    /** The agent's leg of the connected call (from AMI's DialEnd), for attended transfers. */
    volatile String agentChannel;
    /** An attended transfer Asterisk has started and not yet reported done (agent id, target), else null. */
    volatile PendingAttended attended;
    /**
     * Set once the agent's leg is accounted for (agent freed, {@code Ended} emitted): by the Dial's return, or
     * earlier by an attended transfer's completion, after which Dial goes on between the caller and the target.
     */
    final AtomicBoolean agentLegClosed = new AtomicBoolean();
    /**
     * Set once the routing core was told the agent's call ended ({@code CallEnded}, by {@link AcdContext#releaseAgent}):
     * by AMI's hang-up of the agent's leg, the Dial's return, a completed attended transfer, or the call's abrupt end,
     * whichever comes first. {@code CallEnded} names only the agent, so a second one could end the agent's next call.
     */
    final AtomicBoolean agentReleased = new AtomicBoolean();
    /** Callback offers the caller heard (kept on the channel for a resume: see handoff.QueuePlace). */
    volatile int callbacksOffered;
    /** Set by an agent's blind transfer to a queue: the next connect session re-enqueues the call there. */
    volatile QueueConfig requeueTo;

    /** An attended transfer Hotline started for this call's agent. */
    record PendingAttended(String agentId, String target) {
    }

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

    /** {@code s} serves the call from now on. */
    void attach(AgiSession s) {
        session = s;
    }

    /** {@code s} is over (a later session may have attached already: then nothing changes). */
    void detach(AgiSession s) {
        if (session == s) {
            session = null;
            lastDetachNanos = System.nanoTime();
        }
    }

    long lastDetachNanos() {
        return lastDetachNanos;
    }

    /** Whether a FastAGI session serves the call now. */
    boolean hasSession() {
        return session != null;
    }

    /** Makes the session's current wait return at once, so it looks at the call again (any thread). */
    void wake() {
        AgiSession s = session;
        if (s != null) {
            s.wake();
        }
    }

    /**
     * Waits up to {@code max} for the loop to make an offer (the caller's session, before hold music starts); true
     * when one is there.
     */
    boolean awaitOffer(java.time.Duration max) {
        if (offer != null) {
            return true;
        }
        try {
            offerMade.get(max.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // none came: the music starts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return offer != null;
    }

    CallPhase phase() {
        return phase.get();
    }

    String endReason() {
        return endReason;
    }

    private boolean move(CallPhase from, CallPhase to) {
        return phase.compareAndSet(from, to);
    }

    // ---- waiting (the call's session thread) ----

    /** The session blocks in a wait for a key: a redirect may now interrupt it. WAITING → HOLDING. */
    boolean hold() {
        return move(CallPhase.WAITING, CallPhase.HOLDING);
    }

    /** The session's wait returned with the call still waiting. HOLDING → WAITING. */
    boolean unhold() {
        return move(CallPhase.HOLDING, CallPhase.WAITING);
    }

    /** The session plays an announcement or the callback offer (a redirect interrupts it). WAITING → ANNOUNCING. */
    boolean announce() {
        return move(CallPhase.WAITING, CallPhase.ANNOUNCING);
    }

    /** The announcement ended with the call still waiting. ANNOUNCING → WAITING. */
    boolean announced() {
        return move(CallPhase.ANNOUNCING, CallPhase.WAITING);
    }

    // ---- offers (the ACD loop) ----

    /**
     * The loop takes a blocked session's channel away to ring the offered agent from the connect context.
     * HOLDING or ANNOUNCING → REDIRECTING.
     */
    boolean redirect() {
        return move(CallPhase.HOLDING, CallPhase.REDIRECTING) || move(CallPhase.ANNOUNCING, CallPhase.REDIRECTING);
    }

    /** An offer for a session that is not blocked: it dials at its next look. WAITING → OFFERED. */
    boolean offered() {
        return move(CallPhase.WAITING, CallPhase.OFFERED);
    }

    /** The redirect could not be made: the waiting session dials by itself. REDIRECTING → OFFERED. */
    boolean redirectFailed() {
        return move(CallPhase.REDIRECTING, CallPhase.OFFERED);
    }

    /** The connect session Asterisk started after the redirect took the call over. REDIRECTING → OFFERED. */
    boolean landed() {
        return move(CallPhase.REDIRECTING, CallPhase.OFFERED);
    }

    // ---- the agent's phone (the call's session thread) ----

    /** The session rings the offered agent. OFFERED → RINGING. */
    boolean dial() {
        return move(CallPhase.OFFERED, CallPhase.RINGING);
    }

    /** The agent answered. RINGING → CONNECTED (already CONNECTED: false, nothing changes). */
    boolean connect() {
        return move(CallPhase.RINGING, CallPhase.CONNECTED);
    }

    /** The agent did not answer: the call is back in the queue at its old place. RINGING → WAITING. */
    boolean unanswered() {
        return move(CallPhase.RINGING, CallPhase.WAITING);
    }

    /** An agent's blind transfer to a queue redirects the connected caller. CONNECTED or RINGING → REDIRECTING. */
    boolean transferToQueue() {
        return move(CallPhase.CONNECTED, CallPhase.REDIRECTING) || move(CallPhase.RINGING, CallPhase.REDIRECTING);
    }

    /** The transfer's redirect was refused: the call stays with the agent. REDIRECTING → CONNECTED. */
    boolean transferFailed() {
        return move(CallPhase.REDIRECTING, CallPhase.CONNECTED);
    }

    /** The session Asterisk started after a transfer to a queue enqueues the call anew. REDIRECTING → WAITING. */
    boolean requeued() {
        return move(CallPhase.REDIRECTING, CallPhase.WAITING);
    }

    /**
     * The call is sent back to the dialplan with an outcome (voicemail, transfer target): Hotline's part is over
     * but the caller's channel goes on. Any live phase → HANDED_BACK.
     */
    boolean handBack() {
        while (true) {
            CallPhase p = phase.get();
            if (p == CallPhase.ENDED || p == CallPhase.HANDED_BACK) {
                return false;
            }
            if (phase.compareAndSet(p, CallPhase.HANDED_BACK)) {
                return true;
            }
        }
    }

    /**
     * Ends the call: the only way into {@link CallPhase#ENDED}, called by {@link CallRegistry#end} alone. True the
     * first time; false if it had ended already.
     */
    boolean end(String reason) {
        while (true) {
            CallPhase p = phase.get();
            if (p == CallPhase.ENDED) {
                return false;
            }
            if (phase.compareAndSet(p, CallPhase.ENDED)) {
                endReason = reason;
                return true;
            }
        }
    }

    /** Whether no session is running for the call now (a redirect is on its way to the next one). */
    boolean betweenSessions() {
        return phase.get() == CallPhase.REDIRECTING;
    }

    @Override
    public String toString() {
        return "call " + id + " (" + phase.get() + ", queue " + queue.name() + ")";
    }
}
