package dev.hotline.records.model;

/**
 * The states of the engine's agent state machine, as recorded in the history (the routing core's own is
 * {@code routing.AgentState}, a sealed interface with each state's details).
 */
public enum AgentPhase {
    LOGGED_OUT,
    READY,
    /** Logged in but not taking calls; the transition carries the reason (break, lunch, training, …). */
    NOT_READY,
    /** Chosen for a call; the phone is about to ring or ringing. */
    RESERVED,
    ON_CALL,
    WRAP_UP
}
