package dev.hotline.agi.server;

import java.time.Duration;

/**
 * What the FastAGI server counts. Every method defaults to doing nothing, so tests and tools can pass
 * {@link #NONE}; {@code dev.hotline.agi.server.micrometer} binds it to Micrometer.
 */
public interface AgiMetrics {

    AgiMetrics NONE = new AgiMetrics() {
    };

    /** How a session ended. */
    enum Outcome { COMPLETED, HANGUP, ERROR, TIMEOUT, PROTOCOL_ERROR, IDLE, SHUTDOWN, UNKNOWN_SCRIPT,
        /** The agi_* environment was not complete within {@code agi.environment_timeout}: never a call. */
        ENVIRONMENT_TIMEOUT }

    /** Why a connection was refused before a session started. */
    enum Refusal { NOT_ALLOWED, MAX_SESSIONS, SHUTTING_DOWN }

    default void sessionStarted() {
    }

    default void sessionEnded(Outcome outcome) {
    }

    default void refused(Refusal reason) {
    }

    default void commandCompleted(String command, Duration roundTrip) {
    }

    default void protocolError(String reason) {
    }

    /** Registers a live view of the number of open sessions (calls: their agi_* environment has arrived). */
    default void activeSessions(java.util.function.IntSupplier active) {
    }

    /** Registers a live view of the connections whose agi_* environment has not arrived yet. */
    default void pendingConnections(java.util.function.IntSupplier pending) {
    }
}
