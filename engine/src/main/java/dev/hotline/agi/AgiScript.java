package dev.hotline.agi;

/**
 * Call logic for one FastAGI script name (the path of {@code agi://host/<script>}). Runs on the call's own
 * virtual thread; returning ends the session and the dialplan continues with its next priority.
 */
@FunctionalInterface
public interface AgiScript {

    void run(AgiSession session) throws Exception;
}
