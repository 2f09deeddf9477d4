package dev.hotline.records.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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
 * @param seq       the order of transitions made in the same millisecond: {@link #of} numbers them as they happen
 *                  (the ACD emits them on one thread, in order); 0 for transitions recorded before sequences existed
 */
public record AgentStateChange(UUID id, String agentId, String team, AgentPhase from, AgentPhase to, String reason,
                               Instant at, Optional<String> changedBy, long seq) implements RecordEntry {

    /**
     * Starts at the epoch microsecond the engine started, then counts one per transition: increasing within a run
     * and, since a run makes far fewer than a million transitions a second, from one run to the next as well.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong(microsNow());

    public AgentStateChange {
        Objects.requireNonNull(id, "id");
        RecordChecks.text("agentId", agentId, 64);
        RecordChecks.optionalText("team", team, 64);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        RecordChecks.optionalText("reason", reason, 64);
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(changedBy, "changedBy");
        changedBy.ifPresent(c -> RecordChecks.text("changedBy", c, 64));
        if (seq < 0) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: >= 0)");
        }
    }

    /** Without a sequence (0): ordered by time only. */
    public AgentStateChange(UUID id, String agentId, String team, AgentPhase from, AgentPhase to, String reason,
                            Instant at, Optional<String> changedBy) {
        this(id, agentId, team, from, to, reason, at, changedBy, 0);
    }

    /** A transition made by the agent, with a fresh id and the next sequence number: call it in the order they happen. */
    public static AgentStateChange of(String agentId, String team, AgentPhase from, AgentPhase to, String reason,
                                      Instant at) {
        return new AgentStateChange(UUID.randomUUID(), agentId, team, from, to, reason, at, Optional.empty(),
                SEQUENCE.incrementAndGet());
    }

    private static long microsNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }
}
