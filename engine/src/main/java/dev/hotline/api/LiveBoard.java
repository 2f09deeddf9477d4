package dev.hotline.api;

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

    /** Every waiting call, queue by queue in queue order, with the routing core's wait estimate. */
    CompletableFuture<List<WaitingCall>> waitingCalls();
}
