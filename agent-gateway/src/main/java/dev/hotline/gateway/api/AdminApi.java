package dev.hotline.gateway.api;

import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/** The audit trail and the published IVR scripts, for admins (users: {@link UsersApi}). */
final class AdminApi {

    private final Context ctx;

    AdminApi(Context ctx) {
        this.ctx = ctx;
    }

    void register(Router r) {
        r.get("/api/audit", req -> {
            req.requireRole(Role.ADMIN);
            return ctx.ok(Map.of("entries", ctx.audit().recent().stream().map(e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("at", e.at().toString());
                m.put("actor", e.actor());
                m.put("role", e.role());
                m.put("action", e.action());
                m.put("target", e.target());
                m.put("detail", e.detail());
                m.put("address", e.address());
                return m;
            }).toList()));
        });
        r.get("/api/ivr", req -> {
            req.requireRole(Role.ADMIN);
            var ivr = ctx.engine().ivr();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", ivr.current().version());
            m.put("scripts", ivr.current().scripts().keySet().stream().sorted().toList());
            m.put("calendars", ivr.current().calendars().keySet().stream().sorted().toList());
            m.put("problems", ivr.problems().stream().map(p -> Map.of("file", p.location().file(),
                    "line", p.location().line(), "column", p.location().column(), "severity", p.severity().toString(),
                    "path", p.path(), "message", p.message())).toList());
            return ctx.ok(m);
        });
    }
}
