package dev.hotline.records.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One transition of an agent's state. The state lasts until the agent's next transition. {@code id} makes
 * writing idempotent: the same transition replayed from the journal is stored once.
 *
 * @param id        unique id of this transition ({@link #of} draws a random one)
 * @param agentId   the agent's work number
 * @param team      the agent's team at the time ({@code ""} when none)
 * @param from      state before
 * @param to        state after
 * @param reason    why: the not-ready reason, the logout reason, … ({@code ""} when none)
 * @param at        when
 * @param changedBy who forced the change when it was not the agent (a supervisor's id, {@code system})
 */
public record AgentStateChange(UUID id, String agentId, String team, AgentState from, AgentState to, String reason,
                               Instant at, Optional<String> changedBy) implements RecordEntry {

    public AgentStateChange {
        Objects.requireNonNull(id, "id");
        Checks.text("agentId", agentId, 64);
        Checks.optionalText("team", team, 64);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Checks.optionalText("reason", reason, 64);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(changedBy, "changedBy");
        changedBy.ifPresent(c -> Checks.text("changedBy", c, 64));
    }

    /** A transition made by the agent, with a fresh id. */
    public static AgentStateChange of(String agentId, String team, AgentState from, AgentState to, String reason,
                                      Instant at) {
        return new AgentStateChange(UUID.randomUUID(), agentId, team, from, to, reason, at, Optional.empty());
    }
}
