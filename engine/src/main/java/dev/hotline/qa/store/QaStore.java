package dev.hotline.qa.store;

import dev.hotline.qa.Answer;
import dev.hotline.qa.CandidateCall;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.FormReader;
import dev.hotline.qa.LiveRecording;
import dev.hotline.qa.RecordingPolicy;
import dev.hotline.qa.Retention;
import dev.hotline.qa.SamplingPlan;
import dev.hotline.qa.Scoring;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The QA tables (Flyway {@code V20__qa.sql}) over JDBC, and read-only queries of the call records QA works from; the
 * same SQL on MariaDB and H2. Every method blocks on the database: call it from a gateway worker or the QA service's
 * own thread, never from the ACD loop or an event loop.
 */
public final class QaStore {

    /** The plan row that stands for every agent without their own. */
    public static final String DEFAULT_PLAN = "*";

    private final DataSource dataSource;
    /** Form versions never change once stored, so each is parsed once. */
    private final Map<String, Form> forms = new ConcurrentHashMap<>();

    public QaStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    // ------------------------------------------------------------------------------------------ recording policies

    public List<RecordingPolicy> policies() throws SQLException {
        List<RecordingPolicy> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT queue_name, mode, sample_pct, on_demand FROM"
                     + " qa_recording_policy ORDER BY queue_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RecordingPolicy(rs.getString(1), RecordingPolicy.Mode.valueOf(rs.getString(2)),
                        rs.getInt(3), RecordingPolicy.OnDemand.valueOf(rs.getString(4))));
            }
        }
        return out;
    }

    /** Stores (inserts or replaces) a queue's policy. */
    public void savePolicy(RecordingPolicy p, Instant at, String by) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                try (PreparedStatement del = con.prepareStatement(
                        "DELETE FROM qa_recording_policy WHERE queue_name = ?")) {
                    del.setString(1, p.queue());
                    del.executeUpdate();
                }
                try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_recording_policy (queue_name, mode,"
                        + " sample_pct, on_demand, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, p.queue());
                    ps.setString(2, p.mode().name());
                    ps.setInt(3, p.samplePercent());
                    ps.setString(4, p.onDemand().name());
                    ps.setLong(5, at.toEpochMilli());
                    ps.setString(6, by);
                    ps.executeUpdate();
                }
                con.commit();
            } catch (SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            }
        }
    }

    /** Removes a queue's policy (it follows its {@code record:} flag again); false when it had none. */
    public boolean deletePolicy(String queue) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("DELETE FROM qa_recording_policy WHERE queue_name = ?")) {
            ps.setString(1, queue);
            return ps.executeUpdate() > 0;
        }
    }

    // ------------------------------------------------------------------------------------------ recording events

    /** One start, pause, resume or stop of a call's recording. */
    public void addRecordingEvent(String callId, String file, boolean onDemand, LiveRecording.Event e)
            throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("INSERT INTO qa_recording_event (event_id, call_id, at_ms,"
                     + " action, actor, file_name, on_demand) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, callId);
            ps.setLong(3, e.at().toEpochMilli());
            ps.setString(4, e.action().name());
            ps.setString(5, e.by());
            ps.setString(6, file);
            ps.setBoolean(7, onDemand);
            ps.executeUpdate();
        }
    }

    /** A call's recording history (empty when nothing was ever done to it beyond the call record). */
    public Optional<LiveRecording> recordingHistory(String callId) throws SQLException {
        List<LiveRecording.Event> events = new ArrayList<>();
        String file = null;
        boolean onDemand = false;
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT at_ms, action, actor, file_name, on_demand FROM"
                     + " qa_recording_event WHERE call_id = ? ORDER BY at_ms, event_id")) {
            ps.setString(1, callId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LiveRecording.Action a = LiveRecording.Action.valueOf(rs.getString(2));
                    if (file == null && a != LiveRecording.Action.START) {
                        continue;   // a pause stored before its start (same millisecond): the start leads
                    }
                    if (file == null) {
                        file = rs.getString(4);
                        onDemand = rs.getBoolean(5);
                    }
                    events.add(new LiveRecording.Event(Instant.ofEpochMilli(rs.getLong(1)), a, rs.getString(3)));
                }
            }
        }
        if (file == null) {
            return Optional.empty();
        }
        LiveRecording r = new LiveRecording(callId, file, onDemand, LiveRecording.State.RECORDING,
                List.of(events.getFirst()));
        for (LiveRecording.Event e : events.subList(1, events.size())) {
            try {
                r = r.apply(e.action(), e.at(), e.by());
            } catch (IllegalStateException ignored) {
                // two actions raced on the database side: the first one stands
            }
        }
        return Optional.of(r);
    }

    // ------------------------------------------------------------------------------------------ retention

    /** A recording file retention deleted. */
    public record Deletion(String file, long size, Instant modified, Instant deleted, String reason) {
    }

    public void addDeletions(List<Retention.StoredFile> files, Instant at, String reason) throws SQLException {
        if (files.isEmpty()) {
            return;
        }
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("INSERT INTO qa_recording_deletion (deletion_id, file_name,"
                     + " size_bytes, modified_ms, deleted_ms, reason) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Retention.StoredFile f : files) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, f.name());
                ps.setLong(3, f.size());
                ps.setLong(4, f.modified().toEpochMilli());
                ps.setLong(5, at.toEpochMilli());
                ps.setString(6, reason);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletions with {@code from <= deleted < to}, newest first, at most {@code limit}. */
    public List<Deletion> deletions(Instant from, Instant to, int limit) throws SQLException {
        List<Deletion> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT file_name, size_bytes, modified_ms, deleted_ms, reason"
                     + " FROM qa_recording_deletion WHERE deleted_ms >= ? AND deleted_ms < ?"
                     + " ORDER BY deleted_ms DESC, file_name")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Deletion(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /** When retention deleted {@code file}, if it did. */
    public Optional<Instant> deletedAt(String file) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT MAX(deleted_ms) FROM qa_recording_deletion"
                     + " WHERE file_name = ?")) {
            ps.setString(1, file);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ forms

    /** A form as listed: its current version, whether evaluators may pick it, and every version's number. */
    public record FormSummary(String id, String name, int currentVersion, boolean enabled, Instant updatedAt,
                              String updatedBy) {
    }

    public List<FormSummary> forms() throws SQLException {
        List<FormSummary> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT f.form_id, v.name, f.current_version, f.enabled,"
                     + " f.updated_ms, f.updated_by FROM qa_form f JOIN qa_form_version v ON v.form_id = f.form_id"
                     + " AND v.version = f.current_version ORDER BY f.form_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FormSummary(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4),
                        Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
            }
        }
        return out;
    }

    /** The YAML text of a form version, as the admin wrote it. */
    public Optional<String> formSource(String formId, int version) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT definition FROM qa_form_version WHERE form_id = ?"
                     + " AND version = ?")) {
            ps.setString(1, formId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A stored form version, parsed (once; versions never change). */
    public Optional<Form> form(String formId, int version) throws SQLException {
        String key = formId + "#" + version;
        Form cached = forms.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT definition, created_ms, created_by FROM"
                     + " qa_form_version WHERE form_id = ? AND version = ?")) {
            ps.setString(1, formId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                FormReader.Result r = FormReader.read(rs.getString(1), "qa_form_version " + formId + " v" + version,
                        formId, version, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3));
                if (r instanceof FormReader.Result.Invalid bad) {
                    throw new SQLException("qa_form_version " + formId + " v" + version + " no longer reads: "
                            + bad.problems().getFirst());
                }
                Form f = ((FormReader.Result.Ok) r).form();
                forms.put(key, f);
                return Optional.of(f);
            }
        }
    }

    /** The current version of a form. */
    public Optional<Form> currentForm(String formId) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT current_version FROM qa_form WHERE form_id = ?")) {
            ps.setString(1, formId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return form(formId, rs.getInt(1));
            }
        }
    }

    /**
     * Stores {@code form} (already validated, with its YAML {@code source}) as the next version of its id: version
     * 1 for a new form. The version in {@code form} is ignored; the stored one is returned. Two admins saving at
     * once get consecutive versions (the primary key refuses a duplicate; the loser retries once).
     */
    public Form saveVersion(Form form, String source) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection con = dataSource.getConnection()) {
                con.setAutoCommit(false);
                try {
                    int next;
                    boolean exists;
                    try (PreparedStatement ps = con.prepareStatement("SELECT MAX(version) FROM qa_form_version"
                            + " WHERE form_id = ?")) {
                        ps.setString(1, form.id());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            int max = rs.getInt(1);
                            exists = !rs.wasNull();
                            next = exists ? max + 1 : 1;
                        }
                    }
                    if (!exists) {
                        try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_form (form_id,"
                                + " current_version, enabled, updated_ms, updated_by) VALUES (?, ?, TRUE, ?, ?)")) {
                            ps.setString(1, form.id());
                            ps.setInt(2, next);
                            ps.setLong(3, form.createdAt().toEpochMilli());
                            ps.setString(4, form.createdBy());
                            ps.executeUpdate();
                        }
                    }
                    try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_form_version (form_id, version,"
                            + " name, definition, created_ms, created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, form.id());
                        ps.setInt(2, next);
                        ps.setString(3, form.name());
                        ps.setString(4, source);
                        ps.setLong(5, form.createdAt().toEpochMilli());
                        ps.setString(6, form.createdBy());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = con.prepareStatement("UPDATE qa_form SET current_version = ?,"
                            + " updated_ms = ?, updated_by = ? WHERE form_id = ?")) {
                        ps.setInt(1, next);
                        ps.setLong(2, form.createdAt().toEpochMilli());
                        ps.setString(3, form.createdBy());
                        ps.setString(4, form.id());
                        ps.executeUpdate();
                    }
                    con.commit();
                    return new Form(form.id(), next, form.name(), form.sections(), form.createdAt(), form.createdBy());
                } catch (SQLException e) {
                    con.rollback();
                    if (attempt < 2 && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        continue;   // another admin took this version number in between
                    }
                    throw e;
                } catch (RuntimeException e) {
                    con.rollback();
                    throw e;
                }
            }
        }
    }

    /** Enables or disables a form for new evaluations (its versions and evaluations stay); false when unknown. */
    public boolean setFormEnabled(String formId, boolean enabled, Instant at, String by) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE qa_form SET enabled = ?, updated_ms = ?,"
                     + " updated_by = ? WHERE form_id = ?")) {
            ps.setBoolean(1, enabled);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, by);
            ps.setString(4, formId);
            return ps.executeUpdate() > 0;
        }
    }

    // ------------------------------------------------------------------------------------------ evaluations

    private static final String EVALUATION_COLUMNS = "e.evaluation_id, e.call_id, e.agent_id, e.call_started_ms,"
            + " e.form_id, e.form_version, e.evaluator, e.calibration, e.comments, e.created_ms, e.status,"
            + " e.agent_comment, e.responded_ms, e.resolved_by, e.resolved_ms, e.resolution";

    public void insertEvaluation(Evaluation e) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_evaluation (evaluation_id, call_id,"
                        + " agent_id, call_started_ms, form_id, form_version, evaluator, calibration, score_pct,"
                        + " raw_pct, critical_failed, comments, created_ms, status, agent_comment, responded_ms,"
                        + " resolved_by, resolved_ms, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?)")) {
                    ps.setString(1, e.id());
                    ps.setString(2, e.callId());
                    ps.setString(3, e.agentId());
                    ps.setLong(4, e.callStartedAt().toEpochMilli());
                    ps.setString(5, e.form().id());
                    ps.setInt(6, e.form().version());
                    ps.setString(7, e.evaluator());
                    ps.setBoolean(8, e.calibration());
                    ps.setDouble(9, e.score().percent());
                    ps.setDouble(10, e.score().raw());
                    ps.setBoolean(11, e.score().criticalFailed());
                    ps.setString(12, e.comments());
                    ps.setLong(13, e.createdAt().toEpochMilli());
                    bindStatus(ps, 14, e);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_answer (evaluation_id, question_id,"
                        + " answer, answer_note) VALUES (?, ?, ?, ?)")) {
                    for (Answer a : e.answers()) {
                        ps.setString(1, e.id());
                        ps.setString(2, a.questionId());
                        ps.setString(3, a.value());
                        ps.setString(4, a.comment());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                con.commit();
            } catch (SQLException | RuntimeException ex) {
                con.rollback();
                throw ex;
            }
        }
    }

    /** Writes status, agent comment, response and resolution columns 14-19 of {@code e}. */
    private static void bindStatus(PreparedStatement ps, int i, Evaluation e) throws SQLException {
        ps.setString(i, e.status().name());
        ps.setString(i + 1, e.agentComment());
        setLong(ps, i + 2, e.respondedAt().map(Instant::toEpochMilli));
        setString(ps, i + 3, e.resolution().map(Evaluation.Resolution::by));
        setLong(ps, i + 4, e.resolution().map(r -> r.at().toEpochMilli()));
        setString(ps, i + 5, e.resolution().map(Evaluation.Resolution::comment));
    }

    /**
     * Stores the agent's response or the resolution of {@code updated}, only if the stored status is still
     * {@code expected} (two clicks, or the agent and QA at once: the first change stands). False otherwise.
     */
    public boolean updateStatus(Evaluation updated, Evaluation.Status expected) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE qa_evaluation SET status = ?, agent_comment = ?,"
                     + " responded_ms = ?, resolved_by = ?, resolved_ms = ?, resolution = ? WHERE evaluation_id = ?"
                     + " AND status = ?")) {
            bindStatus(ps, 1, updated);
            ps.setString(7, updated.id());
            ps.setString(8, expected.name());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Which evaluations to list: any combination; a set of agents limits to those (a supervisor's teams), a time
     * range applies to the call's start.
     */
    public record EvaluationQuery(Optional<String> evaluationId, Optional<String> callId, Optional<String> agentId,
                                  Optional<Set<String>> agents, Optional<String> evaluator, Optional<Instant> from,
                                  Optional<Instant> to, boolean includeCalibrations, int limit) {
        public static EvaluationQuery all() {
            return new EvaluationQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), true, 10_000);
        }

        public EvaluationQuery id(String id) {
            return new EvaluationQuery(Optional.of(id), callId, agentId, agents, evaluator, from, to,
                    includeCalibrations, limit);
        }

        public EvaluationQuery call(String id) {
            return new EvaluationQuery(evaluationId, Optional.of(id), agentId, agents, evaluator, from, to,
                    includeCalibrations, limit);
        }

        public EvaluationQuery agent(String id) {
            return new EvaluationQuery(evaluationId, callId, Optional.of(id), agents, evaluator, from, to,
                    includeCalibrations, limit);
        }

        public EvaluationQuery agents(Set<String> ids) {
            return new EvaluationQuery(evaluationId, callId, agentId, Optional.of(Set.copyOf(ids)), evaluator, from,
                    to, includeCalibrations, limit);
        }

        public EvaluationQuery between(Instant start, Instant end) {
            return new EvaluationQuery(evaluationId, callId, agentId, agents, evaluator, Optional.of(start),
                    Optional.of(end), includeCalibrations, limit);
        }

        public EvaluationQuery withoutCalibrations() {
            return new EvaluationQuery(evaluationId, callId, agentId, agents, evaluator, from, to, false, limit);
        }

        public EvaluationQuery limit(int n) {
            return new EvaluationQuery(evaluationId, callId, agentId, agents, evaluator, from, to,
                    includeCalibrations, n);
        }
    }

    /** Evaluations matching {@code q}, newest call first, scored on their own form version. */
    public List<Evaluation> evaluations(EvaluationQuery q) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        q.evaluationId().ifPresent(v -> arg(where, args, " AND e.evaluation_id = ?", v));
        q.callId().ifPresent(v -> arg(where, args, " AND e.call_id = ?", v));
        q.agentId().ifPresent(v -> arg(where, args, " AND e.agent_id = ?", v));
        q.evaluator().ifPresent(v -> arg(where, args, " AND e.evaluator = ?", v));
        q.from().ifPresent(v -> arg(where, args, " AND e.call_started_ms >= ?", v.toEpochMilli()));
        q.to().ifPresent(v -> arg(where, args, " AND e.call_started_ms < ?", v.toEpochMilli()));
        if (!q.includeCalibrations()) {
            where.append(" AND e.calibration = FALSE");
        }
        if (q.agents().isPresent()) {
            if (q.agents().get().isEmpty()) {
                return List.of();
            }
            where.append(" AND e.agent_id IN (").append(String.join(", ", q.agents().get().stream().map(a -> "?")
                    .toList())).append(')');
            args.addAll(q.agents().get().stream().sorted().toList());
        }
        Map<String, List<Answer>> answers = new LinkedHashMap<>();
        List<Object[]> rows = new ArrayList<>();
        try (Connection con = dataSource.getConnection()) {
            try (PreparedStatement ps = con.prepareStatement("SELECT " + EVALUATION_COLUMNS + " FROM qa_evaluation e"
                    + where + " ORDER BY e.call_started_ms DESC, e.created_ms DESC, e.evaluation_id")) {
                bind(ps, args);
                ps.setMaxRows(q.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] r = new Object[16];
                        for (int i = 0; i < 16; i++) {
                            r[i] = rs.getObject(i + 1);
                        }
                        rows.add(r);
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement ps = con.prepareStatement("SELECT a.evaluation_id, a.question_id, a.answer,"
                    + " a.answer_note FROM qa_answer a JOIN qa_evaluation e ON e.evaluation_id = a.evaluation_id"
                    + where + " ORDER BY a.evaluation_id, a.question_id")) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        answers.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Answer(rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        List<Evaluation> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(evaluation(r, answers.getOrDefault((String) r[0], List.of())));
        }
        return out;
    }

    private Evaluation evaluation(Object[] r, List<Answer> answers) throws SQLException {
        String id = (String) r[0];
        String formId = (String) r[4];
        int version = ((Number) r[5]).intValue();
        Form form = form(formId, version).orElseThrow(() -> new SQLException("evaluation " + id + " names form "
                + formId + " v" + version + ", which is not stored"));
        Optional<Evaluation.Resolution> resolution = r[13] == null ? Optional.empty()
                : Optional.of(new Evaluation.Resolution((String) r[13], Instant.ofEpochMilli(((Number) r[14])
                .longValue()), r[15] == null ? "" : (String) r[15]));
        return new Evaluation(id, (String) r[1], (String) r[2], Instant.ofEpochMilli(((Number) r[3]).longValue()),
                new Evaluation.FormRef(formId, version), (String) r[6], bool(r[7]), answers,
                Scoring.score(form, answers), (String) r[8], Instant.ofEpochMilli(((Number) r[9]).longValue()),
                Evaluation.Status.valueOf((String) r[10]), (String) r[11],
                r[12] == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(((Number) r[12]).longValue())),
                resolution);
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : o instanceof Number n && n.intValue() != 0;
    }

    /** Evaluations (calibrations aside) per evaluator with calls begun in {@code [from, to)}. */
    public Map<String, Integer> evaluationsByEvaluator(Instant from, Instant to) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT evaluator, COUNT(*) FROM qa_evaluation WHERE"
                     + " calibration = FALSE AND call_started_ms >= ? AND call_started_ms < ? GROUP BY evaluator"
                     + " ORDER BY evaluator")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ plans

    /** The stored plans by agent id ({@link #DEFAULT_PLAN} for every agent without their own). */
    public Map<String, SamplingPlan> plans() throws SQLException {
        Map<String, SamplingPlan> out = new LinkedHashMap<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT agent_id, min_calls, max_calls, rules, evaluator"
                     + " FROM qa_plan ORDER BY agent_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    out.put(rs.getString(1), SamplingPlan.of(rs.getInt(2), rs.getInt(3), rs.getString(4),
                            Optional.ofNullable(rs.getString(5))));
                } catch (IllegalArgumentException e) {
                    throw new SQLException("qa_plan " + rs.getString(1) + " no longer reads: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    public void savePlan(String agentId, SamplingPlan plan, Instant at, String by) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                try (PreparedStatement del = con.prepareStatement("DELETE FROM qa_plan WHERE agent_id = ?")) {
                    del.setString(1, agentId);
                    del.executeUpdate();
                }
                try (PreparedStatement ps = con.prepareStatement("INSERT INTO qa_plan (agent_id, min_calls, max_calls,"
                        + " rules, evaluator, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, agentId);
                    ps.setInt(2, plan.minCalls());
                    ps.setInt(3, plan.maxCalls());
                    ps.setString(4, plan.rulesText());
                    setString(ps, 5, plan.evaluator());
                    ps.setLong(6, at.toEpochMilli());
                    ps.setString(7, by);
                    ps.executeUpdate();
                }
                con.commit();
            } catch (SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            }
        }
    }

    /** Removes an agent's own plan (the default applies again); false when they had none. */
    public boolean deletePlan(String agentId) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("DELETE FROM qa_plan WHERE agent_id = ?")) {
            ps.setString(1, agentId);
            return ps.executeUpdate() > 0;
        }
    }

    // ------------------------------------------------------------------------------------------ calls

    /**
     * A call as the QA pages list it.
     *
     * @param queue     the first queue it waited in
     * @param agentId   the agent who first answered it
     * @param recording its recording file: the call record's, or an on-demand one
     */
    public record CallRow(String callId, Instant startedAt, Instant endedAt, String callerNumber,
                          Optional<String> queue, Optional<String> agentId, Duration waited, Duration talk,
                          Optional<String> disposition, String outcome, OptionalInt csat,
                          Optional<String> recording, int evaluations) {
    }

    /**
     * Filters for finding calls; each is optional. {@code agents} limits to calls answered by those agents (a
     * supervisor's scope); {@code queue} matches any queue the call waited in.
     */
    public record CallQuery(Instant from, Instant to, Optional<String> queue, Optional<String> agent,
                            Optional<Set<String>> agents, Optional<String> disposition, Optional<String> outcome,
                            OptionalInt minCsat, OptionalInt maxCsat, Optional<Duration> minTalk,
                            Optional<Duration> maxTalk, boolean recordedOnly, int limit) {
        public CallQuery {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            agents = agents.map(Set::copyOf);
        }

        /** Calls begun in {@code [from, to)}, no other filter, at most 200. */
        public static CallQuery between(Instant from, Instant to) {
            return new CallQuery(from, to, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    false, 200);
        }
    }

    public List<CallRow> calls(CallQuery q) throws SQLException {
        return calls(q, Optional.empty());
    }

    private List<CallRow> calls(CallQuery q, Optional<String> callId) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE c.started_ms >= ? AND c.started_ms < ?");
        List<Object> args = new ArrayList<>(List.of(q.from().toEpochMilli(), q.to().toEpochMilli()));
        callId.ifPresent(v -> arg(where, args, " AND c.call_id = ?", v));
        q.queue().ifPresent(v -> arg(where, args, " AND (c.first_queue = ? OR EXISTS (SELECT 1 FROM call_queue_visit v"
                + " WHERE v.call_id = c.call_id AND v.queue = ?))", v, v));
        q.agent().ifPresent(v -> arg(where, args, " AND c.agent_id = ?", v));
        q.disposition().ifPresent(v -> arg(where, args, " AND c.disposition = ?", v));
        q.outcome().ifPresent(v -> arg(where, args, " AND c.outcome = ?", v));
        q.minCsat().ifPresent(v -> arg(where, args, " AND c.survey_score >= ?", v));
        q.maxCsat().ifPresent(v -> arg(where, args, " AND c.survey_score <= ?", v));
        q.minTalk().ifPresent(v -> arg(where, args, " AND c.talk_ms >= ?", v.toMillis()));
        q.maxTalk().ifPresent(v -> arg(where, args, " AND c.talk_ms <= ?", v.toMillis()));
        if (q.recordedOnly()) {
            where.append(" AND (c.recording_file IS NOT NULL OR EXISTS (SELECT 1 FROM qa_recording_event r"
                    + " WHERE r.call_id = c.call_id))");
        }
        if (q.agents().isPresent()) {
            if (q.agents().get().isEmpty()) {
                return List.of();
            }
            where.append(" AND c.agent_id IN (").append(String.join(", ", q.agents().get().stream().map(a -> "?")
                    .toList())).append(')');
            args.addAll(q.agents().get().stream().sorted().toList());
        }
        List<CallRow> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection()) {
            con.setReadOnly(true);
            try (PreparedStatement ps = con.prepareStatement("SELECT c.call_id, c.started_ms, c.ended_ms,"
                    + " c.caller_number, c.first_queue, c.agent_id, c.wait_ms, c.talk_ms, c.disposition, c.outcome,"
                    + " c.survey_score, COALESCE(c.recording_file, (SELECT MIN(r.file_name) FROM qa_recording_event r"
                    + " WHERE r.call_id = c.call_id AND r.action = 'START')),"
                    + " (SELECT COUNT(*) FROM qa_evaluation e WHERE e.call_id = c.call_id AND e.calibration = FALSE)"
                    + " FROM call_record c" + where + " ORDER BY c.started_ms DESC, c.call_id")) {
                bind(ps, args);
                ps.setMaxRows(q.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int csat = rs.getInt(11);
                        OptionalInt score = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(csat);
                        out.add(new CallRow(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                                Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                                Duration.ofMillis(rs.getLong(7)), Duration.ofMillis(rs.getLong(8)),
                                Optional.ofNullable(rs.getString(9)), rs.getString(10), score,
                                Optional.ofNullable(rs.getString(12)), rs.getInt(13)));
                    }
                }
            }
        }
        return out;
    }

    /** One call by id, whatever its time. */
    public Optional<CallRow> call(String callId) throws SQLException {
        return calls(CallQuery.between(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z")), Optional.of(callId))
                .stream().findFirst();
    }

    /** The answered calls begun in {@code [from, to)} as sampling sees them, one agent's or everyone's. */
    public List<CandidateCall> candidates(Instant from, Instant to, Optional<String> agent) throws SQLException {
        CallQuery q = new CallQuery(from, to, Optional.empty(), agent, Optional.empty(), Optional.empty(),
                Optional.of("ANSWERED"), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), false, 100_000);
        List<CandidateCall> out = new ArrayList<>();
        for (CallRow r : calls(q)) {
            if (r.agentId().isPresent()) {
                out.add(new CandidateCall(r.callId(), r.agentId().get(), r.queue().orElse(""), r.startedAt(),
                        r.talk(), r.disposition(), r.csat(), r.recording().isPresent()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void arg(StringBuilder where, List<Object> args, String clause, Object... values) {
        where.append(clause);
        args.addAll(List.of(values));
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object v = args.get(i);
            if (v instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }

    private static void setString(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.get());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }
}
