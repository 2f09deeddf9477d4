package dev.hotline.ha;

/**
 * A step an engine runs when it becomes the active engine of its pair, after FastAGI has opened, the callback
 * dialler has started and every AMI connection has been asked for Asterisk's channels (the ACD's reconciliation of
 * the calls it holds), in the order registered ({@code HotlineEngine.onTakeover}). The named extension point for
 * what the takeover still needs from other parts: rebuilding agents' states from the stored history and AMI device
 * states and reconciling calls with Asterisk's channels (the call lifecycle), and taking waiting callers back through
 * {@code resume} (the dialplan handoff). Runs on {@code ha-events}; a failure is logged and the next step runs.
 */
@FunctionalInterface
public interface Takeover {

    /** This engine now holds term {@code fence} of the lease. */
    void takeOver(long fence) throws Exception;
}
