package dev.hotline.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.config.AgentConfig;
import dev.hotline.directory.Change;
import dev.hotline.directory.Directory;
import dev.hotline.directory.DirectoryException;
import dev.hotline.directory.Documents;
import dev.hotline.directory.Entry;
import dev.hotline.directory.SkillConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.api.CallActions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Agents, queues and skills, live (the engine's {@link Directory}), and a waiting call's priority.
 *
 * <ul>
 *   <li>Supervisors (for the agents of their teams) and admins (for all) change an agent's skills and queues
 *       ({@code PUT /api/agents/{id}/skills}, {@code …/queues}), list the waiting calls and re-prioritise one
 *       ({@code POST /api/calls/{callId}/priority}; a supervisor for calls in queues their teams' agents serve).</li>
 *   <li>Admins list, create, change, disable and enable agents, queues and skills under {@code /api/directory}.
 *       Agent and queue bodies are definition documents with the keys of {@code agents.yaml} entries and
 *       {@code hotline.yaml} queue items, validated by the configuration loader's own rules.</li>
 * </ul>
 * Every change is audited with what it changed (old → new). Directory writes go to the database on the
 * directory's own thread and answer when stored and applied, so these routes are asynchronous and never block an
 * event loop: 400 with {@code problems} (each with the key {@code path} and a message saying what is expected) for
 * an invalid definition, 404 for an unknown id, 409 for a conflict, 503 when the database is unreachable (nothing
 * was changed).
 */
final class DirectoryApi {

    /** Priorities a supervisor may give, as a queue's default priority in hotline.yaml. */
    static final int MAX_PRIORITY = 100;

    private final Context ctx;

    DirectoryApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.async("PUT", "/api/agents/{id}/skills", this::agentSkills);
        r.async("PUT", "/api/agents/{id}/queues", this::agentQueues);
        r.async("GET", "/api/calls/waiting", this::waitingCalls);
        r.async("POST", "/api/calls/{callId}/priority", this::priority);

        r.get("/api/directory/agents", req -> {
            req.requireRole(Role.ADMIN);
            return ctx.ok(Map.of("agents", directory().agents().stream().map(e -> view(e, Documents.agent(e.value())))
                    .toList()));
        });
        r.get("/api/directory/agents/{id}", req -> {
            req.requireRole(Role.ADMIN);
            Entry<AgentConfig> e = directory().agent(req.pathParam("id")).orElseThrow(() -> ApiException.notFound(
                    "no agent with work number " + req.pathParam("id")));
            return ctx.ok(view(e, Documents.agent(e.value())));
        });
        r.async("POST", "/api/directory/agents", req -> {
            User u = req.requireRole(Role.ADMIN);
            String doc = document(req.body());
            return answer(req, directory().createAgent(doc, u.username()), "directory.agent.create", 201,
                    c -> c.after().value().id(), Documents::agent);
        });
        r.async("PUT", "/api/directory/agents/{id}", req -> {
            User u = req.requireRole(Role.ADMIN);
            String id = req.pathParam("id");
            ObjectNode body = req.body();
            body.putIfAbsent("id", body.textNode(id));
            return answer(req, directory().replaceAgent(id, document(body), u.username()), "directory.agent.change",
                    200, c -> id, Documents::agent);
        });
        r.async("POST", "/api/directory/agents/{id}/disable", req -> enable(req, false, "agent"));
        r.async("POST", "/api/directory/agents/{id}/enable", req -> enable(req, true, "agent"));

        r.get("/api/directory/queues", req -> {
            req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            return ctx.ok(Map.of("queues", directory().queues().stream().map(e -> view(e, Documents.queue(e.value())))
                    .toList()));
        });
        r.async("POST", "/api/directory/queues", req -> {
            User u = req.requireRole(Role.ADMIN);
            return answer(req, directory().createQueue(document(req.body()), u.username()), "directory.queue.create",
                    201, c -> c.after().value().name(), Documents::queue);
        });
        r.async("PUT", "/api/directory/queues/{name}", req -> {
            User u = req.requireRole(Role.ADMIN);
            String name = req.pathParam("name");
            ObjectNode body = req.body();
            body.putIfAbsent("name", body.textNode(name));
            return answer(req, directory().replaceQueue(name, document(body), u.username()),
                    "directory.queue.change", 200, c -> name, Documents::queue);
        });
        r.async("POST", "/api/directory/queues/{name}/disable", req -> enable(req, false, "queue"));
        r.async("POST", "/api/directory/queues/{name}/enable", req -> enable(req, true, "queue"));

        r.get("/api/directory/skills", req -> {
            req.requireRole(Role.SUPERVISOR, Role.ADMIN);
            return ctx.ok(Map.of("skills", directory().skills().stream().map(e -> view(e, skill(e.value())))
                    .toList()));
        });
        r.async("POST", "/api/directory/skills", req -> {
            User u = req.requireRole(Role.ADMIN);
            ObjectNode body = req.body();
            Request.onlyFields(body, "name", "description");
            String name = Request.text(body, "name", 64);
            String description = description(body);
            return answer(req, directory().createSkill(name, description, u.username()), "directory.skill.create",
                    201, c -> name, DirectoryApi::skill);
        });
        r.async("PUT", "/api/directory/skills/{name}", req -> {
            User u = req.requireRole(Role.ADMIN);
            ObjectNode body = req.body();
            Request.onlyFields(body, "name", "description");
            String name = req.pathParam("name");
            Optional<String> named = Request.optionalText(body, "name", 64);
            if (named.isPresent() && !named.get().equals(name)) {
                throw ApiException.badRequest("field 'name' is '" + named.get() + "' (expected: '" + name
                        + "', the skill being changed)");
            }
            return answer(req, directory().describeSkill(name, description(body), u.username()),
                    "directory.skill.change", 200, c -> name, DirectoryApi::skill);
        });
        r.async("POST", "/api/directory/skills/{name}/disable", req -> enable(req, false, "skill"));
        r.async("POST", "/api/directory/skills/{name}/enable", req -> enable(req, true, "skill"));
    }

    private Directory directory() {
        return ctx.engine().admin().directory().orElseThrow(() -> new ApiException(503, "unavailable",
                "the directory is not running (the engine has not started it)"));
    }

    // ------------------------------------------------------------------------------------------ supervisor actions

    /** {@code {"skills": {"sales": 7, …}}}: the agent's whole skill set, replacing the current one. */
    private CompletionStage<Response> agentSkills(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        AgentConfig agent = AgentApi.target(ctx, req, true);
        ObjectNode body = req.body();
        Request.onlyFields(body, "skills");
        JsonNode skills = body.get("skills");
        if (skills == null || !skills.isObject()) {
            throw ApiException.badRequest("field 'skills' is " + (skills == null ? "missing" : "a "
                    + skills.getNodeType().name().toLowerCase()) + " (expected: an object of skill name to level"
                    + " 1-10, e.g. {\"sales\": 7})");
        }
        return answer(req, directory().patchAgent(agent.id(), Map.of("skills", plain(skills)), u.username()),
                "agent.skills", 200, c -> agent.id(), Documents::agent);
    }

    /** {@code {"queues": ["sales", …]}}: the queues the agent serves; empty for every queue their skills meet. */
    private CompletionStage<Response> agentQueues(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        AgentConfig agent = AgentApi.target(ctx, req, true);
        ObjectNode body = req.body();
        Request.onlyFields(body, "queues");
        JsonNode queues = body.get("queues");
        if (queues == null || !queues.isArray()) {
            throw ApiException.badRequest("field 'queues' is " + (queues == null ? "missing" : "a "
                    + queues.getNodeType().name().toLowerCase()) + " (expected: a list of queue names, empty for"
                    + " every queue the agent's skills meet)");
        }
        return answer(req, directory().patchAgent(agent.id(), Map.of("queues", plain(queues)), u.username()),
                "agent.queues", 200, c -> agent.id(), Documents::agent);
    }

    private CompletionStage<Response> waitingCalls(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        Set<String> mine = u.role() == Role.ADMIN ? null : ctx.live().queuesServedBy(u);
        return ctx.engine().board().waitingCalls().thenApply(list -> {
            java.time.Instant now = ctx.clock().instant();
            return ctx.ok(Map.of("calls", list.stream().filter(w -> mine == null || mine.contains(w.queue()))
                    .map(w -> dev.hotline.gateway.ws.LiveViews.waitingCall(w, now, null)).toList()));
        });
    }

    /** {@code {"priority": 0-100}}: a waiting call's new priority; it keeps its wait. */
    private CompletionStage<Response> priority(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.ADMIN);
        String callId = req.pathParam("callId");
        ObjectNode body = req.body();
        Request.onlyFields(body, "priority");
        JsonNode p = body.get("priority");
        if (p == null || p.isNull()) {
            throw ApiException.badRequest("field 'priority' is missing (expected: an integer from 0 to "
                    + MAX_PRIORITY + ", higher is served first)");
        }
        if (!p.isIntegralNumber() || p.asLong() < 0 || p.asLong() > MAX_PRIORITY) {
            throw ApiException.badRequest("field 'priority' is " + p + " (expected: an integer from 0 to "
                    + MAX_PRIORITY + ", higher is served first)");
        }
        int priority = p.asInt();
        var calls = ctx.engine().calls();
        Optional<Set<String>> mine = u.role() == Role.SUPERVISOR ? Optional.of(ctx.live().queuesServedBy(u))
                : Optional.empty();
        CompletableFuture<Optional<String>> queue = ctx.engine().board().waitingCalls().thenApply(list -> list.stream()
                .filter(w -> w.callId().equals(callId)).map(w -> w.queue()).findFirst());
        return queue.thenCompose(q -> {
            if (q.isEmpty()) {
                throw ApiException.notFound("no waiting call " + callId + " (it was answered, left, is ringing an"
                        + " agent, or never queued)");
            }
            if (mine.isPresent() && !mine.get().contains(q.get())) {
                throw ApiException.forbidden("call " + callId + " waits in queue " + q.get() + ", which no agent of"
                        + " your teams " + u.teams().stream().sorted().toList() + " serves");
            }
            // The core checks the queue again as it applies the change: an escalation move due meanwhile makes it
            // a 409 (the call moved), never a change in a queue the supervisor may not touch.
            return calls.reprioritise(callId, priority, u.username(), mine);
        }).thenApply(d -> switch (d) {
            case CallActions.PriorityChange.Changed r -> {
                ctx.audit().record(u.username(), u.role().wireName(), "call.priority", callId, "queue=" + r.queue()
                        + " priority " + r.from() + " → " + r.to() + ", position " + r.position(), req.address());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("callId", callId);
                m.put("queue", r.queue());
                m.put("from", r.from());
                m.put("priority", r.to());
                m.put("position", r.position());
                m.put("waitedSeconds", r.waited().toSeconds());
                yield ctx.ok(m);
            }
            case CallActions.PriorityChange.Rejected r -> throw ApiException.conflict(r.reason());
        });
    }

    // ------------------------------------------------------------------------------------------ admin actions

    private CompletionStage<Response> enable(Request req, boolean enabled, String kind) {
        User u = req.requireRole(Role.ADMIN);
        Request.onlyFields(req.body());
        String action = "directory." + kind + "." + (enabled ? "enable" : "disable");
        return switch (kind) {
            case "agent" -> {
                String id = req.pathParam("id");
                yield answer(req, directory().setAgentEnabled(id, enabled, u.username()), action, 200, c -> id,
                        Documents::agent);
            }
            case "queue" -> {
                String name = req.pathParam("name");
                yield answer(req, directory().setQueueEnabled(name, enabled, u.username()), action, 200, c -> name,
                        Documents::queue);
            }
            default -> {
                String name = req.pathParam("name");
                yield answer(req, directory().setSkillEnabled(name, enabled, u.username()), action, 200, c -> name,
                        DirectoryApi::skill);
            }
        };
    }

    private static String description(ObjectNode body) {
        JsonNode d = body.get("description");
        if (d == null || d.isNull()) {
            return "";
        }
        if (!d.isTextual()) {
            throw ApiException.badRequest("field 'description' is a " + d.getNodeType().name().toLowerCase()
                    + " (expected: text)");
        }
        if (d.textValue().length() > SkillConfig.MAX_DESCRIPTION) {
            throw ApiException.badRequest("field 'description' has " + d.textValue().length() + " characters"
                    + " (expected: <= " + SkillConfig.MAX_DESCRIPTION + ")");
        }
        return d.textValue();
    }

    private static Map<String, Object> skill(SkillConfig s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("description", s.description());
        return m;
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private String document(ObjectNode body) {
        try {
            return ctx.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body cannot be read: " + e.getOriginalMessage());
        }
    }

    /** A JSON value as plain Java (maps, lists, strings, numbers) for a definition document. */
    private Object plain(JsonNode n) {
        return ctx.json().convertValue(n, Object.class);
    }

    private <T> Map<String, Object> view(Entry<T> e, Map<String, Object> definition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", definition);
        m.put("disabled", e.disabled());
        m.put("origin", e.origin().name().toLowerCase());
        m.put("updatedAt", e.updatedAt().map(Object::toString).orElse(null));
        m.put("updatedBy", e.updatedBy().isEmpty() ? null : e.updatedBy());
        return m;
    }

    /**
     * Completes a directory write: audits it (what changed, old → new) and answers the entry, or maps the refusal
     * to its status (400 with the problems, 404, 409, 503).
     */
    private <T> CompletionStage<Response> answer(Request req, CompletableFuture<Change<T>> change, String action,
                                                 int status, Function<Change<T>, String> target,
                                                 Function<T, Map<String, Object>> document) {
        User u = req.user();
        return change.handle((c, failure) -> {
            if (failure != null) {
                return refusal(failure);
            }
            Map<String, Object> after = document.apply(c.after().value());
            Map<String, Object> before = c.before().map(b -> document.apply(b.value())).orElse(null);
            ctx.audit().record(u.username(), u.role().wireName(), action, target.apply(c),
                    difference(before, c.before().map(Entry::disabled).orElse(null), after, c.after().disabled()),
                    req.address());
            return ctx.json(status, view(c.after(), after));
        });
    }

    /** {@code key: old → new; …} for every key that changed; the whole definition for a new entry. */
    static String difference(Map<String, Object> before, Boolean wasDisabled, Map<String, Object> after,
                             boolean disabled) {
        List<String> parts = new ArrayList<>();
        if (before == null) {
            parts.add("created " + after);
        } else {
            for (var e : after.entrySet()) {
                Object old = before.get(e.getKey());
                if (!Objects.equals(old, e.getValue())) {
                    parts.add(e.getKey() + ": " + old + " → " + e.getValue());
                }
            }
        }
        if (wasDisabled != null && wasDisabled != disabled) {
            parts.add(disabled ? "enabled → disabled" : "disabled → enabled");
        }
        return parts.isEmpty() ? "no change" : String.join("; ", parts);
    }

    private Response refusal(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (t instanceof ApiException a) {
            throw a;
        }
        if (!(t instanceof DirectoryException d)) {
            throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
        }
        return switch (d.kind()) {
            case INVALID -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("error", "bad request");
                m.put("detail", d.getMessage());
                m.put("problems", d.problems().stream().map(p -> Map.of("path", p.path(), "message", p.message()))
                        .toList());
                yield ctx.json(400, m);
            }
            case NOT_FOUND -> throw ApiException.notFound(d.getMessage());
            case CONFLICT -> throw ApiException.conflict(d.getMessage());
            case UNAVAILABLE -> throw new ApiException(503, "unavailable", d.getMessage());
        };
    }
}
