package dev.hotline.outbound;

import dev.hotline.acd.Acd;
import dev.hotline.events.LiveStats;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.Command;
import dev.hotline.routing.RoutingCore;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Outbound.Port} over the ACD's public API: the callbacks' port for commands, phones and AMI; the agents'
 * states; and the routing core's blending verdicts.
 */
public final class AcdPort implements Outbound.Port {

    private final Acd acd;
    private final dev.hotline.callbacks.Callbacks.Port base;

    public AcdPort(Acd acd) {
        this.acd = acd;
        this.base = acd.callbackPort();
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
    public Optional<CompletableFuture<AmiEvent.OriginateResult>> originate(String channel, String context,
                                                                           String exten, Duration timeout,
                                                                           String callerId,
                                                                           Map<String, String> variables) {
        return base.ami().filter(AmiConnection::isUp)
                .map(ami -> ami.originate(channel, context, exten, timeout, callerId, variables));
    }

    @Override
    public Map<String, AgentState> agentStates() {
        return acd.agentStates();
    }

    @Override
    public CompletableFuture<RoutingCore.OutboundVerdict> verdict(String queue) {
        return acd.outboundVerdict(queue);
    }
}
