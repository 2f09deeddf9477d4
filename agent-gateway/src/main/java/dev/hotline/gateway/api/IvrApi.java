package dev.hotline.gateway.api;

import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.ivr.runtime.IvrCatalog;
import dev.hotline.ivr.validate.Flow;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlProblem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IVR scripts for admins: view a script's source, validate a text, publish it (only when valid) and roll back.
 * A script {@code id} lives in {@code <ivrScripts>/<id>.yaml}; publishing writes it atomically (a temporary file
 * moved over it) after keeping the previous text as {@code <id>.yaml.prev}, which the engine's repository does
 * not read; then the repository is asked to reload at once. Validation is the engine's own ({@link IvrLoader}):
 * the script on its own, then its references against the published scripts, the queues and the calendars. Every
 * route touches files, so all run on the gateway's workers; publishing and rolling back are serialised.
 */
final class IvrApi {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final String PREV = ".prev";

    private final Context ctx;
    private final IvrLoader loader;
    private final Object publishing = new Object();

    IvrApi(Context ctx) {
        this.ctx = ctx;
        this.loader = IvrLoader.withLiveQueues(() -> ctx.engine().board().queues().keySet(), System.getenv());
    }

    void register(Router r) {
        r.add("GET", "/api/ivr/{id}", true, this::source);
        r.add("POST", "/api/ivr/validate", true, req -> {
            req.requireRole(Role.ADMIN);
            String text = req.bodyText("an IVR script in YAML");
            Optional<String> id = req.query("id").map(IvrApi::checkId);
            IvrLoader.ScriptFile f = loader.parse(Path.of(id.orElse("script") + ".yaml"), text);
            List<YamlProblem> problems = validate(f, id);
            Map<String, Object> m = verdict(id.orElse(null), problems);
            m.put("flow", flow(f.result().flow(), problems));
            return ctx.ok(m);
        });
        r.add("PUT", "/api/ivr/{id}", true, this::publish);
        r.add("POST", "/api/ivr/{id}/rollback", true, this::rollback);
    }

    private static String checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("script id '" + id + "' (expected: 1-64 of letters, digits, _ and -,"
                    + " starting with a letter or digit)");
        }
        return id;
    }

    private Path scripts() {
        return ctx.engine().config().ivrScripts();
    }

    private Path fileOf(String id) {
        return scripts().resolve(id + ".yaml");
    }

    private Response source(Request req) throws IOException {
        req.requireRole(Role.ADMIN);
        String id = checkId(req.pathParam("id"));
        Path file = fileOf(id);
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no script file " + file.getFileName() + " in the scripts folder");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("file", file.getFileName().toString());
        m.put("published", ctx.ivr().current().scripts().containsKey(id));
        m.put("previous", Files.isRegularFile(prevOf(file)));
        m.put("source", text);
        List<YamlProblem> problems = ctx.ivr().problems().stream()
                .filter(p -> Path.of(p.location().file()).getFileName().toString().equals(file.getFileName().toString()))
                .toList();
        m.put("problems", problems.stream().map(IvrApi::problem).toList());
        m.put("flow", flow(loader.parse(file, text).result().flow(), problems));
        return ctx.ok(m);
    }

    /**
     * The problems of {@code text} as script {@code name}.yaml: its own, a wrong or missing id (when {@code id}
     * is given), and its references checked against the other published scripts, queues and calendars.
     */
    private List<YamlProblem> validate(String name, Optional<String> id, String text) {
        return validate(loader.parse(Path.of(name + ".yaml"), text), id);
    }

    private List<YamlProblem> validate(IvrLoader.ScriptFile f, Optional<String> id) {
        List<YamlProblem> problems = new ArrayList<>(f.problems());
        if (id.isPresent() && f.result().id().isPresent() && !f.result().id().get().equals(id.get())) {
            problems.add(YamlProblem.error(f.result().idAt(), "id", "id \"" + f.result().id().get()
                    + "\" does not match the script being published (expected: id: " + id.get() + ")"));
        }
        if (!f.hasErrors()) {
            IvrCatalog current = ctx.ivr().current();
            Set<String> others = new HashSet<>(current.scripts().keySet());
            f.result().id().ifPresent(others::remove);
            problems.addAll(loader.crossCheck(List.of(f), others, current.calendars().keySet()));
        }
        return problems;
    }

    /**
     * The script's flow for the admin page's diagram: nodes (with the problems about each, by key path) and edges,
     * from the validator's own model ({@link Flow}).
     */
    static Map<String, Object> flow(Flow flow, List<YamlProblem> problems) {
        Map<String, List<Map<String, Object>>> byNode = new LinkedHashMap<>();
        for (YamlProblem p : problems) {
            Flow.nodeOf(p.path()).ifPresent(n -> byNode.computeIfAbsent(n, k -> new ArrayList<>()).add(problem(p)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entry", flow.entry());
        m.put("nodes", flow.nodes().stream().map(n -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", n.name());
            v.put("type", n.type());
            v.put("line", n.line());
            v.put("column", n.column());
            v.put("reachable", n.reachable());
            v.put("missing", n.missing());
            v.put("problems", byNode.getOrDefault(n.name(), List.of()));
            return v;
        }).toList());
        m.put("edges", flow.edges().stream().map(e -> Map.of("from", e.from(), "to", e.to(), "label", e.label()))
                .toList());
        return m;
    }

    private static boolean hasErrors(List<YamlProblem> problems) {
        return problems.stream().anyMatch(p -> p.severity() == YamlProblem.Severity.ERROR);
    }

    private static Map<String, Object> problem(YamlProblem p) {
        YamlLocation at = p.location();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", at.line());
        m.put("column", at.column());
        m.put("severity", p.severity().toString());
        m.put("path", p.path());
        m.put("message", p.message());
        return m;
    }

    private static Map<String, Object> verdict(String id, List<YamlProblem> problems) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (id != null) {
            m.put("id", id);
        }
        m.put("valid", !hasErrors(problems));
        m.put("problems", problems.stream().map(IvrApi::problem).toList());
        return m;
    }

    private Response invalid(String id, List<YamlProblem> problems, String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", "invalid script");
        YamlProblem first = problems.stream().filter(p -> p.severity() == YamlProblem.Severity.ERROR).findFirst()
                .orElseThrow();
        m.put("detail", what + " " + id + ": " + problems.stream().filter(p -> p.severity()
                == YamlProblem.Severity.ERROR).count() + " error(s), first at line " + first.location().line()
                + ", column " + first.location().column() + ": " + first.message());
        m.putAll(verdict(id, problems));
        return ctx.json(422, m);
    }

    private Response publish(Request req) throws IOException {
        User u = req.requireRole(Role.ADMIN);
        String id = checkId(req.pathParam("id"));
        String text = req.bodyText("an IVR script in YAML");
        List<YamlProblem> problems = validate(id, Optional.of(id), text);
        if (hasErrors(problems)) {
            return invalid(id, problems, "not published: script");
        }
        Path file = fileOf(id);
        boolean replaced;
        synchronized (publishing) {
            Files.createDirectories(scripts());
            replaced = Files.isRegularFile(file);
            if (replaced) {
                writeAtomically(prevOf(file), Files.readString(file, StandardCharsets.UTF_8));
            }
            writeAtomically(file, text);
            ctx.ivr().poll();
        }
        ctx.audit().record(u.username(), u.role().wireName(), "ivr.publish", id,
                (replaced ? "replaced; previous kept as " + prevOf(file).getFileName() : "new script") + ", "
                        + text.length() + " chars", req.address());
        return ctx.ok(result(id, replaced ? "published (previous version kept)" : "published", problems));
    }

    private Response rollback(Request req) throws IOException {
        User u = req.requireRole(Role.ADMIN);
        String id = checkId(req.pathParam("id"));
        Request.onlyFields(req.body());
        Path file = fileOf(id);
        Path prev = prevOf(file);
        synchronized (publishing) {
            if (!Files.isRegularFile(prev)) {
                throw ApiException.conflict("script " + id + " has no previous version to roll back to");
            }
            String previous = Files.readString(prev, StandardCharsets.UTF_8);
            List<YamlProblem> problems = validate(id, Optional.of(id), previous);
            if (hasErrors(problems)) {
                return invalid(id, problems, "not rolled back: the previous version of script");
            }
            Optional<String> current = Files.isRegularFile(file)
                    ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
            writeAtomically(file, previous);
            // The version rolled back from becomes the previous one: a rollback can itself be undone.
            if (current.isPresent()) {
                writeAtomically(prev, current.get());
            } else {
                Files.delete(prev);
            }
            ctx.ivr().poll();
            ctx.audit().record(u.username(), u.role().wireName(), "ivr.rollback", id,
                    "restored " + prev.getFileName() + ", " + previous.length() + " chars", req.address());
            return ctx.ok(result(id, "rolled back", problems));
        }
    }

    private Map<String, Object> result(String id, String status, List<YamlProblem> problems) {
        Map<String, Object> m = verdict(id, problems);
        m.put("status", status);
        m.put("version", ctx.ivr().current().version());
        m.put("live", ctx.ivr().current().scripts().containsKey(id));
        return m;
    }

    private static Path prevOf(Path file) {
        return file.resolveSibling(file.getFileName() + PREV);
    }

    /** A temporary file next to {@code target} (a name the repository ignores), moved over it in one step. */
    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
