package dev.hotline.gateway.api;

import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.http.Router;

import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        // Lists the scripts folder: on the workers, never on an event loop.
        r.add("GET", "/api/ivr", true, req -> {
            req.requireRole(Role.ADMIN);
            var ivr = ctx.ivr();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", ivr.current().version());
            m.put("scripts", ivr.current().scripts().keySet().stream().sorted().toList());
            m.put("calendars", ivr.current().calendars().keySet().stream().sorted().toList());
            m.put("problems", ivr.problems().stream().map(p -> Map.of("file", p.location().file(),
                    "line", p.location().line(), "column", p.location().column(), "severity", p.severity().toString(),
                    "path", p.path(), "message", p.message())).toList());
            m.put("files", files(ivr));
            return ctx.ok(m);
        });
    }

    /**
     * Every script file of the folder, to open from the admin page: its id (the file name), whether that id is
     * published, its errors and warnings as the repository last read it, and whether a previous version is kept.
     */
    private List<Map<String, Object>> files(dev.hotline.ivr.runtime.IvrRepository ivr) throws IOException {
        Path dir = ctx.engine().config().ivrScripts();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Path f : IvrLoader.scriptFiles(dir)) {
            String name = f.getFileName().toString();
            String id = name.replaceFirst("\\.ya?ml$", "");
            var mine = ivr.problems().stream()
                    .filter(p -> Path.of(p.location().file()).getFileName().toString().equals(name)).toList();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("file", name);
            m.put("published", ivr.current().scripts().containsKey(id));
            m.put("errors", mine.stream().filter(p -> p.severity() == YamlProblem.Severity.ERROR).count());
            m.put("warnings", mine.stream().filter(p -> p.severity() == YamlProblem.Severity.WARNING).count());
            m.put("previous", Files.isRegularFile(f.resolveSibling(name + ".prev")));
            out.add(m);
        }
        return out;
    }
}
