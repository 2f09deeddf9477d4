package dev.hotline.api;

import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.events.CallEventListener;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What live views are fed from. Listeners are called on the engine's threads (call threads, the ACD loop): they
 * must be quick and never block.
 */
public interface LiveBoard {

    /** Every call event (queued, offered, answered, ended, …). */
    void addCallListener(CallEventListener listener);

    /** Every agent state transition. */
    void addAgentListener(Consumer<AgentChange> listener);

    /** Told when the waiting list changed other than by a call event (a new priority, an agent's new profile). */
    void addWaitingListener(Runnable listener);

    /** Every agent's state now. */
    Map<String, AgentStatus> agentStates();

    /** The queues as now defined, by name. */
    Map<String, QueueConfig> queues();

    /** The queues an administrator disabled. */
    Set<String> disabledQueues();

    /**
     * Whether {@code agent} serves {@code queue}, disabling aside: a member of it (an empty membership: every queue),
     * holding every skill it requires at the lowest level its escalation accepts ({@code lower_min_level}), or one
     * of its escalation alternatives ({@code add_skill}) at that step's level — the calls the routing core could
     * offer the agent, a call's own skills and language aside.
     */
    boolean mayServe(AgentConfig agent, QueueConfig queue);

    /** Every waiting call, queue by queue in queue order, with the routing core's wait estimate. */
    CompletableFuture<List<WaitingCall>> waitingCalls();
}
