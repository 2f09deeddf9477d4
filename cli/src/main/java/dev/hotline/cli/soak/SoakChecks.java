package dev.hotline.cli.soak;

import dev.hotline.routing.AgentState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts the soak's violations by comparing the simulator's ground truth with what the engine says: its state once
 * traffic has stopped, and its stored call records. Pure, so every rule has a unit test (SoakChecksTest).
 */
public final class SoakChecks {

    /** What the engine says at the end of the run. */
    public record EngineEnd(int activeCalls, int activeSessions, Map<String, AgentState> agents, Instant now) {
        public EngineEnd {
            agents = Map.copyOf(agents);
        }
    }

    private SoakChecks() {
    }

    /**
     * @param calls      every caller the soak placed
     * @param recordIds  the linkedid of every call record stored for the run
     * @param phantomIds the call ids the engine kept treating (waiting, offered, talking) for longer than the
     *                   phantom threshold after the simulator's channel was gone, seen while the soak ran
     * @param end        the engine once the run has drained and settled
     */
    public static SoakResult count(List<SoakCall> calls, Collection<String> recordIds, Set<String> phantomIds,
                                   EngineEnd end) {
        List<String> details = new ArrayList<>();
        int dropped = 0;
        for (SoakCall call : calls) {
            if (call.dropped()) {
                dropped++;
                details.add("dropped: call " + call.uniqueid() + " routes " + call.routes()
                        + (call.onHoldAtEnd() ? " (left on hold music)" : ""));
            }
        }
        new TreeSet<>(phantomIds).forEach(id -> details.add("phantom: call " + id
                + " still treated by the engine after its channel was gone"));
        int stuck = 0;
        for (Map.Entry<String, AgentState> agent : new java.util.TreeMap<>(end.agents()).entrySet()) {
            if (stuck(agent.getValue(), end.now())) {
                stuck++;
                details.add("stuck agent: " + agent.getKey() + " " + agent.getValue());
            }
        }
        int leaked = end.activeCalls() + end.activeSessions();
        if (leaked > 0) {
            details.add("leaked: " + end.activeCalls() + " engine calls and " + end.activeSessions()
                    + " FastAGI sessions with no caller left");
        }
        Map<String, Integer> records = new HashMap<>();
        recordIds.forEach(id -> records.merge(id, 1, Integer::sum));
        Set<String> known = new java.util.HashSet<>();
        int missing = 0;
        for (SoakCall call : calls) {
            known.add(call.uniqueid());
            if (call.reachedHotline() && !records.containsKey(call.uniqueid())) {
                missing++;
                details.add("record missing: call " + call.uniqueid() + " reached Hotline, ended by "
                        + call.endedBy().map(Enum::name).orElse("nobody yet") + ", routes " + call.routes());
            }
        }
        int duplicates = 0;
        for (Map.Entry<String, Integer> r : new java.util.TreeMap<>(records).entrySet()) {
            if (!known.contains(r.getKey())) {
                duplicates += r.getValue();
                details.add("duplicate: record " + r.getKey() + " matches no caller of the run");
            } else if (r.getValue() > 1) {
                duplicates += r.getValue() - 1;
                details.add("duplicate: call " + r.getKey() + " has " + r.getValue() + " records");
            }
        }
        return new SoakResult(calls.size(), dropped, phantomIds.size(), stuck, leaked, missing, duplicates, details);
    }

    /**
     * An agent who cannot take another call by themselves once every call has ended: reserved or talking, in wrap-up
     * with no end or past its end, or not ready (the soak never sets an agent not ready; the engine did, e.g. after a
     * missed ring, and did not bring them back while the run settled).
     */
    static boolean stuck(AgentState state, Instant now) {
        return switch (state) {
            case AgentState.Reserved r -> true;
            case AgentState.OnCall c -> true;
            case AgentState.NotReady n -> true;
            case AgentState.WrapUp w -> w.until().map(until -> until.isBefore(now)).orElse(true);
            case AgentState.Ready r -> false;
            case AgentState.LoggedOut l -> false;
        };
    }
}
