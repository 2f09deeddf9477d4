package dev.hotline.ivr.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a call's IVR path as the interpreter records it (stored in the call record as a
 * {@code records.model.IvrStep}).
 *
 * @param at     when it happened
 * @param script the script it happened in
 * @param node   the node it happened at
 * @param kind   what happened
 * @param detail for a key: the key ({@code *} when the node masks input); for a decision: where and why; for
 *               an outcome: the outcome
 */
public record IvrEvent(Instant at, String script, String node, Kind kind, String detail) {

    /** What a step records. */
    public enum Kind {
        /** The call entered a node. */
        VISIT,
        /** The caller pressed a key. */
        KEY,
        /** The caller pressed nothing in time. */
        TIMEOUT,
        /** The caller's entry was not accepted (unknown option, too short, wrong pattern). */
        INVALID,
        /** The node chose where to go (branch, hours, lookup, menu option…). */
        DECISION,
        /** Something failed (lookup error, a value that cannot be said); the script went on. */
        ERROR,
        /** The caller hung up here. */
        CALLER_HANGUP,
        /** The script ended with this outcome. */
        OUTCOME
    }

    public IvrEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return script + "/" + node + " " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + (detail.isEmpty() ? "" : " " + detail);
    }
}
