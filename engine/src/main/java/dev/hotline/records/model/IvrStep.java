package dev.hotline.records.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One IVR node a call passed through, in order.
 *
 * @param node      the node's name in its IVR script, e.g. {@code main.menu}
 * @param enteredAt when the call reached the node
 * @param input     the digits the caller entered at this node ({@code ""} when none)
 * @param exit      how the call left the node
 */
public record IvrStep(String node, Instant enteredAt, String input, Exit exit) {

    /** How a call left an IVR node. */
    public enum Exit {
        /** The caller chose an option ({@link #input} holds it). */
        OPTION,
        /** The node finished and the script moved on (prompt played, lookup done, …). */
        NEXT,
        /** No input within the node's timeout. */
        TIMEOUT,
        /** Input that matched no option. */
        INVALID,
        /** The caller hung up at this node: a drop-out. */
        HANGUP
    }

    public IvrStep {
        RecordChecks.text("node", node, 128);
        Objects.requireNonNull(enteredAt, "enteredAt");
        RecordChecks.optionalText("input", input, 64);
        Objects.requireNonNull(exit, "exit");
    }
}
