package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.api.CallActions;
import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.gateway.ws.LiveHub;
import dev.hotline.api.AgentStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Calls: the agent's own disposition, blind transfer and hang-up, and a supervisor's listen / whisper / barge.
 * Transfer, hang-up and spying wait for Asterisk: the handlers return the engine's future and the response is
 * written when it completes (never blocking an event loop), or 504 after {@link #ASTERISK_TIMEOUT}.
 */
final class CallControlApi {

    static final Duration ASTERISK_TIMEOUT = Duration.ofSeconds(15);
    private static final Pattern TARGET = Pattern.compile("(queue:[a-z0-9][a-z0-9_-]{0,63}|[0-9A-Za-z_*#+-]{1,40})");

    private final Context ctx;

    CallControlApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/dispositions", req -> {
            req.session();
            return ctx.ok(Map.of("codes", ctx.config().dispositionCodes()));
        });
        // The recorder may hand the record to its writer: kept off the event loop.
        r.add("POST", "/api/agents/{id}/disposition", true, this::disposition);
        r.async("POST", "/api/agents/{id}/transfer", this::transfer);
        r.async("POST", "/api/agents/{id}/hangup", this::hangup);
        for (CallActions.SpyMode mode : CallActions.SpyMode.values()) {
            r.async("POST", "/api/agents/{id}/" + mode.name().toLowerCase(Locale.ROOT), req -> spy(req, mode));
        }
    }

    /** The agent {@code {id}} names, who must be the caller: call control is the agent's own. */
    private AgentConfig self(Request req, String what) {
        AgentConfig a = AgentApi.target(ctx, req, true);
        User u = req.user();
        if (!a.id().equals(u.agentId().orElse(null))) {
            throw ApiException.forbidden("only agent " + a.id() + " may " + what + " their own call (you are "
                    + u.username() + (u.agentId().map(x -> ", agent " + x).orElse("")) + ")");
        }
        return a;
    }

    private void requireOnCall(AgentConfig a) {
        AgentStatus s = ctx.live().state(a.id());
        if (s.kind() != AgentStatus.Kind.ON_CALL) {
            throw ApiException.conflict("agent " + a.id() + " is " + LiveHub.stateName(s)
                    + ", not on a call (expected: state on-call)");
        }
    }

    private Response disposition(Request req) {
        AgentConfig a = self(req, "set the disposition of");
        ObjectNode body = req.body();
        Request.onlyFields(body, "code", "notes", "callId");
        String code = Request.text(body, "code", 32);
        // A form bound to a call: refused once another call has ended since, so a code never lands on the wrong one.
        Optional<String> callId = Request.optionalText(body, "callId", 128);
        Optional<String> last = ctx.live().lastCallId(a.id());
        if (callId.isPresent() && last.isPresent() && !callId.get().equals(last.get())) {
            throw ApiException.conflict("call " + callId.get() + " is not agent " + a.id() + "'s last call any more"
                    + " (the last is " + last.get() + "); a disposition goes on the last call only");
        }
        // Configured in gateway.disposition_codes.
        List<String> codes = ctx.config().dispositionCodes();
        if (!codes.contains(code)) {
            throw ApiException.badRequest("code '" + code + "' (expected one of: " + String.join(", ", codes) + ")");
        }
        String notes = Request.optionalText(body, "notes", 2000).orElse("");
        if (!ctx.engine().calls().disposition(a.id(), code, notes)) {
            throw ApiException.conflict("agent " + a.id() + " has had no call to set a disposition on");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", a.id());
        m.put("code", code);
        m.put("notes", notes);
        m.put("callId", last.orElse(null));
        m.put("status", "recorded");
        return ctx.ok(m);
    }

    private CompletionStage<Response> transfer(Request req) {
        AgentConfig a = self(req, "transfer");
        ObjectNode body = req.body();
        Request.onlyFields(body, "target", "attended");
        String target = Request.text(body, "target", 70);
        boolean attended = false;
        if (body.has("attended")) {
            if (!body.get("attended").isBoolean()) {
                throw ApiException.badRequest("field 'attended' is " + body.get("attended")
                        + " (expected: true or false)");
            }
            attended = body.get("attended").asBoolean();
        }
        if (!TARGET.matcher(target).matches()) {
            throw ApiException.badRequest("field 'target' is '" + target
                    + "' (expected: queue:NAME, or an extension or number of 1-40 digits, letters, * # + - _)");
        }
        requireOnCall(a);
        var started = attended ? ctx.engine().calls().transferAttended(a.id(), target)
                : ctx.engine().calls().transfer(a.id(), target);
        boolean consulted = attended;
        return engine(started, "transfer").thenApply(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agentId", a.id());
            m.put("action", "transfer");
            m.put("attended", consulted);
            m.put("target", target);
            // Attended: Asterisk has started the consultation; the transfer happens (and is recorded) only when
            // the agent hangs up while the target is up.
            m.put("status", consulted ? "consulting" : "done");
            return ctx.ok(m);
        });
    }

    private CompletionStage<Response> hangup(Request req) {
        AgentConfig a = self(req, "hang up");
        Request.onlyFields(req.body());
        requireOnCall(a);
        return engine(ctx.engine().calls().hangup(a.id()), "hang-up").thenApply(x -> ctx.ok(Map.of(
                "agentId", a.id(), "action", "hangup", "status", "done")));
    }

    private CompletionStage<Response> spy(Request req, CallActions.SpyMode mode) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        AgentConfig a = AgentApi.target(ctx, req, true);
        String name = mode.name().toLowerCase(Locale.ROOT);
        ObjectNode body = req.body();
        Request.onlyFields(body, "endpoint");
        if (!body.hasNonNull("endpoint") || body.get("endpoint").asText().isBlank()) {
            throw new ApiException(400, "bad request", "choose your phone first: Asterisk rings it and connects it to"
                    + " the agent's call (expected: your phone as TECH/resource, e.g. PJSIP/2001)", "endpoint");
        }
        String endpoint = Request.text(body, "endpoint", 128);
        if (!AgentConfig.ENDPOINT.matcher(endpoint).matches()) {
            throw ApiException.badRequest("field 'endpoint' is '" + endpoint
                    + "' (expected: your phone as TECH/resource, e.g. PJSIP/2001)");
        }
        requireOnCall(a);
        return engine(ctx.engine().calls().spy(endpoint, a.id(), mode), name).handle((result, e) -> {
            String outcome = e != null ? "failed: " + cause(e).getMessage()
                    : result.success() ? "originated " + result.channel() : "not answered (reason " + result.reason() + ")";
            // Who listened to whom, when, how, from which phone: recorded whatever happened.
            ctx.audit().record(u.username(), u.role().wireName(), "agent." + name, a.id(),
                    "endpoint=" + endpoint + " " + outcome, req.address());
            if (e != null) {
                throw cause(e) instanceof RuntimeException re ? re : new IllegalStateException(cause(e));
            }
            if (!result.success()) {
                throw new ApiException(502, "asterisk refused", "your phone " + endpoint + " was not connected to "
                        + name + " to agent " + a.id() + ": " + originateReason(result.reason()));
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agentId", a.id());
            m.put("mode", name);
            m.put("endpoint", endpoint);
            m.put("channel", result.channel());
            m.put("status", "connected");
            return ctx.ok(m);
        });
    }

    /**
     * Asterisk's Originate failure reason in words (the {@code Reason} of {@code OriginateResponse}: the control
     * frame that ended the attempt).
     */
    static String originateReason(int reason) {
        return switch (reason) {
            case 0 -> "Asterisk could not call it (no such phone, or it is not registered)";
            case 1 -> "it hung up before answering";
            case 3 -> "it rang but nobody answered";
            case 5 -> "it is busy";
            case 8 -> "the call was refused (congestion)";
            default -> "Asterisk gave up (reason " + reason + ")";
        };
    }

    /** The engine's future, bounded in time, with its failures as API errors naming the action. */
    private static <T> CompletableFuture<T> engine(CompletableFuture<T> f, String action) {
        return f.orTimeout(ASTERISK_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(apiError(cause(e), action)));
    }

    private static Throwable cause(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static ApiException apiError(Throwable e, String action) {
        if (e instanceof ApiException a) {
            return a;
        }
        if (e instanceof TimeoutException) {
            return new ApiException(504, "asterisk timeout", action + ": no answer from Asterisk within "
                    + ASTERISK_TIMEOUT.toSeconds() + " s");
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("not on a call")) {
            return ApiException.conflict(msg);
        }
        if (e instanceof IllegalStateException && msg.contains("expected")) {
            return ApiException.badRequest(msg);
        }
        return new ApiException(502, "asterisk refused", action + " failed: " + msg);
    }
}
