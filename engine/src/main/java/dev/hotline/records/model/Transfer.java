package dev.hotline.records.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A transfer of the call.
 *
 * @param at        when the transfer was made
 * @param fromAgent the agent who transferred (empty when the IVR or a supervisor did)
 * @param kind      where to
 * @param target    the queue name, agent id or outside number
 * @param attended  whether the agent consulted the target first (attended) or not (blind)
 */
public record Transfer(Instant at, Optional<String> fromAgent, Kind kind, String target, boolean attended) {

    /** Kinds of transfer target. */
    public enum Kind { QUEUE, AGENT, SUPERVISOR, EXTERNAL }

    public Transfer {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(fromAgent, "fromAgent");
        fromAgent.ifPresent(a -> RecordChecks.text("fromAgent", a, 64));
        Objects.requireNonNull(kind, "kind");
        RecordChecks.text("target", target, 64);
    }
}
