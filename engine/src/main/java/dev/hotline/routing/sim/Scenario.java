package dev.hotline.routing.sim;

import dev.hotline.routing.Agent;
import dev.hotline.routing.QueueSpec;

import java.util.List;

/**
 * What to simulate: queues (defined in this order), agents (all logged in and ready at time zero), call streams,
 * how many calls arrive in all, how many of the first ones warm the system up unmeasured, and the random seed.
 */
public record Scenario(List<QueueSpec> queues, List<Agent> agents, List<CallType> callTypes, int calls,
                       int warmUpCalls, long seed) {

    public Scenario {
        queues = List.copyOf(queues);
        agents = List.copyOf(agents);
        callTypes = List.copyOf(callTypes);
        if (callTypes.isEmpty()) {
            throw new IllegalArgumentException("callTypes: [] (expected: at least one)");
        }
        if (calls < 1 || warmUpCalls < 0 || warmUpCalls >= calls) {
            throw new IllegalArgumentException("calls: " + calls + ", warmUpCalls: " + warmUpCalls
                    + " (expected: 0 <= warmUpCalls < calls)");
        }
    }
}
