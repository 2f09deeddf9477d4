package dev.hotline.gateway.api;

import dev.hotline.config.AgentConfig;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.http.ApiException;
import dev.hotline.gateway.http.Request;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.RecordingAccess;
import dev.hotline.qa.service.QaService;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the QA APIs ({@link RecordingsApi}, {@link ScorecardsApi}, {@link QualityApi}) share: the QA service (503
 * while it is not ready), who the caller is for recordings, which agents they may see, month parameters, and the
 * JSON views of forms and evaluations.
 */
final class QaSupport {

    private final Context ctx;

    QaSupport(Context ctx) {
        this.ctx = ctx;
    }

    /** The QA service; 503 while its tables are not loaded (the database has not been reached). */
    QaService service() {
        QaService qa = ctx.engine().qa();
        if (qa == null) {
            throw new ApiException(503, "service unavailable", "quality assurance is not running");
        }
        qa.unavailable().ifPresent(why -> {
            throw new ApiException(503, "service unavailable", "quality assurance is not available yet: " + why
                    + "; try again shortly");
        });
        return qa;
    }

    /**
     * The QA service for live recording control, which needs no database (policies fall back to the queues' record
     * flags until they are loaded); 503 only when QA is not running at all.
     */
    QaService live() {
        QaService qa = ctx.engine().qa();
        if (qa == null) {
            throw new ApiException(503, "service unavailable", "quality assurance is not running");
        }
        return qa;
    }

    /** The caller as recording access sees them. */
    static RecordingAccess.Viewer viewer(User u) {
        return new RecordingAccess.Viewer(RecordingAccess.Kind.valueOf(u.role().name()), u.agentId(), u.teams());
    }

    RecordingAccess.Rules rules() {
        var c = service().config();
        return new RecordingAccess.Rules(c.agentsHearOwn(), c.downloadRoles().stream()
                .map(r -> RecordingAccess.Kind.valueOf(r.toUpperCase(Locale.ROOT)))
                .collect(Collectors.toSet()));
    }

    /** The current teams of agent {@code agentId} (none when unknown). */
    Set<String> teamsOf(Optional<String> agentId) {
        return agentId.map(a -> ctx.live().agents().get(a)).map(AgentConfig::teams).orElse(Set.of());
    }

    /**
     * The agents whose evaluations and calls {@code u} may see: empty for everyone (QA, admin), a supervisor's
     * teams' agents, an agent themselves.
     */
    Optional<Set<String>> agentScope(User u) {
        return switch (u.role()) {
            case QA, ADMIN -> Optional.empty();
            case SUPERVISOR -> Optional.of(ctx.live().agents().values().stream().filter(a -> u.oversees(a.teams()))
                    .map(AgentConfig::id).collect(Collectors.toCollection(LinkedHashSet::new)));
            case AGENT -> Optional.of(u.agentId().map(Set::of).orElse(Set.of()));
        };
    }

    /** 403 unless {@code u} may see agent {@code agentId}'s evaluations. */
    void requireAgentInScope(User u, String agentId) {
        Optional<Set<String>> scope = agentScope(u);
        if (scope.isPresent() && !scope.get().contains(agentId)) {
            throw ApiException.forbidden(u.role() == Role.AGENT ? "an agent sees only their own evaluations (you are"
                    + " agent " + u.agentId().orElse("?") + ", not " + agentId + ")" : "agent " + agentId
                    + " is not in your teams " + u.teams().stream().sorted().toList());
        }
    }

    /** {@code month=YYYY-MM}, by default the current month in the report zone. */
    YearMonth month(Request req) {
        Optional<String> m = req.query("month");
        if (m.isEmpty()) {
            return YearMonth.from(service().clock().instant().atZone(service().zone()));
        }
        try {
            return YearMonth.parse(m.get());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query 'month': '" + m.get() + "' (expected: YYYY-MM, e.g. 2026-11)");
        }
    }

    /** A time query parameter: a date (local midnight) or an instant with offset. */
    Optional<Instant> time(Request req, String name) {
        Optional<String> v = req.query(name);
        if (v.isEmpty() || v.get().isBlank()) {
            return Optional.empty();
        }
        String t = v.get().strip();
        try {
            if (t.length() == 10) {
                return Optional.of(LocalDate.parse(t).atStartOfDay(service().zone()).toInstant());
            }
            if (!t.endsWith("Z") && !t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Optional.of(LocalDateTime.parse(t).atZone(service().zone()).toInstant());
            }
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("query '" + name + "': '" + t + "' (expected: 2026-11-23,"
                    + " 2026-11-23T09:30 or 2026-11-23T08:30:00Z)");
        }
    }

    /** Turns what the QA service refuses into the HTTP answer naming it. */
    static ApiException problem(QaService.Problem p) {
        return switch (p.kind()) {
            case NOT_FOUND -> ApiException.notFound(p.getMessage());
            case CONFLICT -> ApiException.conflict(p.getMessage());
            case INVALID -> ApiException.badRequest(p.getMessage());
        };
    }

    static ApiException database(SQLException e) {
        return new ApiException(503, "service unavailable", "the QA tables could not be read or written: "
                + e.getMessage());
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs database work, mapping the service's refusals and database errors to HTTP answers. */
    static <T> T db(Work<T> work) {
        try {
            return work.run();
        } catch (QaService.Problem p) {
            throw problem(p);
        } catch (SQLException e) {
            throw database(e);
        }
    }

    // ------------------------------------------------------------------------------------------ views

    record QuestionView(String id, String text, String scale, List<String> answers, int weight, boolean critical) {
    }

    record SectionView(String title, List<QuestionView> questions) {
    }

    record FormView(String id, int version, String name, List<SectionView> sections, String createdAt,
                    String createdBy) {
    }

    static FormView view(Form f) {
        return new FormView(f.id(), f.version(), f.name(), f.sections().stream().map(s -> new SectionView(s.title(),
                s.questions().stream().map(q -> new QuestionView(q.id(), q.text(), q.scale().wireName(),
                        q.scale().answers(), q.weight(), q.critical())).toList())).toList(),
                f.createdAt().toString(), f.createdBy());
    }

    record AnswerView(String question, String section, String text, String value, String comment, boolean critical) {
    }

    record EvaluationView(String id, String callId, String agentId, String callStartedAt, String formId,
                          int formVersion, String formName, String evaluator, boolean calibration, double score,
                          double rawScore, List<String> failedCritical, Map<String, Double> sections,
                          String comments, String createdAt, String status, String agentComment, String respondedAt,
                          String resolvedBy, String resolvedAt, String resolution, List<AnswerView> answers) {
    }

    /** The evaluation with its form's questions beside the answers ({@code form}: the version it was scored on). */
    static EvaluationView view(Evaluation e, Form form) {
        List<AnswerView> answers = form.sections().stream().flatMap(s -> s.questions().stream().map(q -> {
            var a = e.answers().stream().filter(x -> x.questionId().equals(q.id())).findFirst();
            return new AnswerView(q.id(), s.title(), q.text(), a.map(x -> x.value()).orElse(""),
                    a.map(x -> x.comment()).orElse(""), q.critical());
        })).toList();
        return new EvaluationView(e.id(), e.callId(), e.agentId(), e.callStartedAt().toString(), e.form().id(),
                e.form().version(), form.name(), e.evaluator(), e.calibration(), round(e.score().percent()),
                round(e.score().raw()), e.score().failedCritical(), e.score().sections().entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, en -> round(en.getValue()), (a, b) -> a,
                        LinkedHashMap::new)), e.comments(), e.createdAt().toString(), e.status().wireName(),
                e.agentComment(), e.respondedAt().map(Instant::toString).orElse(null),
                e.resolution().map(Evaluation.Resolution::by).orElse(null),
                e.resolution().map(r -> r.at().toString()).orElse(null),
                e.resolution().map(Evaluation.Resolution::comment).orElse(null), answers);
    }

    /** One decimal, as the pages show scores. */
    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
