package dev.hotline.gateway.ws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live views and WebSocket messages as Jackson writes them, one record per shape of {@code openapi.yaml}
 * ({@code Agent}, {@code CallPop}, {@code WaitingCall}, {@code LiveMessage}); {@code OpenApiSchemaTest} checks them
 * against it. Times are ISO-8601 strings, durations whole seconds.
 */
public final class LiveJson {

    private LiveJson() {
    }

    /** One agent as the pages show them. {@code wrapUpUntil} only in wrap-up. */
    public record Agent(String id, String name, Set<String> teams, Map<String, Integer> skills, List<String> queues,
                        boolean disabled, List<String> endpoints, String state, String reason, String readyAt,
                        String since, long secondsInState,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String wrapUpUntil, CallPop call,
                        CallPop lastCall, Next next) {
    }

    /** Not ready asked for during a call: applied when the call and its wrap-up end. */
    public record Next(String state, String reason) {
    }

    /**
     * A call's screen pop: only {@code callId} when the gateway never saw it queue; {@code talkingSeconds} while
     * connected; {@code talkSeconds} and {@code endedAt} for an agent's last call.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CallPop(String callId, String queue, String caller, Map<String, String> data,
                          List<String> ivrChoices, Long waitedSeconds, Long talkingSeconds, Long talkSeconds,
                          String endedAt) {

        /** This pop as an agent's last call: its talk time and end, no longer talking. */
        public CallPop ended(long talk, String at) {
            return new CallPop(callId, queue, caller, data, ivrChoices, waitedSeconds, null, talk, at);
        }
    }

    /** A waiting call; {@code caller} when the gateway saw it queue (live messages only). */
    public record WaitingCall(String callId, String queue, int priority, int position, String since,
                              long waitedSeconds, @JsonInclude(JsonInclude.Include.NON_NULL) String caller,
                              boolean callback) {
    }

    /** A service-level sample ({@code serviceLevel} null before the first call answered or abandoned). */
    public record Sample(String at, Double serviceLevel, long offered) {
    }

    /** The signed-in user a snapshot is for. */
    public record User(String username, String role) {
    }

    // ------------------------------------------------------------------------------------------ messages

    /** What a new subscriber gets first: their own state (agents), or also queues, board and history (the others). */
    public record Snapshot(String type, String at, User user, Agent me,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<Map<String, Object>> queues,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<Agent> agents,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, List<Sample>> history,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Object intervals,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<WaitingCall> waiting) {
    }

    public record AgentMessage(String type, String at, Agent agent) {
    }

    /** {@code offer} (with the agent and the routing core's explanation) or {@code connected}. */
    public record CallMessage(String type, String at, @JsonUnwrapped CallPop pop,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String agentId,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String explanation) {
    }

    public record Ended(String type, String at, String callId, long talkSeconds, String hungUpFirst,
                        CallPop lastCall) {
    }

    public record OfferWithdrawn(String type, String at, String callId, String dialStatus) {
    }

    public record Waiting(String type, String at, List<WaitingCall> calls) {
    }

    public record Queues(String type, String at, List<Map<String, Object>> queues) {
    }

    public record Queue(String type, String at, Map<String, Object> queue) {
    }

    public record Directory(String type, String at, String kind, String id) {
    }

    public record Intervals(String type, String at, Object intervals) {
    }

    /** {@code pong}, or {@code error} with its detail. */
    public record Reply(String type, String at, @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {
    }
}
