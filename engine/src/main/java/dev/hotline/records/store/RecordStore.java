package dev.hotline.records.store;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.model.Transfer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Reads and writes call records and agent transitions over JDBC, with SQL that runs on MariaDB and on H2 in
 * MariaDB mode.
 *
 * <p>Writes are idempotent so the journal can be replayed any number of times: a batch first deletes the rows of
 * every call and transition it carries (children go with their call by {@code ON DELETE CASCADE}), then inserts
 * them, all in one transaction. Within a batch the last version of a call wins, as it would if applied one by one.
 */
public final class RecordStore {

    private static final int IN_CHUNK = 500;

    private static final String INSERT_CALL = "INSERT INTO call_record (call_id, server_id, linked_id, caller_number,"
            + " caller_name, dialled_number, started_ms, ended_ms, language, first_queue, enqueued_ms,"
            + " first_offered_ms, answered_ms, agent_id, wait_ms, ring_ms, talk_ms, hold_ms, wrap_up_ms, transfers,"
            + " disposition, notes, survey_score, hangup_by, hangup_cause, recording_file, outcome)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    private static final String INSERT_IVR = "INSERT INTO call_ivr_step (call_id, seq, node, entered_ms, input,"
            + " exit_kind) VALUES (?,?,?,?,?,?)";
    private static final String INSERT_VISIT = "INSERT INTO call_queue_visit (call_id, seq, queue, enqueued_ms,"
            + " left_ms, result, agent_id, talk_ms, hold_ms, wrap_up_ms) VALUES (?,?,?,?,?,?,?,?,?,?)";
    private static final String INSERT_OFFER = "INSERT INTO call_offer (call_id, seq, queue, agent_id, offered_ms,"
            + " ended_ms, outcome) VALUES (?,?,?,?,?,?,?)";
    private static final String INSERT_TRANSFER = "INSERT INTO call_transfer (call_id, seq, at_ms, from_agent, kind,"
            + " target, attended) VALUES (?,?,?,?,?,?,?)";
    private static final String INSERT_AGENT = "INSERT INTO agent_state_change (id, agent_id, team, from_state,"
            + " to_state, reason, at_ms, changed_by, seq) VALUES (?,?,?,?,?,?,?,?,?)";

    private final AppDatabase database;

    public RecordStore(AppDatabase database) {
        this.database = database;
    }

    public AppDatabase database() {
        return database;
    }

    /** Stores a batch in one transaction, replacing any earlier version of the same calls and transitions. */
    public void write(List<? extends RecordEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, CallRecord> calls = new LinkedHashMap<>();
        Map<UUID, AgentStateChange> changes = new LinkedHashMap<>();
        for (RecordEntry e : batch) {
            switch (e) {
                case CallRecord c -> {
                    calls.remove(c.callId().value());
                    calls.put(c.callId().value(), c);
                }
                case AgentStateChange a -> changes.put(a.id(), a);
            }
        }
        database.migrate();
        try (Connection con = database.dataSource().getConnection()) {
            con.setAutoCommit(false);
            try {
                if (!calls.isEmpty()) {
                    deleteIn(con, "call_record", "call_id", new ArrayList<>(calls.keySet()));
                    insertCalls(con, calls.values());
                }
                if (!changes.isEmpty()) {
                    deleteIn(con, "agent_state_change", "id", changes.keySet().stream().map(UUID::toString).toList());
                    insertChanges(con, changes.values());
                }
                // The journal's checkpoint moves past this batch when this returns: it must be on disk.
                database.commitDurably(con);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(con, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection con, Exception cause) {
        try {
            con.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    private static void deleteIn(Connection con, String table, String column, List<String> keys) throws SQLException {
        for (int from = 0; from < keys.size(); from += IN_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
            String sql = "DELETE FROM " + table + " WHERE " + column + " IN (" + "?,".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    private static void insertCalls(Connection con, Iterable<CallRecord> calls) throws SQLException {
        try (PreparedStatement call = con.prepareStatement(INSERT_CALL);
             PreparedStatement ivr = con.prepareStatement(INSERT_IVR);
             PreparedStatement visit = con.prepareStatement(INSERT_VISIT);
             PreparedStatement offer = con.prepareStatement(INSERT_OFFER);
             PreparedStatement transfer = con.prepareStatement(INSERT_TRANSFER)) {
            int ivrRows = 0;
            int visitRows = 0;
            int offerRows = 0;
            int transferRows = 0;
            for (CallRecord c : calls) {
                String id = c.callId().value();
                int i = 1;
                call.setString(i++, id);
                call.setString(i++, c.callId().serverId());
                call.setString(i++, c.callId().linkedId());
                call.setString(i++, c.callerNumber());
                call.setString(i++, c.callerName());
                call.setString(i++, c.dialledNumber());
                call.setLong(i++, c.startedAt().toEpochMilli());
                call.setLong(i++, c.endedAt().toEpochMilli());
                setString(call, i++, c.language());
                setString(call, i++, c.queueVisits().stream().map(QueueVisit::queue).findFirst());
                setInstant(call, i++, c.enqueuedAt());
                setInstant(call, i++, c.firstOfferedAt());
                setInstant(call, i++, c.answeredAt());
                setString(call, i++, c.agentId());
                call.setLong(i++, c.waited().toMillis());
                call.setLong(i++, c.ring().toMillis());
                call.setLong(i++, c.talk().toMillis());
                call.setLong(i++, c.hold().toMillis());
                call.setLong(i++, c.wrapUp().toMillis());
                call.setInt(i++, c.transfers().size());
                setString(call, i++, c.disposition());
                call.setString(i++, c.notes());
                setInt(call, i++, c.surveyScore());
                call.setString(i++, c.hangupBy().name());
                setInt(call, i++, c.hangupCause());
                setString(call, i++, c.recordingFile());
                call.setString(i, c.outcome().name());
                call.addBatch();
                int seq = 0;
                for (IvrStep s : c.ivrPath()) {
                    ivr.setString(1, id);
                    ivr.setInt(2, seq++);
                    ivr.setString(3, s.node());
                    ivr.setLong(4, s.enteredAt().toEpochMilli());
                    ivr.setString(5, s.input());
                    ivr.setString(6, s.exit().name());
                    ivr.addBatch();
                    ivrRows++;
                }
                seq = 0;
                for (QueueVisit v : c.queueVisits()) {
                    visit.setString(1, id);
                    visit.setInt(2, seq++);
                    visit.setString(3, v.queue());
                    visit.setLong(4, v.enqueuedAt().toEpochMilli());
                    visit.setLong(5, v.leftAt().toEpochMilli());
                    visit.setString(6, v.result().name());
                    setString(visit, 7, v.agentId());
                    visit.setLong(8, v.talk().toMillis());
                    visit.setLong(9, v.hold().toMillis());
                    visit.setLong(10, v.wrapUp().toMillis());
                    visit.addBatch();
                    visitRows++;
                }
                seq = 0;
                for (Offer o : c.offers()) {
                    offer.setString(1, id);
                    offer.setInt(2, seq++);
                    offer.setString(3, o.queue());
                    offer.setString(4, o.agentId());
                    offer.setLong(5, o.offeredAt().toEpochMilli());
                    offer.setLong(6, o.endedAt().toEpochMilli());
                    offer.setString(7, o.outcome().name());
                    offer.addBatch();
                    offerRows++;
                }
                seq = 0;
                for (Transfer t : c.transfers()) {
                    transfer.setString(1, id);
                    transfer.setInt(2, seq++);
                    transfer.setLong(3, t.at().toEpochMilli());
                    setString(transfer, 4, t.fromAgent());
                    transfer.setString(5, t.kind().name());
                    transfer.setString(6, t.target());
                    transfer.setBoolean(7, t.attended());
                    transfer.addBatch();
                    transferRows++;
                }
            }
            // Parents first: the children's foreign keys need them.
            call.executeBatch();
            if (ivrRows > 0) {
                ivr.executeBatch();
            }
            if (visitRows > 0) {
                visit.executeBatch();
            }
            if (offerRows > 0) {
                offer.executeBatch();
            }
            if (transferRows > 0) {
                transfer.executeBatch();
            }
        }
    }

    private static void insertChanges(Connection con, Iterable<AgentStateChange> changes) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(INSERT_AGENT)) {
            for (AgentStateChange a : changes) {
                ps.setString(1, a.id().toString());
                ps.setString(2, a.agentId());
                ps.setString(3, a.team());
                ps.setString(4, a.from().name());
                ps.setString(5, a.to().name());
                ps.setString(6, a.reason());
                ps.setLong(7, a.at().toEpochMilli());
                setString(ps, 8, a.changedBy());
                ps.setLong(9, a.seq());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Calls that overlap {@code [from, to)}: started before {@code to} and ended at or after {@code from}. Calls
     * are looked for among those started up to {@code lookback} before {@code from}, so the started-at index
     * bounds the scan.
     */
    public List<CallRecord> calls(Instant from, Instant to, Duration lookback) throws SQLException {
        database.migrate();
        long lo = from.minus(lookback).toEpochMilli();
        long hi = to.toEpochMilli();
        long fromMs = from.toEpochMilli();
        return select(" c.started_ms >= ? AND c.started_ms < ? AND c.ended_ms >= ?", lo, hi, fromMs);
    }

    /**
     * Calls journaled as in progress ({@link CallOutcome#IN_PROGRESS}) and never finished, started since
     * {@code since}: what an engine held when it stopped (a crash), for the next start to reconcile.
     */
    public List<CallRecord> unfinished(Instant since) throws SQLException {
        database.migrate();
        return select(" c.started_ms >= ? AND c.started_ms < ? AND c.ended_ms >= ? AND c.outcome = '"
                + CallOutcome.IN_PROGRESS.name() + "'", since.toEpochMilli(), Long.MAX_VALUE, 0L);
    }

    /** The calls whose {@code call_record} row (alias {@code c}) matches {@code range}, with three parameters. */
    private List<CallRecord> select(String range, long lo, long hi, long fromMs) throws SQLException {
        try (Connection con = database.dataSource().getConnection()) {
            con.setReadOnly(true);
            Map<String, List<IvrStep>> ivr = new HashMap<>();
            Map<String, List<QueueVisit>> visits = new HashMap<>();
            Map<String, List<Offer>> offers = new HashMap<>();
            Map<String, List<Transfer>> transfers = new HashMap<>();
            query(con, "SELECT s.call_id, s.node, s.entered_ms, s.input, s.exit_kind FROM call_ivr_step s JOIN"
                    + " call_record c ON c.call_id = s.call_id WHERE" + range + " ORDER BY s.call_id, s.seq",
                    lo, hi, fromMs, rs -> ivr.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new IvrStep(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                                    IvrStep.Exit.valueOf(rs.getString(5)))));
            query(con, "SELECT v.call_id, v.queue, v.enqueued_ms, v.left_ms, v.result, v.agent_id, v.talk_ms,"
                    + " v.hold_ms, v.wrap_up_ms FROM call_queue_visit v JOIN call_record c ON c.call_id = v.call_id"
                    + " WHERE" + range + " ORDER BY v.call_id, v.seq",
                    lo, hi, fromMs, rs -> visits.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new QueueVisit(rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                                    Instant.ofEpochMilli(rs.getLong(4)), QueueVisit.Result.valueOf(rs.getString(5)),
                                    Optional.ofNullable(rs.getString(6)), Duration.ofMillis(rs.getLong(7)),
                                    Duration.ofMillis(rs.getLong(8)), Duration.ofMillis(rs.getLong(9)))));
            query(con, "SELECT o.call_id, o.queue, o.agent_id, o.offered_ms, o.ended_ms, o.outcome FROM call_offer o"
                    + " JOIN call_record c ON c.call_id = o.call_id WHERE" + range + " ORDER BY o.call_id, o.seq",
                    lo, hi, fromMs, rs -> offers.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Offer(rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                                    Instant.ofEpochMilli(rs.getLong(5)), Offer.Outcome.valueOf(rs.getString(6)))));
            query(con, "SELECT t.call_id, t.at_ms, t.from_agent, t.kind, t.target, t.attended FROM call_transfer t"
                    + " JOIN call_record c ON c.call_id = t.call_id WHERE" + range + " ORDER BY t.call_id, t.seq",
                    lo, hi, fromMs, rs -> transfers.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Transfer(Instant.ofEpochMilli(rs.getLong(2)),
                                    Optional.ofNullable(rs.getString(3)), Transfer.Kind.valueOf(rs.getString(4)),
                                    rs.getString(5), rs.getBoolean(6))));
            List<CallRecord> out = new ArrayList<>();
            query(con, "SELECT c.call_id, c.server_id, c.linked_id, c.caller_number, c.caller_name, c.dialled_number,"
                    + " c.started_ms, c.ended_ms, c.language, c.disposition, c.notes, c.survey_score, c.hangup_by,"
                    + " c.hangup_cause, c.recording_file, c.outcome FROM call_record c WHERE" + range
                    + " ORDER BY c.started_ms, c.call_id", lo, hi, fromMs, rs -> {
                        String id = rs.getString(1);
                        out.add(new CallRecord(new CallId(rs.getString(2), rs.getString(3)), rs.getString(4),
                                rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                                Instant.ofEpochMilli(rs.getLong(8)), Optional.ofNullable(rs.getString(9)),
                                ivr.getOrDefault(id, List.of()), visits.getOrDefault(id, List.of()),
                                offers.getOrDefault(id, List.of()), transfers.getOrDefault(id, List.of()),
                                Optional.ofNullable(rs.getString(10)), rs.getString(11), optionalInt(rs, 12),
                                HangupParty.valueOf(rs.getString(13)), optionalInt(rs, 14),
                                Optional.ofNullable(rs.getString(15)), CallOutcome.valueOf(rs.getString(16))));
                    });
            return out;
        }
    }

    /** Agent transitions with {@code from <= at < to}, in the order they happened (time, then sequence). */
    public List<AgentStateChange> agentChanges(Instant from, Instant to) throws SQLException {
        database.migrate();
        List<AgentStateChange> out = new ArrayList<>();
        try (Connection con = database.dataSource().getConnection()) {
            con.setReadOnly(true);
            query(con, "SELECT id, agent_id, team, from_state, to_state, reason, at_ms, changed_by, seq FROM"
                    + " agent_state_change WHERE at_ms >= ? AND at_ms < ? AND 1 = ? ORDER BY at_ms, seq, agent_id, id",
                    from.toEpochMilli(), to.toEpochMilli(), 1, rs -> out.add(new AgentStateChange(
                            UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                            AgentPhase.valueOf(rs.getString(4)), AgentPhase.valueOf(rs.getString(5)),
                            rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)),
                            Optional.ofNullable(rs.getString(8)), rs.getLong(9))));
        }
        return out;
    }

    /** Row counts per table, for checks and tests: {@code call_record}, {@code agent_state_change}, …. */
    public Map<String, Long> counts() throws SQLException {
        database.migrate();
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection con = database.dataSource().getConnection(); Statement st = con.createStatement()) {
            for (String t : List.of("call_record", "call_ivr_step", "call_queue_visit", "call_offer", "call_transfer",
                    "agent_state_change")) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + t)) {
                    rs.next();
                    out.put(t, rs.getLong(1));
                }
            }
        }
        return out;
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(Connection con, String sql, long a, long b, long c, RowHandler handler)
            throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setFetchSize(1000);
            ps.setLong(1, a);
            ps.setLong(2, b);
            ps.setLong(3, c);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    private static OptionalInt optionalInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
    }

    private static void setString(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setInstant(PreparedStatement ps, int i, Optional<Instant> v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.get().toEpochMilli());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    private static void setInt(PreparedStatement ps, int i, OptionalInt v) throws SQLException {
        if (v.isPresent()) {
            ps.setInt(i, v.getAsInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }
}
