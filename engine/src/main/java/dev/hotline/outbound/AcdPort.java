package dev.hotline.outbound;

import dev.hotline.acd.Acd;
import dev.hotline.events.LiveStats;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.RoutingCore;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Outbound.Port} over the ACD's public API: the callbacks' port for commands, phones and AMI; the agents'
 * states and queues; and the inbound queues' health from a {@link LiveStats} that listens to the ACD's events
 * (queues not used by a campaign are inbound).
 */
public final class AcdPort implements Outbound.Port {

    private final Acd acd;
    private final dev.hotline.callbacks.Callbacks.Port base;
    private final LiveStats stats;
    private final InstantSource clock;
    private final Supplier<Set<String>> campaignQueues;

    /** Passes the ACD's agent transitions to {@code dialler} (wrap-up ends, agents' waits). */
    public void listen(Outbound dialler) {
        acd.addAgentListener(dialler::agentChanged);
    }

    public AcdPort(Acd acd, InstantSource clock, Supplier<Set<String>> campaignQueues) {
        this.acd = acd;
        this.base = acd.callbackPort();
        this.stats = new LiveStats(List.copyOf(acd.queueConfigs().values()));
        this.clock = clock;
        this.campaignQueues = campaignQueues;
        acd.addListener(stats);
    }

    @Override
    public void post(Command command) {
        base.post(command);
    }

    @Override
    public Optional<String> endpointOf(String agentId) {
        return base.endpointOf(agentId);
    }

    @Override
    public Duration ringTimeout(String queue) {
        return base.ringTimeout(queue);
    }

    @Override
    public Optional<AmiConnection> ami() {
        return base.ami();
    }

    @Override
    public Map<String, AgentState> agentStates() {
        return acd.agentStates();
    }

    @Override
    public CompletableFuture<List<String>> queuesOf(String agentId) {
        return acd.queuesOf(agentId);
    }

    @Override
    public List<Blending.InboundQueue> inbound() {
        Set<String> outboundQueues = campaignQueues.get();
        List<RoutingCore.WaitingCall> waiting;
        try {
            waiting = acd.waitingCalls().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            waiting = List.of();
        }
        List<Blending.InboundQueue> out = new ArrayList<>();
        Map<String, QueueConfig> queues = acd.queueConfigs();
        for (LiveStats.QueueCounters c : stats.snapshot()) {
            QueueConfig q = queues.get(c.queue());
            if (q == null || outboundQueues.contains(c.queue())) {
                continue;
            }
            double sl = c.serviceLevel() < 0 ? 100 : c.serviceLevel() * 100;
            int n = 0;
            long oldest = 0;
            for (RoutingCore.WaitingCall w : waiting) {
                if (w.queue().equals(c.queue()) && !w.callback()) {
                    n++;
                    oldest = Math.max(oldest, Duration.between(w.since(), clock.instant()).toSeconds());
                }
            }
            out.add(new Blending.InboundQueue(c.queue(), sl, q.serviceLevelPct(), n, oldest,
                    q.serviceLevelTime().toSeconds()));
        }
        return out;
    }
}
