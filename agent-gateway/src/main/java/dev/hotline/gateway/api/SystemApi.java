package dev.hotline.gateway.api;

import dev.hotline.api.Health;
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
                ctx.engine().health().scrape()));
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
        var health = engine.health();
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ok = health.running();
        body.put("engine", Map.of("status", ok ? "UP" : "DOWN", "name", engine.config().engineName(),
                "activeSessions", health.activeSessions(), "activeCalls", ok ? engine.calls().active() : 0));
        // The ACD's invariants as last checked (every 5 s): reported, not part of the status (a violation is a bug
        // to look into, logged with its call id, not a reason to take the engine out of a load balancer).
        health.invariants().ifPresent(i -> body.put("invariants", i));
        List<Map<String, Object>> ami = new ArrayList<>();
        for (Health.AmiStatus h : health.ami()) {
            ok &= h.up();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", h.server());
            m.put("status", h.status());
            m.put("since", h.since().toString());
            m.put("detail", h.detail());
            ami.add(m);
        }
        body.put("ami", ami);
        var ivr = engine.admin().ivr();
        List<String> problems = ivr.isEmpty() ? List.of("IVR repository not started")
                : ivr.get().problems().stream().map(Object::toString).toList();
        ok &= problems.isEmpty();
        body.put("ivr", Map.of("status", problems.isEmpty() ? "UP" : "DEGRADED", "problems", problems,
                "scripts", ivr.isEmpty() ? List.of() : ivr.get().current().scripts().keySet()));
        var database = health.database();
        if (database.isPresent()) {
            body.put("database", database(database.get()));
            ok &= database.get().up();
        }
        body.put("ha", StandbyGate.body(ctx));   // role active / standby and the fencing number
        body.put("status", ok ? "UP" : "DOWN");
        return ctx.json(ok ? 200 : 503, body);
    }

    /**
     * The database part of {@code /health}: DOWN, with the reason, when the background check cannot reach it or the
     * record writer's last write failed. Calls go on meanwhile (records are journaled and replayed later).
     */
    private static Map<String, Object> database(Health.DatabaseStatus db) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", db.up() ? "UP" : "DOWN");
        m.put("kind", db.kind());
        m.put("description", db.description());
        db.reason().ifPresent(r -> m.put("reason", r));
        db.since().ifPresent(t -> m.put("since", t.toString()));
        db.checkedAt().ifPresent(t -> m.put("checkedAt", t.toString()));
        m.put("pendingRecords", db.pendingRecords());
        m.put("journalBytes", db.journalBytes());
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
