package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.callbacks.Callback;
import dev.hotline.callbacks.CallbackStore;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scheduled callbacks: {@code POST /api/callbacks} schedules one (an agent for themselves or their queue, a
 * supervisor for their teams' agents or a queue, an admin for anyone); {@code GET /api/agents/{id}/callbacks} lists
 * an agent's pending ones (the agent themselves, or a supervisor of their team). Routing: the owner first for
 * {@code acd.callback.owner_first_for}, then anyone in the queue; an owner who is logged out gives it to the queue at
 * once (docs/CALLBACKS.md). Ids are the server's ({@code sched-<uuid>}, never a client's: a client-chosen id could
 * name a live call); a client makes a retried request safe with its {@code idempotencyKey}, scoped to its user.
 */
final class CallbacksApi {

    /** How far ahead a callback may be scheduled. */
    static final Duration MAX_AHEAD = Duration.ofDays(90);
    /** How far in the past a due time is still accepted (clock skew between browser and server): due at once. */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(5);
    static final int MAX_NOTE = 1000;
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{2,30}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final Context ctx;

    CallbacksApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        // Blocking: the callback is written to the database before the answer.
        r.add("POST", "/api/callbacks", true, this::schedule);
        r.get("/api/agents/{id}/callbacks", this::list);
    }

    private Callbacks service() {
        return ctx.engine().callbacks().orElseThrow(() -> new ApiException(503, "service unavailable",
                "callbacks are not running (the database has not been reached yet); try again shortly"));
    }

    private Response schedule(Request req) {
        User u = req.requireRole(Role.AGENT, Role.SUPERVISOR, Role.ADMIN);
        ObjectNode body = req.body();
        if (body.has("id")) {
            throw ApiException.badField("id", "field 'id': callback ids are assigned by the server (sched-…);"
                    + " to make a retried request safe, send your own 'idempotencyKey' instead");
        }
        Request.onlyFields(body, "idempotencyKey", "queue", "number", "dueAt", "owner", "note");
        String queue = Request.text(body, "queue", 64);
        checkQueue(queue);
        String number = Request.text(body, "number", 40).replaceAll("[\\s.()-]", "");
        if (!NUMBER.matcher(number).matches()) {
            throw ApiException.badRequest("field 'number': '" + Request.text(body, "number", 40)
                    + "' (expected: 2-30 digits, optionally starting with +)");
        }
        Instant due = dueAt(Request.text(body, "dueAt", 40));
        Optional<String> owner = Request.optionalText(body, "owner", 32);
        owner.ifPresent(o -> checkOwner(u, o));
        if (owner.isEmpty()) {
            checkServes(u, queue);
        }
        String note = Request.optionalText(body, "note", MAX_NOTE).orElse("");
        Optional<String> key = Request.optionalText(body, "idempotencyKey", 64);
        if (key.isPresent() && !KEY.matcher(key.get()).matches()) {
            throw ApiException.badField("idempotencyKey", "field 'idempotencyKey': '" + key.get() + "' (expected:"
                    + " 1-64 of letters, digits, '.', '_', ':', '-', starting with a letter or digit)");
        }
        Callbacks service = service();
        Callback stored;
        try {
            stored = service.schedule(queue, number, due, owner, note,
                    key.map(k -> new CallbackStore.RequestKey(u.username(), k)));
        } catch (SQLException e) {
            throw new ApiException(503, "service unavailable", "the callback could not be stored: " + e.getMessage());
        }
        boolean same = stored.kind() == Callback.Kind.SCHEDULED && stored.number().equals(number)
                && stored.dueAt().equals(due) && stored.queue().equals(queue) && stored.owner().equals(owner)
                && stored.note().equals(note);
        if (!same) {
            // Idempotent by key (a retried request is not a second callback), but one key is one promise. The key
            // is this user's own: what is shown is their own callback.
            throw ApiException.conflict("idempotency key '" + key.orElse("") + "' was already used by you for"
                    + " another callback (" + stored.id() + ", due " + stored.dueAt() + ", queue " + stored.queue()
                    + "); use a new key for a new callback");
        }
        if (u.role() != Role.AGENT) {
            ctx.audit().record(u.username(), u.role().wireName(), "callback.schedule", stored.id(),
                    "queue=" + queue + " due=" + due + owner.map(o -> " owner=" + o).orElse(""), req.address());
        }
        return ctx.json(201, view(stored, service.config().overdueAfter()));
    }

    /** The queue as now defined (files and directory), and enabled. */
    private void checkQueue(String queue) {
        var board = ctx.engine().board();
        if (!board.queues().containsKey(queue)) {
            throw ApiException.badField("queue", "field 'queue': unknown queue '" + queue + "' (expected one of: "
                    + String.join(", ", enabledQueues()) + ")");
        }
        if (board.disabledQueues().contains(queue)) {
            throw ApiException.badField("queue", "field 'queue': queue '" + queue + "' is disabled (expected: an"
                    + " enabled queue; enable it in the directory first)");
        }
    }

    /** The queues as now defined and enabled, by name. */
    private List<String> enabledQueues() {
        var board = ctx.engine().board();
        Set<String> disabled = board.disabledQueues();
        return board.queues().keySet().stream().filter(q -> !disabled.contains(q)).toList();
    }

    /**
     * A queue-owned callback (no owner) is promised by someone who can answer for the queue: an agent who serves it,
     * a supervisor one of whose teams' agents serves it, an admin. "Serves" is the routing core's own view (queue
     * membership, skills, escalation alternatives; a disabled agent serves nothing).
     */
    private void checkServes(User u, String queue) {
        switch (u.role()) {
            case AGENT -> {
                String agent = u.agentId().orElse("?");
                if (!queuesOf(List.of(agent)).getOrDefault(agent, List.of()).contains(queue)) {
                    throw ApiException.forbidden("you (agent " + agent + ") do not serve queue " + queue
                            + ": an agent schedules queue callbacks only for the queues they serve (or one for"
                            + " themselves, with owner)");
                }
            }
            case SUPERVISOR -> {
                List<String> mine = ctx.live().agents().values().stream().filter(a -> u.oversees(a.teams()))
                        .map(AgentConfig::id).toList();
                boolean serves = queuesOf(mine).values().stream().anyMatch(q -> q.contains(queue));
                if (!serves) {
                    throw ApiException.forbidden("no agent of your teams " + u.teams().stream().sorted().toList()
                            + " serves queue " + queue);
                }
            }
            case ADMIN -> { }
        }
    }

    /** Each agent's queues as the routing core has them now. */
    private Map<String, List<String>> queuesOf(List<String> agents) {
        Map<String, java.util.concurrent.CompletableFuture<List<String>>> asked = new LinkedHashMap<>();
        agents.forEach(a -> asked.put(a, ctx.engine().agents().queuesOf(a)));
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            for (var e : asked.entrySet()) {
                out.put(e.getKey(), e.getValue().get(5, java.util.concurrent.TimeUnit.SECONDS));
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ApiException(503, "service unavailable", "the routing core did not answer which queues"
                    + " are served (" + e + "); try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "service unavailable", "interrupted");
        }
        return out;
    }

    private Instant dueAt(String text) {
        Instant due;
        try {
            due = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("field 'dueAt': '" + text + "' (expected: a date and time with its offset,"
                    + " e.g. 2026-11-24T09:30:00+01:00 or 2026-11-24T08:30:00Z)");
        }
        Instant now = ctx.clock().instant();
        if (due.isBefore(now.minus(PAST_TOLERANCE))) {
            throw ApiException.badRequest("field 'dueAt': " + due + " is in the past (now is " + now + ")");
        }
        if (due.isAfter(now.plus(MAX_AHEAD))) {
            throw ApiException.badRequest("field 'dueAt': " + due + " is more than " + MAX_AHEAD.toDays()
                    + " days ahead");
        }
        return due;
    }

    /** An agent schedules for themselves; a supervisor for their teams' agents; an admin for anyone. */
    private void checkOwner(User u, String owner) {
        AgentConfig a = ctx.live().agents().get(owner);
        boolean self = owner.equals(u.agentId().orElse(null));
        if (!self && u.role() == Role.AGENT) {
            throw ApiException.forbidden("an agent schedules callbacks for themselves or their queue (you are agent "
                    + u.agentId().orElse("?") + ", not " + owner + ")");
        }
        if (a == null) {
            throw ApiException.badRequest("field 'owner': no agent with work number " + owner);
        }
        if (!self && !u.oversees(a.teams())) {
            throw ApiException.forbidden("agent " + owner + " is not in your teams "
                    + u.teams().stream().sorted().toList());
        }
    }

    private Response list(Request req) {
        AgentConfig agent = AgentApi.target(ctx, req, false);
        Callbacks service = service();
        Duration grace = service.config().overdueAfter();
        List<Map<String, Object>> pending = service.pending().stream()
                .filter(c -> c.owner().equals(Optional.of(agent.id())))
                .map(c -> view(c, grace)).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", agent.id());
        m.put("callbacks", pending);
        m.put("overdue", pending.stream().filter(v -> Boolean.TRUE.equals(v.get("overdue"))).count());
        m.put("queues", enabledQueues());
        return ctx.ok(m);
    }

    private Map<String, Object> view(Callback c, Duration grace) {
        Instant now = ctx.clock().instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("queue", c.queue());
        m.put("number", c.number());
        m.put("dueAt", c.dueAt().toString());
        m.put("owner", c.owner().orElse(null));
        m.put("note", c.note());
        m.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("attempts", c.attempts());
        m.put("due", !c.dueAt().isAfter(now));
        m.put("overdue", c.pending() && c.dueAt().plus(grace).isBefore(now));
        return m;
    }
}
