package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.gateway.http.Response;
import dev.hotline.gateway.http.Router;
import dev.hotline.qa.Progress;
import dev.hotline.qa.QualityReport;
import dev.hotline.qa.SamplingPlan;
import dev.hotline.qa.SamplingProposer;
import dev.hotline.qa.service.QaService;
import dev.hotline.qa.store.QaStore;

import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sampling and the monthly quality report (docs/QA.md): plans (the default and per agent), the calls proposed for an
 * agent, progress per agent and per QA staff member with the report's due day, and the report itself as JSON and CSV.
 */
final class QualityApi {

    /** The path segment naming the default plan. */
    static final String DEFAULT = "default";

    private final Context ctx;
    private final QaSupport qa;

    QualityApi(Context ctx) {
        this.ctx = ctx;
        this.qa = new QaSupport(ctx);
    }

    void register(Router r) {
        r.add("GET", "/api/qa/plans", true, this::plans);
        r.add("PUT", "/api/qa/plans/{agent}", true, this::savePlan);
        r.add("DELETE", "/api/qa/plans/{agent}", true, this::deletePlan);
        r.add("GET", "/api/qa/progress", true, this::progress);
        r.add("GET", "/api/qa/proposals", true, this::proposals);
        r.add("GET", "/api/qa/report", true, this::report);
        r.add("GET", "/api/qa/report.csv", true, this::csv);
    }

    record PlanView(String agent, int minCalls, int maxCalls, String rules, String evaluator, boolean own) {
    }

    private static PlanView view(String agent, SamplingPlan p, boolean own) {
        return new PlanView(agent, p.minCalls(), p.maxCalls(), p.rulesText(), p.evaluator().orElse(null), own);
    }

    /** The agents {@code u} may see, as the page lists them. */
    private Set<String> agents(User u) {
        Set<String> all = new LinkedHashSet<>(qa.service().agentTeams().keySet());
        qa.agentScope(u).ifPresent(all::retainAll);
        return all;
    }

    private Response plans(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        QaService service = qa.service();
        Map<String, SamplingPlan> stored = QaSupport.db(() -> service.store().plans());
        SamplingPlan fallback = stored.getOrDefault(QaStore.DEFAULT_PLAN, SamplingPlan.DEFAULT);
        Map<String, SamplingPlan> effective = QaSupport.db(() -> service.plans(agents(u)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("default", view(DEFAULT, fallback, stored.containsKey(QaStore.DEFAULT_PLAN)));
        m.put("agents", effective.entrySet().stream().map(e -> view(e.getKey(), e.getValue(),
                stored.containsKey(e.getKey()))).toList());
        return ctx.ok(m);
    }

    private Response savePlan(Request req) {
        User u = req.requireRole(Role.QA, Role.ADMIN);
        String agent = req.pathParam("agent");
        QaService service = qa.service();
        if (!agent.equals(DEFAULT) && !service.agentTeams().containsKey(agent)) {
            throw ApiException.notFound("no agent with work number " + agent + " (or '" + DEFAULT
                    + "' for every agent without a plan of their own)");
        }
        ObjectNode body = req.body();
        Request.onlyFields(body, "minCalls", "maxCalls", "rules", "evaluator");
        int min = count(body, "minCalls");
        int max = count(body, "maxCalls");
        String rules = Request.optionalText(body, "rules", 500).orElse("");
        Optional<String> evaluator = Request.optionalText(body, "evaluator", 32);
        SamplingPlan plan;
        try {
            plan = SamplingPlan.of(min, max, rules, evaluator);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw ApiException.badField(m.startsWith("minCalls") ? "minCalls" : m.startsWith("maxCalls") ? "maxCalls"
                    : m.startsWith("evaluator") ? "evaluator" : "rules", m);
        }
        String key = agent.equals(DEFAULT) ? QaStore.DEFAULT_PLAN : agent;
        QaSupport.db(() -> {
            service.store().savePlan(key, plan, ctx.clock().instant(), u.username());
            return null;
        });
        ctx.audit().record(u.username(), u.role().wireName(), "qa.plan", agent, "min=" + min + " max=" + max
                + " rules=" + plan.rulesText() + plan.evaluator().map(e -> " evaluator=" + e).orElse(""),
                req.address());
        return ctx.ok(view(agent, plan, true));
    }

    private static int count(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badField(field, "field '" + field + "' (expected: a whole number of calls)");
        }
        return n.intValue();
    }

    private Response deletePlan(Request req) {
        User u = req.requireRole(Role.QA, Role.ADMIN);
        String agent = req.pathParam("agent");
        String key = agent.equals(DEFAULT) ? QaStore.DEFAULT_PLAN : agent;
        boolean removed = QaSupport.db(() -> qa.service().store().deletePlan(key));
        if (!removed) {
            throw ApiException.notFound("agent " + agent + " has no plan of their own");
        }
        ctx.audit().record(u.username(), u.role().wireName(), "qa.plan.delete", agent, "", req.address());
        return Response.noContent();
    }

    // ------------------------------------------------------------------------------------------ progress

    private Map<String, Object> view(Progress.DueStatus d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", d.month().toString());
        m.put("due", d.due().toString());
        m.put("daysLeft", d.daysLeft());
        m.put("warn", d.warn());
        m.put("overdue", d.overdue());
        m.put("behind", d.behind());
        m.put("message", d.message());
        return m;
    }

    private Response progress(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        QaService service = qa.service();
        YearMonth month = qa.month(req);
        QaService.ProgressView p = QaSupport.db(() -> service.progress(month, agents(u)));
        Map<String, Set<String>> teams = service.agentTeams();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", month.toString());
        m.put("agents", p.agents().stream().map(a -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("agentId", a.agentId());
            row.put("teams", teams.getOrDefault(a.agentId(), Set.of()).stream().sorted().toList());
            row.put("done", a.done());
            row.put("minCalls", a.plan().minCalls());
            row.put("maxCalls", a.plan().maxCalls());
            row.put("missing", a.missing());
            row.put("state", a.state().name().toLowerCase(Locale.ROOT));
            row.put("evaluator", a.plan().evaluator().orElse(null));
            row.put("rules", a.rules().stream().map(r -> Map.of("rule", r.rule(), "satisfied", r.satisfied(),
                    "possible", r.possible())).toList());
            return row;
        }).toList());
        m.put("evaluators", p.evaluators());
        m.put("due", view(p.due()));
        m.put("nextDue", view(p.nextDue()));
        return ctx.ok(m);
    }

    private Response proposals(Request req) {
        User u = req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        String agent = req.query("agent").orElseThrow(() -> ApiException.badRequest("query 'agent' is missing"
                + " (expected: an agent's work number)"));
        qa.requireAgentInScope(u, agent);
        YearMonth month = qa.month(req);
        List<SamplingProposer.Proposal> list = QaSupport.db(() -> qa.service().propose(agent, month));
        return ctx.ok(Map.of("agentId", agent, "month", month.toString(), "proposals", list.stream().map(p -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("callId", p.call().callId());
            row.put("startedAt", p.call().startedAt().toString());
            row.put("queue", p.call().queue());
            row.put("talkSeconds", p.call().talk().toSeconds());
            row.put("disposition", p.call().disposition().orElse(null));
            row.put("csat", p.call().csat().isPresent() ? p.call().csat().getAsInt() : null);
            row.put("reasons", p.reasons());
            return row;
        }).toList()));
    }

    // ------------------------------------------------------------------------------------------ report

    private QualityReport build(Request req) {
        req.requireRole(Role.SUPERVISOR, Role.QA, Role.ADMIN);
        return QaSupport.db(() -> qa.service().report(qa.month(req)));
    }

    /** A supervisor's report holds their teams' agents and teams only (and no overall line). */
    private static boolean shows(User u, QualityReport.Row r, boolean team) {
        return u.role() != Role.SUPERVISOR || (team ? u.teams().contains(r.key())
                : r.teams().stream().anyMatch(u.teams()::contains));
    }

    private Map<String, Object> view(QualityReport.Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", r.key());
        m.put("teams", r.teams());
        m.put("agents", r.agents());
        m.put("planned", r.planned());
        m.put("done", r.done());
        m.put("averageScore", r.averageScore().isPresent() ? QaSupport.round(r.averageScore().getAsDouble()) : null);
        Map<String, Double> sections = new LinkedHashMap<>();
        r.sectionAverages().forEach((k, v) -> sections.put(k, QaSupport.round(v)));
        m.put("sections", sections);
        m.put("criticalFailures", r.criticalFailures());
        m.put("disputes", r.disputes());
        m.put("openDisputes", r.openDisputes());
        m.put("acknowledged", r.acknowledged());
        m.put("calibrations", r.calibrations());
        Map<String, Double> trend = new LinkedHashMap<>();
        r.trend().forEach((k, v) -> trend.put(k.toString(), QaSupport.round(v)));
        m.put("trend", trend);
        return m;
    }

    private Response report(Request req) {
        User u = req.user();
        QualityReport r = build(req);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("month", r.month().toString());
        m.put("trendMonths", r.trendMonths().stream().map(YearMonth::toString).toList());
        m.put("sections", r.sections());
        m.put("agents", r.agents().stream().filter(a -> shows(u, a, false)).map(this::view).toList());
        m.put("teams", r.teams().stream().filter(t -> shows(u, t, true)).map(this::view).toList());
        m.put("total", u.role() == Role.SUPERVISOR ? null : view(r.total()));
        m.put("due", Progress.dueDate(r.month(), qa.service().config().reportDueDay()).toString());
        return ctx.ok(m);
    }

    private Response csv(Request req) {
        User u = req.user();
        QualityReport r = build(req);
        if (u.role() == Role.SUPERVISOR) {
            r = new QualityReport(r.month(), r.trendMonths(), r.sections(),
                    r.agents().stream().filter(a -> shows(u, a, false)).toList(),
                    r.teams().stream().filter(t -> shows(u, t, true)).toList(), r.total());
        }
        String csv = u.role() == Role.SUPERVISOR ? withoutTotal(r.csv()) : r.csv();
        return new Response(200, "text/csv; charset=utf-8", csv.getBytes(StandardCharsets.UTF_8), Map.of(
                "Content-Disposition", "attachment; filename=\"quality-report-" + r.month() + ".csv\""));
    }

    private static String withoutTotal(String csv) {
        int last = csv.lastIndexOf("\r\nall,");
        return last < 0 ? csv : csv.substring(0, last + 2);
    }
}
