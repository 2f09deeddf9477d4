package dev.hotline.gateway.api;

import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code /health}, {@code /metrics} and the web pages. */
final class SystemApi {

    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/agent", "agent.html", "/wallboard", "wallboard.html", "/admin", "admin.html",
            "/qa", "qa.html", "/qa-report", "qa-report.html", "/campaigns", "campaigns.html");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final Context ctx;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    SystemApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/health", req -> health());
        r.get("/metrics", req -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8",
                ctx.engine().metrics().scrape()));
        PAGES.forEach((path, file) -> r.add("GET", path, true, req -> file(file)));
        r.add("GET", "/assets/{file}", true, req -> file(req.pathParam("file")));
        // Browsers ask for /favicon.ico on every page; without it each page load logs a 404 in the console.
        r.add("GET", "/favicon.ico", true, req -> file("favicon.svg"));
    }

    /**
     * 200 when the engine runs, every AMI server is up, every IVR script is published and the record writer reaches
     * its database; 503 otherwise. A database outage loses no record (the writer journals and replays), but it
     * belongs on the health page.
     */
    private Response health() {
        var engine = ctx.engine();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok = engine.acd() != null;
        body.put("engine", Map.of("status", ok ? "UP" : "DOWN", "name", engine.config().engineName(),
                "activeSessions", engine.activeSessions(), "activeCalls", ok ? engine.acd().activeCalls() : 0));
        // The ACD's invariants as last checked (every 5 s): reported, not part of the status (a violation is a bug
        // to look into, logged with its call id, not a reason to take the engine out of a load balancer).
        if (ok) {
            body.put("invariants", engine.acd().invariants().toMap());
        }
        List<Map<String, Object>> ami = new ArrayList<>();
        for (AmiConnection c : engine.ami().values()) {
            AmiEvent.AmiHealth h = c.health();
            ok &= h.status() == AmiEvent.AmiHealth.Status.UP;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", h.server());
            m.put("status", h.status().name());
            m.put("since", h.since().toString());
            m.put("detail", h.detail());
            ami.add(m);
        }
        body.put("ami", ami);
        List<String> problems = engine.ivr() == null ? List.of("IVR repository not started")
                : engine.ivr().problems().stream().map(Object::toString).toList();
        ok &= problems.isEmpty();
        body.put("ivr", Map.of("status", problems.isEmpty() ? "UP" : "DEGRADED", "problems", problems,
                "scripts", engine.ivr() == null ? List.of() : engine.ivr().current().scripts().keySet()));
        var records = engine.records();
        if (records != null) {
            body.put("database", database(records));
            ok &= "UP".equals(((Map<?, ?>) body.get("database")).get("status"));
        }
        body.put("ha", StandbyGate.body(ctx));   // role active / standby and the fencing number
        body.put("status", ok ? "UP" : "DOWN");
        return ctx.json(ok ? 200 : 503, body);
    }

    /**
     * The database part of {@code /health}: DOWN, with the reason, when the background check cannot reach it or the
     * record writer's last write failed. Calls go on meanwhile (records are journaled and replayed later).
     */
    private Map<String, Object> database(dev.hotline.records.CallRecords records) {
        var writer = records.writer();
        var probe = ctx.engine().databaseHealth() == null ? java.util.Optional.<dev.hotline.records.store
                .DatabaseHealth.Status>empty() : ctx.engine().databaseHealth().status();
        boolean probeUp = probe.map(dev.hotline.records.store.DatabaseHealth.Status::up).orElse(true);
        boolean dbUp = probeUp && writer.databaseUp();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", dbUp ? "UP" : "DOWN");
        m.put("kind", ctx.engine().config().database().kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("description", records.database().description());
        if (!dbUp) {
            m.put("reason", !probeUp ? probe.get().reason() : "the last record write failed; records are kept in"
                    + " the journal and written when the database is back");
        }
        probe.ifPresent(p -> {
            m.put("since", p.since().toString());
            m.put("checkedAt", p.checkedAt().toString());
        });
        m.put("pendingRecords", writer.pending());
        m.put("journalBytes", writer.journalBytes());
        return m;
    }

    /** A page or asset from the classpath folder {@code web/}; runs on a worker (it may read the jar). */
    private Response file(String name) throws IOException {
        if (!name.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
            throw ApiException.notFound("no such file: " + name);
        }
        byte[] body = cache.get(name);
        if (body == null) {
            try (InputStream in = SystemApi.class.getResourceAsStream("/web/" + name)) {
                if (in == null) {
                    throw ApiException.notFound("no such file: " + name);
                }
                body = in.readAllBytes();
            }
            cache.put(name, body);
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return new Response(200, TYPES.get(ext), body, Map.of());
    }
}
