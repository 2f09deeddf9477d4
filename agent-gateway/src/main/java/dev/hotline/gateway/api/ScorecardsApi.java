package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.qa.Answer;
import dev.hotline.qa.Calibration;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.FormReader;
import dev.hotline.qa.service.QaService;
import dev.hotline.qa.store.QaStore;
import dev.hotline.yaml.YamlProblem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scorecards (docs/QA.md): forms written by admins in YAML and saved as versions, evaluations of calls by QA staff
 * and team leads, the agent's acknowledgement or dispute, QA's resolution of a dispute, and the calibration view of a
 * call scored by several evaluators. Every change is audited.
 */
final class ScorecardsApi {

    static final int MAX_FORM_TEXT = 32 * 1024;

    private final Context ctx;
    private final QaSupport qa;

    ScorecardsApi(Context ctx) {
        this.ctx = ctx;
        this.qa = new QaSupport(ctx);
    }

    void register(Router r) {
        r.add("GET", "/api/qa/forms", true, this::forms);
        r.add("GET", "/api/qa/forms/{id}", true, this::form);
        r.add("POST", "/api/qa/forms/validate", true, this::validate);
        r.add("PUT", "/api/qa/forms/{id}", true, this::save);
        r.add("POST", "/api/qa/forms/{id}/enable", true, req -> enable(req, true));
        r.add("POST", "/api/qa/forms/{id}/disable", true, req -> enable(req, false));
        r.add("POST", "/api/qa/evaluations", true, this::submit);
        r.add("GET", "/api/qa/evaluations", true, this::evaluations);
        r.add("GET", "/api/qa/evaluations/{id}", true, this::evaluation);
        r.add("POST", "/api/qa/evaluations/{id}/acknowledge", true, req -> respond(req, false));
        r.add("POST", "/api/qa/evaluations/{id}/dispute", true, req -> respond(req, true));
        r.add("POST", "/api/qa/evaluations/{id}/resolve", true, this::resolve);
        r.add("GET", "/api/qa/calibration", true, this::calibration);
    }

    // ------------------------------------------------------------------------------------------ forms

    private Response forms(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        QaService service = qa.service();
        List<QaStore.FormSummary> all = QaSupport.db(() -> service.store().forms());
        return ctx.ok(Map.of("forms", all.stream().map(f -> Map.of("id", f.id(), "name", f.name(), "version",
                f.currentVersion(), "enabled", f.enabled(), "updatedAt", f.updatedAt().toString(), "updatedBy",
                f.updatedBy())).toList()));
    }

    /** A form version ({@code ?version=}, by default the current one); admins also get its YAML source. */
    private Response form(Request req) {
        User u = req.user();
        String id = req.pathParam("id");
        QaService service = qa.service();
        Optional<String> v = req.query("version");
        Form f;
        if (v.isPresent()) {
            int version;
            try {
                version = Integer.parseInt(v.get());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("query 'version': '" + v.get() + "' (expected: a version number)");
            }
            f = QaSupport.db(() -> service.store().form(id, version))
                    .orElseThrow(() -> ApiException.notFound("no version " + version + " of form " + id));
        } else {
            f = QaSupport.db(() -> service.store().currentForm(id))
                    .orElseThrow(() -> ApiException.notFound("no form " + id));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("form", QaSupport.view(f));
        if (u.role() == Role.ADMIN) {
            m.put("source", QaSupport.db(() -> service.store().formSource(id, f.version())).orElse(""));
        }
        return ctx.ok(m);
    }

    private record Problem(int line, int column, String path, String message) {
    }

    private static List<Problem> problems(List<YamlProblem> list) {
        return list.stream().map(p -> new Problem(p.location().line(), p.location().column(), p.path(),
                p.message())).toList();
    }

    private FormReader.Result read(Request req, String id, User u) {
        String text = req.bodyText("a form in YAML");
        if (text.length() > MAX_FORM_TEXT) {
            throw ApiException.badRequest("the form has " + text.length() + " characters (expected: <= "
                    + MAX_FORM_TEXT + ")");
        }
        return FormReader.read(text, id + ".yaml", id, 1, ctx.clock().instant(), u.username());
    }

    private Response validate(Request req) {
        User u = req.requireRole(Role.ADMIN);
        FormReader.Result r = read(req, "form", u);
        return ctx.ok(Map.of("valid", r instanceof FormReader.Result.Ok, "problems",
                r instanceof FormReader.Result.Invalid bad ? problems(bad.problems()) : List.of()));
    }

    /** Saves the YAML body as the next version of form {@code id} (the first, for a new id); 422 when invalid. */
    private Response save(Request req) {
        User u = req.requireRole(Role.ADMIN);
        String id = req.pathParam("id");
        if (!Form.ID.matcher(id).matches()) {
            throw ApiException.badRequest("form id '" + id + "' (expected: 1-32 of a-z, 0-9, '-', '_')");
        }
        FormReader.Result r = read(req, id, u);
        if (r instanceof FormReader.Result.Invalid bad) {
            return ctx.json(422, Map.of("error", "invalid form", "detail", bad.problems().size()
                    + " problem(s); nothing was saved", "problems", problems(bad.problems())));
        }
        Form parsed = ((FormReader.Result.Ok) r).form();
        QaService service = qa.service();
        String source = req.bodyText("a form in YAML");
        Form saved = QaSupport.db(() -> service.store().saveVersion(parsed, source));
        ctx.audit().record(u.username(), u.role().wireName(), "qa.form.save", id, "version " + saved.version() + ": "
                + saved.questions().size() + " questions", req.address());
        return ctx.json(201, Map.of("form", QaSupport.view(saved)));
    }

    private Response enable(Request req, boolean enabled) {
        User u = req.requireRole(Role.ADMIN);
        Request.onlyFields(req.body());
        String id = req.pathParam("id");
        QaService service = qa.service();
        boolean known = QaSupport.db(() -> service.store().setFormEnabled(id, enabled, ctx.clock().instant(),
                u.username()));
        if (!known) {
            throw ApiException.notFound("no form " + id);
        }
        ctx.audit().record(u.username(), u.role().wireName(), enabled ? "qa.form.enable" : "qa.form.disable", id, "",
                req.address());
        return ctx.ok(Map.of("id", id, "enabled", enabled));
    }

    // ------------------------------------------------------------------------------------------ evaluations

    private Response submit(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "callId", "formId", "answers", "comments", "calibration");
        String callId = Request.text(body, "callId", 96);
        String formId = Request.text(body, "formId", 32);
        String comments = Request.optionalText(body, "comments", Evaluation.MAX_COMMENTS).orElse("");
        JsonNode cal = body.get("calibration");
        if (cal != null && !cal.isBoolean()) {
            throw ApiException.badField("calibration", "field 'calibration' (expected: true or false)");
        }
        boolean calibration = cal != null && cal.booleanValue();
        QaService service = qa.service();
        QaStore.CallRow call = QaSupport.db(() -> service.store().call(callId))
                .orElseThrow(() -> ApiException.notFound("no call " + callId + " in the call records"));
        call.agentId().ifPresent(a -> qa.requireAgentInScope(u, a));
        List<Answer> answers = answers(body.get("answers"));
        Evaluation e = QaSupport.db(() -> service.submit(callId, formId, answers, comments, calibration,
                u.username()));
        ctx.audit().record(u.username(), u.role().wireName(), calibration ? "qa.calibrate" : "qa.evaluate", callId,
                "evaluation=" + e.id() + " agent=" + e.agentId() + " form=" + e.form().id() + " v"
                        + e.form().version() + " score=" + QaSupport.round(e.score().percent())
                        + (e.score().criticalFailed() ? " critical-failed" : ""), req.address());
        return ctx.json(201, viewOf(e));
    }

    /** {@code answers}: {@code [{"question": "greet", "value": "yes", "comment": "…"}, …]}. */
    private static List<Answer> answers(JsonNode n) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw ApiException.badField("answers", "field 'answers' (expected: a list of {question, value, comment?},"
                    + " one per question of the form)");
        }
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            if (!(a instanceof ObjectNode o)) {
                throw ApiException.badField("answers", "answers[" + i + "] is not an object (expected:"
                        + " {question, value, comment?})");
            }
            Request.onlyFields(o, "question", "value", "comment");
            try {
                out.add(new Answer(Request.text(o, "question", 32), Request.text(o, "value", 4),
                        Request.optionalText(o, "comment", Answer.MAX_COMMENT).orElse("")));
            } catch (ApiException e) {
                throw ApiException.badField("answers", "answers[" + i + "]: " + e.detail());
            }
        }
        return out;
    }

    private QaSupport.EvaluationView viewOf(Evaluation e) {
        Form form = QaSupport.db(() -> qa.service().store().form(e.form().id(), e.form().version())).orElseThrow();
        return QaSupport.view(e, form);
    }

    /**
     * Evaluations: an agent's own (never calibrations), a supervisor's teams', everyone's for QA and admins;
     * filtered by {@code agent}, {@code call}, {@code month}.
     */
    private Response evaluations(Request req) {
        User u = req.user();
        QaService service = qa.service();
        QaStore.EvaluationQuery q = QaStore.EvaluationQuery.all().limit(1000);
        Optional<String> agent = req.query("agent").filter(s -> !s.isBlank());
        if (agent.isPresent()) {
            qa.requireAgentInScope(u, agent.get());
            q = q.agent(agent.get());
        }
        Optional<Set<String>> scope = qa.agentScope(u);
        if (scope.isPresent()) {
            q = q.agents(scope.get());
        }
        if (u.role() == Role.AGENT) {
            q = q.withoutCalibrations();
        }
        Optional<String> call = req.query("call").filter(s -> !s.isBlank());
        if (call.isPresent()) {
            q = q.call(call.get());
        }
        if (req.query("month").isPresent()) {
            Instant[] b = service.bounds(qa.month(req));
            q = q.between(b[0], b[1]);
        }
        QaStore.EvaluationQuery query = q;
        List<Evaluation> list = QaSupport.db(() -> service.store().evaluations(query));
        return ctx.ok(Map.of("evaluations", list.stream().map(this::viewOf).toList()));
    }

    private Evaluation visible(Request req) {
        User u = req.user();
        Evaluation e = QaSupport.db(() -> qa.service().evaluation(req.pathParam("id")));
        qa.requireAgentInScope(u, e.agentId());
        if (u.role() == Role.AGENT && e.calibration()) {
            throw ApiException.notFound("no evaluation " + e.id());
        }
        return e;
    }

    private Response evaluation(Request req) {
        return ctx.ok(viewOf(visible(req)));
    }

    /** The agent acknowledges or disputes their own evaluation (nobody else may answer for them). */
    private Response respond(Request req, boolean dispute) {
        User u = req.requireRole(Role.AGENT);
        Evaluation e = visible(req);
        ObjectNode body = req.body();
        Request.onlyFields(body, "comment");
        String comment = dispute ? Request.text(body, "comment", 1000)
                : Request.optionalText(body, "comment", 1000).orElse("");
        Evaluation next = QaSupport.db(() -> qa.service().respond(e.id(), dispute, comment));
        ctx.audit().record(u.username(), u.role().wireName(), dispute ? "qa.dispute" : "qa.acknowledge", e.id(),
                "call=" + e.callId() + (comment.isEmpty() ? "" : " comment=" + comment), req.address());
        return ctx.ok(viewOf(next));
    }

    private Response resolve(Request req) {
        User u = req.requireRole(Role.QA, Role.ADMIN);
        ObjectNode body = req.body();
        Request.onlyFields(body, "comment");
        String comment = Request.text(body, "comment", 1000);
        Evaluation next = QaSupport.db(() -> qa.service().resolve(req.pathParam("id"), u.username(), comment));
        ctx.audit().record(u.username(), u.role().wireName(), "qa.resolve", next.id(), "call=" + next.callId()
                + " agent=" + next.agentId(), req.address());
        return ctx.ok(viewOf(next));
    }

    // ------------------------------------------------------------------------------------------ calibration

    private Response calibration(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        String callId = req.query("call").orElseThrow(() -> ApiException.badRequest("query 'call' is missing"
                + " (expected: the call id)"));
        QaService service = qa.service();
        QaStore.CallRow call = QaSupport.db(() -> service.store().call(callId))
                .orElseThrow(() -> ApiException.notFound("no call " + callId + " in the call records"));
        call.agentId().ifPresent(a -> qa.requireAgentInScope(u, a));
        Calibration.Comparison c = QaSupport.db(() -> service.calibration(callId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", c.callId());
        m.put("formId", c.form().id());
        m.put("formVersion", c.form().version());
        m.put("scores", c.scores().entrySet().stream().map(en -> Map.of("evaluator", en.getKey(), "score",
                QaSupport.round(en.getValue()))).toList());
        m.put("spread", QaSupport.round(c.spread()));
        m.put("differing", c.differing());
        m.put("rows", c.rows().stream().map(row -> Map.of("section", row.section(), "question", row.questionId(),
                "text", row.text(), "critical", row.critical(), "answers", row.answers(), "differs",
                row.differs())).toList());
        return ctx.ok(m);
    }
}
