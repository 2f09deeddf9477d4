package dev.hotline.records.model;

/** How a call ended, from the caller's point of view. */
public enum CallOutcome {
    /** An agent answered (the call may still have been transferred between agents or queues afterwards). */
    ANSWERED,
    /** The caller hung up while waiting in a queue (or while an agent's phone was ringing). */
    ABANDONED,
    /** Abandoned before the queue's short-abandon threshold; reports may leave these out of service level. */
    SHORT_ABANDONED,
    /** The caller was served by the IVR alone and never reached a queue. */
    IVR_COMPLETED,
    /** The caller hung up in the IVR, before it reached an end or a queue. */
    IVR_ABANDONED,
    /** The caller left a voicemail. */
    VOICEMAIL,
    /** The caller accepted a callback instead of waiting. */
    CALLBACK,
    /** The caller waited the queue's maximum and got the timeout treatment. */
    TIMEOUT,
    /** The call was transferred to a number outside Hotline. */
    TRANSFERRED_OUT,
    /**
     * Journaled when the call reached Hotline and again when it joined a queue or was answered: the call is still
     * in Hotline's hands, or the engine stopped before it ended. The next start reconciles every such record with
     * Asterisk's channels ({@code handoff.Reconciler}): a call still up is followed to its end, one gone is closed as
     * {@link #ENGINE_FAILED}; endedAt is when the record was written.
     */
    IN_PROGRESS,
    /** The engine failed while it held the call, and the caller's channel was gone when an engine came back. */
    ENGINE_FAILED
}
