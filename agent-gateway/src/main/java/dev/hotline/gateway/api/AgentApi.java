package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.api.AgentStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An agent's state: {@code /api/agents/{id}} and its actions, where {@code id} is a work number or {@code me}.
 * An agent acts only on themselves; a supervisor on the agents of their teams and an admin on anyone — those
 * are forced changes, each written to the audit log. The ACD applies a change asynchronously, so actions answer
 * 202; the new state arrives over the WebSocket (and in {@code GET}) within a fraction of a second.
 */
final class AgentApi {

    private final Context ctx;

    AgentApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/agents/{id}", req -> ctx.ok(ctx.live().agentView(target(req, false).id())));
        r.post("/api/agents/{id}/login", this::login);
        r.post("/api/agents/{id}/ready", req -> act(req, "ready", target(req, true), body -> {
            Request.onlyFields(body);
            return Optional.empty();
        }));
        r.post("/api/agents/{id}/not-ready", req -> act(req, "not-ready", target(req, true), body -> {
            Request.onlyFields(body, "reason");
            String reason = Request.text(body, "reason", 32);
            if (!ctx.config().notReadyReasons().contains(reason)) {
                throw ApiException.badRequest("reason '" + reason + "' (expected one of: "
                        + String.join(", ", ctx.config().notReadyReasons()) + ")");
            }
            return Optional.of(reason);
        }));
        r.post("/api/agents/{id}/end-wrap-up", req -> act(req, "end-wrap-up", target(req, true), body -> {
            Request.onlyFields(body);
            return Optional.empty();
        }));
        r.post("/api/agents/{id}/logout", req -> act(req, "logout", target(req, true), body -> {
            Request.onlyFields(body);
            return Optional.empty();
        }));
        r.post("/api/agents/{id}/force", this::force);
    }

    /** The agent {@code {id}} names, if the caller may see ({@code act}: change) them; 401/403/404 otherwise. */
    private AgentConfig target(Request req, boolean act) {
        return target(ctx, req, act);
    }

    static AgentConfig target(Context ctx, Request req, boolean act) {
        User u = req.user();
        String id = req.pathParam("id");
        if (id.equals("me")) {
            id = u.agentId().orElseThrow(() -> ApiException.notFound("user " + u.username()
                    + " has no work number; name the agent: /api/agents/{workNumber}"));
        }
        AgentConfig a = ctx.live().agents().get(id);
        boolean self = id.equals(u.agentId().orElse(null));
        if (!self && !u.oversees(a == null ? java.util.List.of() : a.teams())) {
            throw ApiException.forbidden(u.role() == Role.AGENT
                    ? "an agent may " + (act ? "act on" : "see") + " only their own state (you are agent "
                    + u.agentId().orElse("?") + ", not " + id + ")"
                    : "agent " + id + " is not in your teams " + u.teams().stream().sorted().toList());
        }
        if (a == null) {
            throw ApiException.notFound("no agent with work number " + id);
        }
        return a;
    }

    @FunctionalInterface
    private interface BodyCheck {
        Optional<String> check(ObjectNode body);
    }

    private Response act(Request req, String action, AgentConfig agent, BodyCheck check) {
        User u = req.user();
        Optional<String> reason = check.check(req.body());
        if (action.equals("force")) {
            String[] parts = reason.orElseThrow().split(":", 2);
            action = parts[0];
            reason = parts.length == 2 ? Optional.of(parts[1]) : Optional.empty();
        }
        AgentStatus s = ctx.live().state(agent.id());
        switch (action) {
            case "ready", "not-ready" -> {
                if (s.kind() == AgentStatus.Kind.LOGGED_OUT) {
                    throw ApiException.conflict("agent " + agent.id() + " is logged out (expected: log in first)");
                }
            }
            case "end-wrap-up" -> {
                if (s.kind() != AgentStatus.Kind.WRAP_UP) {
                    throw ApiException.conflict("agent " + agent.id() + " is " + dev.hotline.gateway.ws.LiveHub
                            .stateName(s) + ", not in wrap-up");
                }
            }
            case "logout" -> {
                if (s.kind() == AgentStatus.Kind.LOGGED_OUT) {
                    throw ApiException.conflict("agent " + agent.id() + " is already logged out");
                }
            }
            default -> throw new IllegalArgumentException(action);
        }
        var acd = ctx.engine().agents();
        switch (action) {
            case "ready" -> {
                ctx.live().notReadyCancelled(agent.id());
                acd.ready(agent.id());
            }
            case "not-ready" -> {
                // During a call the core keeps it for after the call: the desktop shows it as what comes next.
                ctx.live().notReadyRequested(agent.id(), reason.orElseThrow());
                acd.notReady(agent.id(), reason.orElseThrow());
            }
            case "end-wrap-up" -> acd.endWrapUp(agent.id());
            default -> {
                ctx.live().notReadyCancelled(agent.id());
                acd.logout(agent.id());
            }
        }
        if (u.role() != Role.AGENT) {
            ctx.audit().record(u.username(), u.role().wireName(), "agent." + action, agent.id(),
                    reason.map(x -> "reason=" + x).orElse(""), req.address());
        }
        return accepted(agent.id(), action, reason);
    }

    /** A supervisor's or admin's forced change, in one body: {@code {"state": ready|not-ready|logout, "reason"}}. */
    private Response force(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        AgentConfig agent = target(req, true);
        return act(req, "force", agent, body -> {
            Request.onlyFields(body, "state", "reason");
            String state = Request.text(body, "state", 16);
            Optional<String> reason = Request.optionalText(body, "reason", 32);
            switch (state) {
                case "ready", "logout" -> {
                    if (reason.isPresent()) {
                        throw ApiException.badRequest("field 'reason' is only for state not-ready (state is "
                                + state + ")");
                    }
                }
                case "not-ready" -> {
                    String r = reason.orElseThrow(() -> ApiException.badRequest(
                            "field 'reason' is missing (expected: one of " + String.join(", ",
                                    ctx.config().notReadyReasons()) + " for state not-ready)"));
                    if (!ctx.config().notReadyReasons().contains(r)) {
                        throw ApiException.badRequest("reason '" + r + "' (expected one of: "
                                + String.join(", ", ctx.config().notReadyReasons()) + ")");
                    }
                }
                default -> throw ApiException.badRequest("field 'state' is '" + state
                        + "' (expected: ready, not-ready or logout)");
            }
            return Optional.of(state + reason.map(x -> ":" + x).orElse(""));
        });
    }

    private Response login(Request req) {
        AgentConfig agent = target(req, true);
        User u = req.user();
        if (!agent.id().equals(u.agentId().orElse(null))) {
            throw ApiException.forbidden("only agent " + agent.id() + " can log themselves in (at their phone)");
        }
        ObjectNode body = req.body();
        Request.onlyFields(body, "workNumber", "endpoint");
        String work = Request.text(body, "workNumber", 32);
        if (!work.equals(agent.id())) {
            throw ApiException.forbidden("work number " + work + " is not yours (you are agent " + agent.id() + ")");
        }
        Optional<String> endpoint = Request.optionalText(body, "endpoint", 128);
        if (endpoint.isPresent() && !agent.endpoints().contains(endpoint.get())) {
            throw ApiException.badRequest("endpoint " + endpoint.get() + " is not one of agent " + agent.id()
                    + "'s endpoints " + agent.endpoints());
        }
        if (ctx.live().state(agent.id()).kind() != AgentStatus.Kind.LOGGED_OUT) {
            throw ApiException.conflict("agent " + agent.id() + " is already logged in");
        }
        if (ctx.engine().agents().disabled().contains(agent.id())) {
            throw ApiException.conflict("agent " + agent.id() + " is disabled (expected: an admin enables them first)");
        }
        ctx.engine().agents().login(agent.id());
        if (u.role() != Role.AGENT) {
            ctx.audit().record(u.username(), u.role().wireName(), "agent.login", agent.id(), "", req.address());
        }
        return accepted(agent.id(), "login", Optional.empty());
    }

    private Response accepted(String agentId, String action, Optional<String> reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", agentId);
        m.put("action", action);
        reason.ifPresent(x -> m.put("reason", x));
        m.put("status", "accepted");
        return ctx.json(202, m);
    }
}
