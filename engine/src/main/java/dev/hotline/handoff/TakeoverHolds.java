package dev.hotline.handoff;

import dev.hotline.ami.AmiEvent;
import dev.hotline.routing.AgentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents a pair's takeover restored not ready "{@value AgentRestore#ON_CALL_REASON}" (their phone had a channel
 * when the engine that stopped was last heard of), each released when that call is over, however it ends:
 * <ul>
 *   <li>a channel of the agent's phone hangs up (AMI {@code Hangup}) — the call the agent was on, whether the
 *       reconciler follows it, its caller came back through {@code resume}, or no record covers it (a callback's
 *       agent leg);</li>
 *   <li>or a {@link #sweep} finds no channel of their phone up any more (a hang-up AMI did not report).</li>
 * </ul>
 * Released means ready, unless the agent's state changed since the takeover (the reconciler adopted the call: it
 * releases the agent at the call's end; the agent or a supervisor chose another state): then the hold is dropped and
 * nothing is posted. So no agent stays not ready for a call that no longer exists.
 */
public final class TakeoverHolds {

    /** The agents' states and the way to make one ready (the ACD implements it). */
    public interface Agents {
        Map<String, AgentState> agentStates();

        void ready(String agentId);
    }

    private static final Logger log = LoggerFactory.getLogger(TakeoverHolds.class);

    private final Agents acd;
    /** Held agent → the endpoints of their phone (e.g. {@code PJSIP/1001}). */
    private final Map<String, List<String>> held = new ConcurrentHashMap<>();

    public TakeoverHolds(Agents acd) {
        this.acd = acd;
    }

    /** {@code agentId} was restored not ready while a channel of one of {@code endpoints} was up. */
    public void hold(String agentId, List<String> endpoints) {
        held.put(agentId, List.copyOf(endpoints));
    }

    /** The agents still held. */
    public Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    /** An AMI event: the hang-up of a held agent's phone releases them. */
    public void onAmiEvent(AmiEvent event) {
        if (held.isEmpty() || !(event instanceof AmiEvent.ChannelHungUp h) || h.channel() == null) {
            return;
        }
        held.forEach((agent, endpoints) -> {
            if (endpoints.stream().anyMatch(ep -> h.channel().startsWith(ep + "-"))) {
                release(agent, "its phone's channel " + h.channel() + " hung up");
            }
        });
    }

    /** {@code channelsUp}: every channel Asterisk has now. A held agent whose phone has none of them is released. */
    public void sweep(Set<String> channelsUp) {
        held.forEach((agent, endpoints) -> {
            if (endpoints.stream().noneMatch(ep -> channelsUp.stream().anyMatch(ch -> ch.startsWith(ep + "-")))) {
                release(agent, "no channel of its phone is up any more");
            }
        });
    }

    private void release(String agent, String why) {
        if (held.remove(agent) == null) {
            return;
        }
        AgentState now = acd.agentStates().get(agent);
        if (now instanceof AgentState.NotReady n && n.reason().equals(AgentRestore.ON_CALL_REASON)) {
            log.info("takeover: agent {} made ready: the call they were on at the takeover is over ({})", agent, why);
            acd.ready(agent);
        } else {
            log.debug("takeover: agent {} no longer held ({}), state {} left as it is", agent, why, now);
        }
    }
}
