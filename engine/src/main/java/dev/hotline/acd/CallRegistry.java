package dev.hotline.acd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Every call Hotline holds, and every index to find one: by call id (Asterisk's linkedid), by the caller channel's
 * uniqueid, by the agent reserved for or talking to it, and by the agent's channel while an attended transfer is
 * pending. {@link #end} is the one place a call leaves them all, whatever ended it: a hang-up, a treatment, a refusal
 * by a full or disabled queue, a channel Asterisk no longer has, the engine stopping.
 */
final class CallRegistry {

    private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

    private final Map<String, ActiveCall> byId = new ConcurrentHashMap<>();
    private final Map<String, ActiveCall> byUniqueId = new ConcurrentHashMap<>();
    private final Map<String, ActiveCall> byAgent = new ConcurrentHashMap<>();
    private final Map<String, ActiveCall> byAgentChannel = new ConcurrentHashMap<>();
    private final List<BiConsumer<ActiveCall, String>> endListeners = new CopyOnWriteArrayList<>();

    /** Adds {@code call}; false (and nothing changes) if a call with its id is held already. */
    boolean add(ActiveCall call) {
        if (byId.putIfAbsent(call.id, call) != null) {
            return false;
        }
        byUniqueId.put(key(call.server, call.uniqueId), call);
        return true;
    }

    Optional<ActiveCall> get(String callId) {
        return callId == null ? Optional.empty() : Optional.ofNullable(byId.get(callId));
    }

    /** The call whose caller channel has {@code uniqueId} on {@code server}; empty for null or unknown ids. */
    Optional<ActiveCall> byUniqueId(String server, String uniqueId) {
        return uniqueId == null || uniqueId.isEmpty() ? Optional.empty()
                : Optional.ofNullable(byUniqueId.get(key(server, uniqueId)));
    }

    /** The call {@code agentId} is reserved for, ringing or talking to. */
    Optional<ActiveCall> ofAgent(String agentId) {
        return agentId == null ? Optional.empty() : Optional.ofNullable(byAgent.get(agentId));
    }

    /** Notes that {@code agentId} is reserved for (and then talks to) {@code call}. */
    void assign(String agentId, ActiveCall call) {
        if (call.phase() != CallPhase.ENDED) {
            byAgent.put(agentId, call);
        }
    }

    /** {@code agentId} is no longer on {@code call} (no answer, the agent's leg ended). */
    void release(String agentId, ActiveCall call) {
        byAgent.remove(agentId, call);
    }

    /** Notes the agent channel of a pending attended transfer of {@code call}. */
    void pendingTransfer(String server, String agentChannel, ActiveCall call) {
        byAgentChannel.put(key(server, agentChannel), call);
    }

    /** The call whose attended transfer is pending on {@code agentChannel}, removed from that index. */
    Optional<ActiveCall> takePendingTransfer(String server, String agentChannel) {
        return agentChannel == null || agentChannel.isEmpty() ? Optional.empty()
                : Optional.ofNullable(byAgentChannel.remove(key(server, agentChannel)));
    }

    /** Drops a pending attended transfer's index entry (the action failed). */
    void dropPendingTransfer(String server, String agentChannel, ActiveCall call) {
        byAgentChannel.remove(key(server, agentChannel), call);
    }

    /**
     * Ends {@code call}: its phase becomes {@link CallPhase#ENDED} and it leaves every index. True the first time;
     * false if it had ended already (every path may call this; only the first counts). The end listeners hear of it
     * once, on the calling thread.
     */
    boolean end(ActiveCall call, String reason) {
        if (!call.end(reason)) {
            return false;
        }
        byId.remove(call.id, call);
        byUniqueId.remove(key(call.server, call.uniqueId), call);
        byAgent.values().removeIf(c -> c == call);
        byAgentChannel.values().removeIf(c -> c == call);
        log.debug("call {}: ended ({})", call.id, reason);
        for (BiConsumer<ActiveCall, String> l : endListeners) {
            try {
                l.accept(call, reason);
            } catch (RuntimeException e) {
                log.warn("call {}: end listener failed: {}", call.id, e.toString());
            }
        }
        return true;
    }

    /** Hears every call's end (reason included), on the thread that ended it: be quick, never block. */
    void onEnd(BiConsumer<ActiveCall, String> listener) {
        endListeners.add(listener);
    }

    Collection<ActiveCall> all() {
        return List.copyOf(byId.values());
    }

    /** The agents with a call noted, and the call (for invariant checks). */
    Map<String, ActiveCall> agents() {
        return Map.copyOf(byAgent);
    }

    int size() {
        return byId.size();
    }

    private static String key(String server, String id) {
        return server + "|" + id;
    }
}
