package dev.hotline.routing;

import java.time.Instant;
import java.util.Objects;

/** One agent state transition, for reports and audits to replay. */
public record StateChange(String agentId, AgentState from, AgentState to, Instant at, String cause) {

    public StateChange {
        Checks.notBlank("agentId", agentId);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        Checks.notBlank("cause", cause);
    }
}
