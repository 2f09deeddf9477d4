package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.AgentState;

import java.time.InstantSource;
import java.util.Map;

/** One job of the ACD, with the shared state it works on at hand (see {@link AcdContext}). */
abstract class AcdPart {

    final AcdContext ctx;
    final AcdConfig config;
    final InstantSource clock;
    final AcdLoop loop;
    final CallRegistry calls;
    final Map<String, AmiConnection> ami;
    final Map<String, QueueConfig> queues;
    final Map<String, AgentConfig> agents;
    final Map<String, AgentState> agentStates;

    AcdPart(AcdContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config;
        this.clock = ctx.clock;
        this.loop = ctx.loop;
        this.calls = ctx.calls;
        this.ami = ctx.ami;
        this.queues = ctx.queues;
        this.agents = ctx.agents;
        this.agentStates = ctx.agentStates;
    }

    void emit(CallEvent e) {
        ctx.emit(e);
    }

    void abandon(ActiveCall call, String reason) {
        ctx.abandon(call, reason);
    }

    boolean ownedByCallbacks(String callId) {
        return ctx.ownedByCallbacks(callId);
    }
}
