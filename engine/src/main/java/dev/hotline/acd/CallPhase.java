package dev.hotline.acd;

/**
 * Where a call Hotline holds is in its life. The phase changes only through {@link ActiveCall}'s named
 * transitions, each allowed from given phases only; see ARCHITECTURE.md ("A call's phases") for who makes each.
 *
 * <pre>
 *  WAITING ⇄ HOLDING / ANNOUNCING ──redirect──▶ REDIRECTING ──landed / redirect failed──▶ OFFERED
 *  WAITING ──offered (session not blocked)──▶ OFFERED ──dial──▶ RINGING ──answer──▶ CONNECTED
 *  RINGING ──no answer──▶ WAITING           CONNECTED ──transfer to queue──▶ REDIRECTING ──requeued──▶ WAITING
 *  any ──treatment to the dialplan──▶ HANDED_BACK      any ──CallRegistry.end──▶ ENDED
 * </pre>
 */
enum CallPhase {
    /** In a queue; the session is between commands (about to wait, announce or dial). */
    WAITING,
    /** In a queue; the session is blocked in a wait for a key, which a redirect interrupts at once. */
    HOLDING,
    /** In a queue; the session plays an announcement or the callback offer (a redirect interrupts it too). */
    ANNOUNCING,
    /** The channel is being moved to the connect context (an offer, or a transfer to a queue): no session owns it. */
    REDIRECTING,
    /** An agent is reserved; the session must ring them. */
    OFFERED,
    /** The session's Dial rings the agent. */
    RINGING,
    /** The agent answered; the call is in progress. */
    CONNECTED,
    /** Sent back to the dialplan with an outcome (voicemail, a transfer target); Hotline's part is over. */
    HANDED_BACK,
    /** Gone from every index; nothing acts on it any more. */
    ENDED
}
