package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.ByteRange;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.qa.LiveRecording;
import dev.hotline.qa.RecordingAccess;
import dev.hotline.qa.RecordingFiles;
import dev.hotline.qa.RecordingPolicy;
import dev.hotline.qa.service.QaService;
import dev.hotline.qa.store.QaStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls and their recordings (docs/QA.md): find calls, hear and download a recording, the queues' recording policies,
 * the deletion report, and the live control of a call's recording (start, stop, pause, resume).
 *
 * <p>Playing goes in two steps because an {@code <audio>} element cannot send the bearer token: {@code POST
 * /api/qa/recordings/play} checks the caller's right to hear the call, audits it (a refusal is a 403 and audited
 * too) and answers a URL with a random ticket, valid {@link #TICKET_TTL} and only while the caller's session is; the
 * browser then fetches that URL with range requests as it seeks. Downloading is the same with its own right.
 */
final class RecordingsApi {

    static final Duration TICKET_TTL = Duration.ofMinutes(10);
    static final int MAX_TICKETS = 10_000;

    private final Context ctx;
    private final QaSupport qa;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();

    /** A granted play or download: of which file, for whom, until when. */
    private record Ticket(String token, String username, String callId, Path file, boolean download,
                          Instant expires) {
    }

    RecordingsApi(Context ctx) {
        this.ctx = ctx;
        this.qa = new QaSupport(ctx);
    }

    void register(Router r) {
        r.add("GET", "/api/qa/calls", true, this::calls);
        r.add("GET", "/api/qa/call", true, this::call);
        r.add("POST", "/api/qa/recordings/play", true, req -> grant(req, false));
        r.add("POST", "/api/qa/recordings/download", true, req -> grant(req, true));
        r.add("GET", "/api/qa/recordings/file/{ticket}", true, this::serve);
        r.add("GET", "/api/qa/recordings/deleted", true, this::deleted);
        r.add("POST", "/api/qa/recordings/retention", true, this::retention);
        r.add("GET", "/api/qa/policies", true, this::policies);
        r.add("PUT", "/api/qa/policies/{queue}", true, this::savePolicy);
        r.add("DELETE", "/api/qa/policies/{queue}", true, this::resetPolicy);
        r.get("/api/agents/{id}/recording", this::recordingState);
        r.async("POST", "/api/agents/{id}/recording", this::control);
    }

    // ------------------------------------------------------------------------------------------ finding calls

    record RecordingView(String file, boolean available, String deletedAt, String paused) {
    }

    record CallView(String callId, String startedAt, String endedAt, String caller, String queue, String agentId,
                    long waitSeconds, long talkSeconds, String disposition, String outcome, Integer csat,
                    RecordingView recording, int evaluations, boolean canPlay, boolean canDownload) {
    }

    private Response calls(Request req) {
        User u = req.user();
        QaService service = qa.service();
        RecordingAccess.Scope scope = RecordingAccess.scope(QaSupport.viewer(u), qa.rules());
        Optional<Set<String>> agents = switch (scope) {
            case RecordingAccess.Scope.All all -> Optional.empty();
            case RecordingAccess.Scope.Agent a -> Optional.of(Set.of(a.agentId()));
            case RecordingAccess.Scope.Teams t -> qa.agentScope(u);
            case RecordingAccess.Scope.Nothing n -> throw ApiException.forbidden(n.reason());
        };
        Instant now = service.clock().instant();
        Instant to = qa.time(req, "to").orElse(now.plus(Duration.ofDays(1)));
        Instant from = qa.time(req, "from").orElse(to.minus(Duration.ofDays(31)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("query 'from' (" + from + ") is not before 'to' (" + to + ")");
        }
        QaStore.CallQuery q = new QaStore.CallQuery(from, to, text(req, "queue"), text(req, "agent"), agents,
                text(req, "disposition"), text(req, "outcome").map(o -> o.toUpperCase(Locale.ROOT).replace('-', '_')),
                integer(req, "minCsat"), integer(req, "maxCsat"), seconds(req, "minTalk"), seconds(req, "maxTalk"),
                req.query("recorded").map("true"::equals).orElse(false), integer(req, "limit").orElse(200));
        if (q.limit() < 1 || q.limit() > 1000) {
            throw ApiException.badRequest("query 'limit': " + q.limit() + " (expected: 1-1000)");
        }
        List<QaStore.CallRow> rows = QaSupport.db(() -> service.store().calls(q));
        List<CallView> out = new ArrayList<>();
        for (QaStore.CallRow row : rows) {
            out.add(view(u, row));
        }
        return ctx.ok(Map.of("from", from.toString(), "to", to.toString(), "calls", out));
    }

    private CallView view(User u, QaStore.CallRow row) {
        QaService service = qa.service();
        Set<String> teams = qa.teamsOf(row.agentId());
        boolean play = RecordingAccess.play(QaSupport.viewer(u), row.agentId(), teams, qa.rules()).allowed();
        boolean download = RecordingAccess.download(QaSupport.viewer(u), row.agentId(), teams, qa.rules()).allowed();
        RecordingView rec = null;
        if (row.recording().isPresent()) {
            String file = row.recording().get();
            boolean available = service.file(file).isPresent();
            String deleted = available ? null : QaSupport.db(() -> service.store().deletedAt(file))
                    .map(Instant::toString).orElse(null);
            rec = new RecordingView(file, available, deleted, null);
        }
        return new CallView(row.callId(), row.startedAt().toString(), row.endedAt().toString(), row.callerNumber(),
                row.queue().orElse(null), row.agentId().orElse(null), row.waited().toSeconds(),
                row.talk().toSeconds(), row.disposition().orElse(null),
                row.outcome().toLowerCase(Locale.ROOT).replace('_', '-'),
                row.csat().isPresent() ? row.csat().getAsInt() : null, rec, row.evaluations(),
                play && rec != null && rec.available(), download && rec != null && rec.available());
    }

    /** One call, with its recording's history (pauses) when it has one. */
    private Response call(Request req) {
        User u = req.user();
        String id = req.query("id").orElseThrow(() -> ApiException.badRequest("query 'id' is missing (expected: a"
                + " call id such as pbx1/1732612345.42)"));
        QaService service = qa.service();
        QaStore.CallRow row = QaSupport.db(() -> service.store().call(id))
                .orElseThrow(() -> ApiException.notFound("no call " + id + " in the call records"));
        RecordingAccess.Verdict v = RecordingAccess.play(QaSupport.viewer(u), row.agentId(), qa.teamsOf(row.agentId()),
                qa.rules());
        if (!v.allowed() && !(u.role() == Role.AGENT && row.agentId().equals(u.agentId()))) {
            throw ApiException.forbidden(v.reason());
        }
        CallView view = view(u, row);
        Optional<LiveRecording> history = QaSupport.db(() -> service.store().recordingHistory(id));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("call", view);
        m.put("recordingEvents", history.map(h -> h.events().stream().map(e -> Map.of("at", e.at().toString(),
                "action", e.action().wireName(), "by", e.by())).toList()).orElse(List.of()));
        m.put("pausedSeconds", history.map(h -> h.pausedFor(row.endedAt()).toSeconds()).orElse(0L));
        return ctx.ok(m);
    }

    private static Optional<String> text(Request req, String name) {
        return req.query(name).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static OptionalInt integer(Request req, String name) {
        Optional<String> v = text(req, name);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("query '" + name + "': '" + v.get() + "' (expected: a whole number)");
        }
    }

    private static Optional<Duration> seconds(Request req, String name) {
        OptionalInt v = integer(req, name);
        return v.isPresent() ? Optional.of(Duration.ofSeconds(v.getAsInt())) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------------ hearing

    /** Checks, audits and grants a play or download of a call's recording. */
    private Response grant(Request req, boolean download) {
        User u = req.user();
        ObjectNode body = req.body();
        Request.onlyFields(body, "callId");
        String callId = Request.text(body, "callId", 96);
        QaService service = qa.service();
        String action = download ? "recording.download" : "recording.play";
        QaStore.CallRow row = QaSupport.db(() -> service.store().call(callId)).orElseThrow(() -> {
            ctx.audit().record(u.username(), u.role().wireName(), action + ".refused", callId, "no such call",
                    req.address());
            return ApiException.notFound("no call " + callId + " in the call records");
        });
        Set<String> teams = qa.teamsOf(row.agentId());
        RecordingAccess.Verdict v = download
                ? RecordingAccess.download(QaSupport.viewer(u), row.agentId(), teams, qa.rules())
                : RecordingAccess.play(QaSupport.viewer(u), row.agentId(), teams, qa.rules());
        if (!v.allowed()) {
            ctx.audit().record(u.username(), u.role().wireName(), action + ".refused", callId, v.reason(),
                    req.address());
            throw ApiException.forbidden(v.reason());
        }
        String name = row.recording().orElseThrow(() -> ApiException.notFound("call " + callId
                + " has no recording"));
        Path file = service.file(name).orElseThrow(() -> {
            Optional<Instant> deleted = QaSupport.db(() -> service.store().deletedAt(name));
            return ApiException.notFound("the recording " + name + " of call " + callId + " is not in the"
                    + " recordings folder" + deleted.map(d -> " (deleted by retention on " + d + ")")
                    .orElse(" (Asterisk may still be writing it, or the folder is not shared: qa.recordings_dir)"));
        });
        ctx.audit().record(u.username(), u.role().wireName(), action, callId, "file=" + name + " agent="
                + row.agentId().orElse("-"), req.address());
        String ticket = newTicket(new Ticket(req.session().token(), u.username(), callId, file, download,
                ctx.clock().instant().plus(TICKET_TTL)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", callId);
        m.put("file", name);
        m.put("contentType", RecordingFiles.contentType(name));
        m.put("url", "/api/qa/recordings/file/" + ticket);
        m.put("expiresAt", ctx.clock().instant().plus(TICKET_TTL).toString());
        return ctx.ok(m);
    }

    private String newTicket(Ticket t) {
        Instant now = ctx.clock().instant();
        tickets.values().removeIf(x -> x.expires().isBefore(now));
        if (tickets.size() >= MAX_TICKETS) {
            throw new ApiException(503, "service unavailable", "too many recordings are open at once ("
                    + tickets.size() + "); try again in a few minutes");
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        tickets.put(id, t);
        return id;
    }

    /**
     * The recording a ticket grants, whole or the byte range asked for (206), streamed from the file. No bearer
     * token: the ticket is the permission, and only while the session that got it lasts.
     */
    private Response serve(Request req) throws IOException {
        Ticket t = tickets.get(req.pathParam("ticket"));
        Instant now = ctx.clock().instant();
        if (t == null || t.expires().isBefore(now) || ctx.tokens().find(t.token()).isEmpty()) {
            throw ApiException.notFound("unknown or expired recording link (expected: a URL from POST"
                    + " /api/qa/recordings/play or /download, valid " + TICKET_TTL.toMinutes()
                    + " minutes while you are signed in)");
        }
        if (!Files.isRegularFile(t.file())) {
            throw ApiException.notFound("the recording of call " + t.callId() + " is gone");
        }
        long size = Files.size(t.file());
        String type = RecordingFiles.contentType(t.file().getFileName().toString());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Ranges", "bytes");
        headers.put("Content-Disposition", (t.download() ? "attachment" : "inline") + "; filename=\""
                + t.file().getFileName() + "\"");
        return switch (ByteRange.of(req.header("Range"), size)) {
            case ByteRange.Answer.Whole w -> Response.file(200, type, new Response.FileBody(t.file(), 0, size),
                    headers);
            case ByteRange.Answer.Partial p -> {
                headers.put("Content-Range", p.contentRange());
                yield Response.file(206, type, new Response.FileBody(t.file(), p.range().offset(),
                        p.range().length()), headers);
            }
            case ByteRange.Answer.Unsatisfiable u -> ctx.json(416, Map.of("error", "range not satisfiable", "detail",
                    "the recording has " + size + " bytes")).withHeader("Content-Range", u.contentRange())
                    .withHeader("Accept-Ranges", "bytes");
        };
    }

    // ------------------------------------------------------------------------------------------ retention

    private Response deleted(Request req) {
        req.requireRole(Role.QA, Role.ADMIN);
        QaService service = qa.service();
        Instant to = qa.time(req, "to").orElse(service.clock().instant().plus(Duration.ofDays(1)));
        Instant from = qa.time(req, "from").orElse(to.minus(Duration.ofDays(31)));
        List<QaStore.Deletion> rows = QaSupport.db(() -> service.store().deletions(from, to, 1000));
        return ctx.ok(Map.of("from", from.toString(), "to", to.toString(), "retentionDays",
                service.config().retentionDays(), "deleted", rows.stream().map(d -> Map.of("file", d.file(),
                        "sizeBytes", d.size(), "lastWritten", d.modified().toString(), "deletedAt",
                        d.deleted().toString(), "reason", d.reason())).toList()));
    }

    private Response retention(Request req) throws IOException {
        User u = req.requireRole(Role.ADMIN);
        Request.onlyFields(req.body());
        QaService service = qa.service();
        QaService.RetentionRun run = service.runRetention();
        ctx.audit().record(u.username(), u.role().wireName(), "recording.retention", "recordings",
                "days=" + service.config().retentionDays() + " deleted=" + run.deleted().size() + " failed="
                        + run.failed().size(), req.address());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retentionDays", service.config().retentionDays());
        m.put("cutoff", run.cutoff().map(Instant::toString).orElse(null));
        m.put("deleted", run.deleted().stream().map(f -> f.name()).toList());
        m.put("failed", run.failed());
        m.put("reported", run.reported());
        return ctx.ok(m);
    }

    // ------------------------------------------------------------------------------------------ policies

    record PolicyView(String queue, String mode, int percent, String onDemand, boolean stored, String describe) {
    }

    private Response policies(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        QaService service = qa.service();
        List<PolicyView> out = new ArrayList<>();
        service.effectivePolicies().forEach((queue, p) -> out.add(view(p, service.storedPolicy(queue))));
        return ctx.ok(Map.of("policies", out));
    }

    private static PolicyView view(RecordingPolicy p, boolean stored) {
        return new PolicyView(p.queue(), p.mode().name().toLowerCase(Locale.ROOT), p.samplePercent(),
                p.onDemand().name().toLowerCase(Locale.ROOT), stored, p.describe());
    }

    private Response savePolicy(Request req) {
        User u = req.requireRole(Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "mode", "percent", "onDemand");
        String queue = req.pathParam("queue");
        String modeText = Request.text(body, "mode", 8);
        RecordingPolicy.Mode mode = parse(RecordingPolicy.Mode.class, "mode", modeText);
        int percent = switch (mode) {
            case ALL -> 100;
            case NONE -> 0;
            case SAMPLE -> {
                var n = body.get("percent");
                if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
                    throw ApiException.badField("percent", "field 'percent' (expected: the share of calls recorded,"
                            + " 1-99, with mode sample)");
                }
                yield n.intValue();
            }
        };
        RecordingPolicy.OnDemand onDemand = parse(RecordingPolicy.OnDemand.class, "onDemand",
                Request.optionalText(body, "onDemand", 16).orElse("none"));
        RecordingPolicy p;
        try {
            p = new RecordingPolicy(queue, mode, percent, onDemand);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(e.getMessage().startsWith("samplePercent") ? "percent" : "mode",
                    e.getMessage());
        }
        QaService service = qa.service();
        try {
            QaSupport.db(() -> {
                service.savePolicy(p, u.username());
                return null;
            });
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(e.getMessage());
        }
        ctx.audit().record(u.username(), u.role().wireName(), "qa.policy", queue, p.describe(), req.address());
        return ctx.ok(view(p, true));
    }

    private Response resetPolicy(Request req) {
        User u = req.requireRole(Role.ADMIN);
        String queue = req.pathParam("queue");
        QaService service = qa.service();
        boolean removed = QaSupport.db(() -> service.resetPolicy(queue));
        if (!removed) {
            throw ApiException.notFound("queue " + queue + " has no recording policy of its own (it follows its"
                    + " record: flag)");
        }
        ctx.audit().record(u.username(), u.role().wireName(), "qa.policy.reset", queue, "back to the record flag: "
                + service.policyFor(queue).describe(), req.address());
        return ctx.ok(view(service.policyFor(queue), false));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw ApiException.badField(field, "field '" + field + "': '" + text + "' (expected one of: "
                + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList()) + ")");
    }

    // ------------------------------------------------------------------------------------------ live control

    private static User notQa(User u) {
        if (u.role() == Role.QA) {
            throw ApiException.forbidden("QA staff do not act on live calls' recordings (the agent on the call and"
                    + " their supervisors do)");
        }
        return u;
    }

    /** The agent's own call, or a supervisor's (or admin's) on one of their agents; QA staff take no part. */
    private RecordingPolicy.Actor actor(User u, AgentConfig agent) {
        return switch (u.role()) {
            case AGENT -> RecordingPolicy.Actor.AGENT;
            case SUPERVISOR, ADMIN -> RecordingPolicy.Actor.SUPERVISOR;
            case QA -> throw ApiException.forbidden("QA staff do not act on live calls' recordings (agent "
                    + agent.id() + "'s supervisors and the agent do)");
        };
    }

    private Response recordingState(Request req) {
        User u = notQa(req.user());
        AgentConfig agent = AgentApi.target(ctx, req, false);
        RecordingPolicy.Actor actor = actor(u, agent);
        QaService service = qa.live();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agentId", agent.id());
        var call = ctx.engine().calls().connectedCall(agent.id());
        m.put("onCall", call.isPresent());
        call.ifPresent(c -> {
            RecordingPolicy p = service.policyFor(c.queue());
            m.put("queue", c.queue());
            m.put("policy", p.describe());
            m.put("mayStartStop", p.onDemand().allows(actor));
            service.liveRecording(c.callId()).ifPresent(r -> m.put("recording", view(r)));
        });
        return ctx.ok(m);
    }

    private Map<String, Object> view(LiveRecording r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", r.callId());
        m.put("file", r.file());
        m.put("state", r.state().name().toLowerCase(Locale.ROOT));
        m.put("onDemand", r.onDemand());
        m.put("pausedSeconds", r.pausedFor(ctx.clock().instant()).toSeconds());
        return m;
    }

    /** Starts, stops, pauses or resumes the agent's call's recording; answers when Asterisk has done it. */
    private CompletableFuture<Response> control(Request req) {
        User u = notQa(req.user());
        AgentConfig agent = AgentApi.target(ctx, req, true);
        RecordingPolicy.Actor actor = actor(u, agent);
        ObjectNode body = req.body();
        Request.onlyFields(body, "action");
        String text = Request.text(body, "action", 8);
        LiveRecording.Action action = LiveRecording.Action.parse(text).orElseThrow(() -> ApiException.badField(
                "action", "field 'action': '" + text + "' (expected: start, stop, pause or resume)"));
        QaService service = qa.live();
        String target = agent.id();
        return service.control(agent.id(), action, actor, u.username()).handle((r, e) -> {
            if (e == null) {
                ctx.audit().record(u.username(), u.role().wireName(), "recording." + action.wireName(), r.callId(),
                        "agent=" + target + " file=" + r.file(), req.address());
                return ctx.ok(view(r));
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            ctx.audit().record(u.username(), u.role().wireName(), "recording." + action.wireName() + ".refused",
                    target, cause.getMessage(), req.address());
            if (cause instanceof QaService.Refused refused) {
                throw refused.forbidden() ? ApiException.forbidden(refused.getMessage())
                        : ApiException.conflict(refused.getMessage());
            }
            throw new ApiException(502, "bad gateway", "Asterisk did not " + action.wireName() + " the recording: "
                    + cause.getMessage());
        });
    }
}
