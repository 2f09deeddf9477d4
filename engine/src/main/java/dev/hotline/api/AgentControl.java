package dev.hotline.api;

import dev.hotline.config.AgentConfig;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Agents as defined now, and the state changes they ask for (applied by the routing core, in order). */
public interface AgentControl {

    /** The agents as now defined (disabled ones included), by work number. */
    Map<String, AgentConfig> all();

    /** The agents an administrator disabled. */
    Set<String> disabled();

    void login(String agentId);

    void logout(String agentId);

    void ready(String agentId);

    void notReady(String agentId, String reason);

    void endWrapUp(String agentId);

    /** The queues the agent counts for now (membership and skills), as the routing core has them. */
    CompletableFuture<List<String>> queuesOf(String agentId);
}
