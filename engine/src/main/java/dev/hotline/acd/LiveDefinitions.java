package dev.hotline.acd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.Command;
import dev.hotline.routing.EscalationStep;
import dev.hotline.routing.QueueSpec;
import dev.hotline.routing.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The queues and agents as now defined, changed live by the directory: what the routing core is told, and in which order.
 */
final class LiveDefinitions extends AcdPart {

    private static final Logger log = LoggerFactory.getLogger(LiveDefinitions.class);

    /** The configured queues' names in file order: definitions keep it where escalation moves allow. */
    private final List<String> fileOrder;

    LiveDefinitions(AcdContext ctx, List<String> fileOrder) {
        super(ctx);
        this.fileOrder = List.copyOf(fileOrder);
    }

    /**
     * The queues in file order, except that a queue comes after the queues its escalation moves calls to (the
     * routing core refuses a move to a queue it does not know yet). A cycle, which the loader refuses, is left in
     * file order (the core then refuses the queue that closes it).
     */
    List<QueueConfig> definitionOrder() {
        List<QueueConfig> pending = new ArrayList<>();
        fileOrder.forEach(name -> pending.add(queues.get(name)));
        queues.values().stream().filter(q -> !fileOrder.contains(q.name())).forEach(pending::add);
        Set<String> names = Set.copyOf(queues.keySet());
        Set<String> defined = new java.util.HashSet<>();
        List<QueueConfig> order = new ArrayList<>();
        while (!pending.isEmpty()) {
            QueueConfig next = pending.stream().filter(q -> q.escalation().stream().allMatch(s ->
                    !(s instanceof EscalationStep.MoveToQueue m) || defined.contains(m.queue())
                            || !names.contains(m.queue()))).findFirst().orElse(pending.getFirst());
            pending.remove(next);
            defined.add(next.name());
            order.add(next);
        }
        return order;
    }

    /**
     * Adds or redefines a queue live (the directory's change, already validated and stored): the routing core
     * applies it at once to the calls waiting there. {@code disabled}: known but admitting no new calls.
     */
    public void defineQueue(QueueConfig queue, boolean disabled) {
        QueueSpec spec = spec(queue);   // throws for what the routing core would refuse, before anything changes
        queues.put(queue.name(), queue);
        loop.post(new Command.DefineQueue(spec));
        if (disabled) {
            disableQueue(queue.name(), "directory");
        } else {
            ctx.disabledQueues.remove(queue.name());
        }
    }

    /** Disables a queue: new callers get its timeout treatment; the calls waiting are still served. */
    public void disableQueue(String name, String by) {
        ctx.disabledQueues.add(name);
        loop.post(new Command.DisableQueue(name, by));
    }

    /**
     * Adds or redefines an agent live: a ready agent is matched at once with the calls their new skills and
     * queues qualify them for; a call in progress stays. {@code disabled}: known but logged out and unable to log in.
     */
    public void defineAgent(AgentConfig agent, boolean disabled) {
        AgentConfig old = agents.put(agent.id(), agent);
        if (old != null) {
            old.endpoints().forEach(e -> ctx.agentsByEndpoint.computeIfPresent(e, (k, ids) -> {
                ids.remove(agent.id());
                return ids.isEmpty() ? null : ids;
            }));
        }
        agent.endpoints().forEach(e -> ctx.agentsByEndpoint.compute(e, (k, ids) -> {
            List<String> list = ids == null ? new CopyOnWriteArrayList<>() : ids;
            if (!list.contains(agent.id())) {
                list.add(agent.id());
            }
            return list;
        }));
        loop.post(new Command.DefineAgent(agent.toAgent()));
        if (disabled) {
            disableAgent(agent.id(), "directory");
        } else {
            ctx.disabledAgents.remove(agent.id());
        }
    }

    /** Disables an agent: logged out now (or when the call in progress is done); no login until enabled. */
    public void disableAgent(String agentId, String by) {
        ctx.disabledAgents.add(agentId);
        loop.post(new Command.DisableAgent(agentId, by));
    }

    public Set<String> disabledAgents() {
        return Set.copyOf(ctx.disabledAgents);
    }

    public Set<String> disabledQueues() {
        return Set.copyOf(ctx.disabledQueues);
    }

    /** The queues as now defined, by name. */
    public Map<String, QueueConfig> queueConfigs() {
        return java.util.Collections.unmodifiableMap(queues);
    }

    /**
     * The routing core's queue from configuration. The core's ring timer is a safety net (the connect session's
     * Dial enforces the real ring timeout), so it gets the announcement interval and a grace on top: a waiting
     * session whose redirect failed dials at its next wake-up, which may be that far away.
     */
    QueueSpec spec(QueueConfig q) {
        QueueSpec.Builder b = QueueSpec.builder(q.name())
                .defaultPriority(q.priority())
                .serviceLevel(q.serviceLevelPct() / 100.0, q.serviceLevelTime())
                .maxWait(q.maxWait())
                .maxLength(q.maxLength())
                .ringTimeout(q.ringTimeout().plus(config.announceInterval()).plusSeconds(5)
                        .plus(customerFirstReservation()))
                .noAnswerReason("no answer")
                .rejectedReason("no answer")
                .ringNoAnswer(q.ringNoAnswer().orElse(config.ringNoAnswer()))
                .strategy(switch (q.strategy()) {
                    case LONGEST_IDLE -> new Strategy.LongestIdle();
                    case MOST_SKILLED -> new Strategy.MostSkilled();
                    case LEAST_OCCUPIED -> new Strategy.LeastOccupied();
                    case ROUND_ROBIN -> new Strategy.RoundRobin();
                    case PREFERRED_AGENT -> new Strategy.Preferred(Duration.ofSeconds(30), new Strategy.LongestIdle());
                });
        if (q.wrapUp().isZero()) {
            b.wrapUp(Duration.ZERO);
        } else {
            b.wrapUp(q.wrapUp());
        }
        q.skills().forEach(b::require);
        q.escalation().forEach(b::escalate);
        return b.build();
    }

    /**
     * Customer-first callbacks keep the offered agent reserved while the customer's phone rings: the core's safety
     * net must outlast that ring too.
     */
    Duration customerFirstReservation() {
        var cb = config.callback();
        return cb.mode() == dev.hotline.config.CallbackConfig.Mode.CUSTOMER_FIRST ? cb.customerRing().plusSeconds(5)
                : Duration.ZERO;
    }
}
