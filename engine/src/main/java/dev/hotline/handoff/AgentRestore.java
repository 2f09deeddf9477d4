package dev.hotline.handoff;

import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.LiveChannel;
import dev.hotline.config.AgentConfig;
import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.store.RecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * On a pair's takeover: the agents' states the engine that stopped left, rebuilt from the stored agent history (its
 * last transition per agent) and Asterisk's channels, so the agents who were working keep working without signing in
 * again:
 * <ul>
 *   <li>logged out: stays logged out;</li>
 *   <li>ready or reserved (the offer died with the engine): logged in, ready;</li>
 *   <li>not ready: logged in, not ready with the same reason;</li>
 *   <li>on a call or in wrap-up: logged in; ready when their phone has no channel in Asterisk now, else not ready
 *       "on a call at takeover" (the call goes on in Asterisk), so no call is offered to a phone that is talking;
 *       when it is a call the stopped engine connected, the {@link Reconciler} then puts the agent on it and they are
 *       ready after it; otherwise {@link TakeoverHolds} makes them ready when that call is over;</li>
 * </ul>
 * An agent whose phone is unreachable (AMI device state) is made not ready by the ACD as always. Runs on the
 * takeover thread ({@code ha-events}); blocks on the database and AMI.
 */
public final class AgentRestore {

    /** The agents to restore and how (the ACD implements it; this package does not reach up to it). */
    public interface Agents {
        /** The agents as defined now, by id. */
        Map<String, AgentConfig> agents();

        /** The ids of agents disabled by an administrator (not restored). */
        Set<String> disabledAgents();

        void login(String agentId);

        void ready(String agentId);

        void notReady(String agentId, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(AgentRestore.class);
    /** Transitions older than this are not read: a state left for a day is not worth restoring. */
    static final Duration HORIZON = Duration.ofDays(1);
    /**
     * The reason of an agent restored while their phone talks; the reconciler's adoption of that call ends it (the
     * agent is on call, then ready after it as after any call).
     */
    public static final String ON_CALL_REASON = "on a call at takeover";

    /** What an agent becomes. */
    public enum Restored { READY, NOT_READY, ON_CALL }

    private AgentRestore() {
    }

    /**
     * The last stored transition of each agent in {@code changes} (in the order they happened), to what it is
     * restored as; logged-out agents are left out. {@code reasons} receives the not-ready reason of each.
     */
    static Map<String, Restored> plan(List<AgentStateChange> changes, Map<String, String> reasons) {
        Map<String, AgentStateChange> last = new LinkedHashMap<>();
        for (AgentStateChange c : changes) {
            last.put(c.agentId(), c);
        }
        Map<String, Restored> out = new LinkedHashMap<>();
        for (AgentStateChange c : last.values()) {
            AgentPhase to = c.to();
            switch (to) {
                case LOGGED_OUT -> { }
                case READY, RESERVED -> out.put(c.agentId(), Restored.READY);
                case NOT_READY -> {
                    out.put(c.agentId(), Restored.NOT_READY);
                    reasons.put(c.agentId(), c.reason().isBlank() ? "not ready" : c.reason());
                }
                case ON_CALL, WRAP_UP -> out.put(c.agentId(), Restored.ON_CALL);
            }
        }
        return out;
    }

    /**
     * Reads the history, lists Asterisk's channels and posts the agents' states to the ACD. Returns how many agents
     * were restored; a database that does not answer is logged (the agents sign in again).
     */
    public static int restore(RecordStore store, Agents acd, Map<String, AmiConnection> ami, InstantSource clock) {
        return restore(store, acd, ami, clock, null);
    }

    /**
     * As {@link #restore(RecordStore, Agents, Map, InstantSource)}; each agent restored not ready
     * "{@value #ON_CALL_REASON}" is handed to {@code holds} (if given), which releases them when that call is over.
     */
    public static int restore(RecordStore store, Agents acd, Map<String, AmiConnection> ami, InstantSource clock,
                              TakeoverHolds holds) {
        Instant now = clock.instant();
        List<AgentStateChange> changes;
        try {
            changes = store.agentChanges(now.minus(HORIZON), now.plusSeconds(60));
        } catch (SQLException | RuntimeException e) {
            log.warn("takeover: cannot read the agents' history ({}); agents sign in again", e.toString());
            return 0;
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, Restored> plan = plan(changes, reasons);
        Set<String> busyChannels = channelsUp(ami);
        List<String> summary = new ArrayList<>();
        for (Map.Entry<String, Restored> e : plan.entrySet()) {
            String agent = e.getKey();
            var config = acd.agents().get(agent);
            if (config == null || acd.disabledAgents().contains(agent)) {
                continue;
            }
            Restored r = e.getValue();
            if (r == Restored.ON_CALL && config.endpoints().stream().noneMatch(ep -> busyChannels.stream()
                    .anyMatch(ch -> ch.startsWith(ep + "-")))) {
                r = Restored.READY;
            }
            acd.login(agent);
            switch (r) {
                case READY -> acd.ready(agent);
                case NOT_READY -> acd.notReady(agent, reasons.get(agent));
                case ON_CALL -> {
                    acd.notReady(agent, ON_CALL_REASON);
                    if (holds != null) {
                        holds.hold(agent, config.endpoints());
                    }
                }
            }
            summary.add(agent + "=" + (r == Restored.NOT_READY ? "not ready (" + reasons.get(agent) + ")"
                    : r == Restored.ON_CALL ? "not ready (" + ON_CALL_REASON + ")" : "ready"));
        }
        log.info("takeover: {} agent(s) restored from the stored history: {}", summary.size(), summary);
        return summary.size();
    }

    /** The names of every channel the connected Asterisks have now (one that does not answer in 5 s: none). */
    public static Set<String> channelsUp(Map<String, AmiConnection> ami) {
        Set<String> out = new HashSet<>();
        for (AmiConnection c : ami.values()) {
            if (!c.isUp()) {
                continue;
            }
            try {
                for (LiveChannel ch : c.channels().get(5, TimeUnit.SECONDS)) {
                    out.add(ch.channel());
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("takeover: cannot list the channels of AMI {} ({}); its agents on a call are made ready",
                        c, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return out;
            }
        }
        return out;
    }
}
