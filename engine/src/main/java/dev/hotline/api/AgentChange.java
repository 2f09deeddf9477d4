package dev.hotline.api;

import java.time.Instant;

/** One agent state transition, as the routing core made it. */
public record AgentChange(String agentId, AgentStatus from, AgentStatus to, Instant at, String cause) {
}
