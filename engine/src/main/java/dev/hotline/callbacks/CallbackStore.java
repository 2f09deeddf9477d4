package dev.hotline.callbacks;

import dev.hotline.ha.Fence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Table {@code callback} (Flyway {@code V2__callbacks.sql}, {@code V5__callback_name.sql},
 * {@code V6__callback_request_key.sql}) over JDBC; the same SQL on MariaDB and H2. Every
 * method blocks on the database: call it from a virtual thread or the callbacks' own thread, never from the ACD
 * loop or an event loop.
 */
public final class CallbackStore {

    private static final String COLUMNS = "callback_id, kind, queue_name, phone_number, caller_name, requested_ms, "
            + "due_ms, owner_agent, note, status, attempts, not_before_ms, agent_id, finished_ms, last_result, name_file";

    private final DataSource dataSource;
    /** Only the active engine of a pair writes callbacks: every change puts the lease into its transaction. */
    private final Fence fence;

    public CallbackStore(DataSource dataSource) {
        this(dataSource, Fence.SINGLE);
    }

    /** With the fence of an active/standby pair (issue 16): a change commits only while this engine holds the lease. */
    public CallbackStore(DataSource dataSource, Fence fence) {
        this.dataSource = dataSource;
        this.fence = java.util.Objects.requireNonNull(fence, "fence");
    }

    /** The fence the writes pass; the dialler asks it before every attempt. */
    public Fence fence() {
        return fence;
    }

    @FunctionalInterface
    private interface Write<T> {
        T run(Connection con) throws SQLException;
    }

    /** {@code write} and the fence's guard in one transaction: both commit or neither does. */
    private <T> T fenced(Connection con, String what, Write<T> write) throws SQLException {
        con.setAutoCommit(false);
        try {
            T result = write.run(con);
            fence.guard(con, what);
            con.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                con.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                con.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection goes back to the pool, which resets it
            }
        }
    }

    /**
     * Stores a new callback. Idempotent: if one with the same id exists, nothing changes and the stored one is
     * returned (a request retried after a timeout or a restart never creates a second callback).
     */
    public Callback insert(Callback c) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            Optional<Callback> existing = find(con, c.id());
            if (existing.isPresent()) {
                return existing.get();
            }
            try {
                return fenced(con, "callback " + c.id(), x -> insert(x, c));
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    // Inserted by someone else in between: theirs stands.
                    return find(con, c.id()).orElseThrow(() -> e);
                }
                throw e;
            }
        }
    }

    private static Callback insert(Connection con, Callback c) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO callback (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, c.id());
            ps.setString(2, c.kind().name());
            ps.setString(3, c.queue());
            ps.setString(4, c.number());
            ps.setString(5, c.callerName());
            ps.setLong(6, c.requestedAt().toEpochMilli());
            ps.setLong(7, c.dueAt().toEpochMilli());
            setNullable(ps, 8, c.owner());
            ps.setString(9, c.note());
            bindState(ps, 10, c);
            ps.setString(16, c.nameFile());
            ps.executeUpdate();
            return c;
        }
    }

    /**
     * Stores a new scheduled callback, idempotent by {@code key} when given: if that user already stored a callback
     * under that key, nothing changes and theirs is returned (whatever it holds: the caller compares). The key of
     * another user is another callback.
     */
    public Callback insertScheduled(Callback c, Optional<RequestKey> key) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            if (key.isPresent()) {
                Optional<Callback> existing = findByKey(con, key.get());
                if (existing.isPresent()) {
                    return existing.get();
                }
            }
            try {
                return fenced(con, "scheduled callback " + c.id(), x -> insertScheduled(x, c, key));
            } catch (SQLException e) {
                if (key.isPresent() && e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    // The same user's same request stored by another thread in between: theirs stands.
                    return findByKey(con, key.get()).orElseThrow(() -> e);
                }
                throw e;
            }
        }
    }

    private static Callback insertScheduled(Connection con, Callback c, Optional<RequestKey> key)
            throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO callback (" + COLUMNS
                + ", requested_by, request_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, c.id());
            ps.setString(2, c.kind().name());
            ps.setString(3, c.queue());
            ps.setString(4, c.number());
            ps.setString(5, c.callerName());
            ps.setLong(6, c.requestedAt().toEpochMilli());
            ps.setLong(7, c.dueAt().toEpochMilli());
            setNullable(ps, 8, c.owner());
            ps.setString(9, c.note());
            bindState(ps, 10, c);
            ps.setString(16, c.nameFile());
            setNullable(ps, 17, key.map(RequestKey::user));
            setNullable(ps, 18, key.map(RequestKey::key));
            ps.executeUpdate();
            return c;
        }
    }

    /**
     * A client's idempotency key for a scheduled callback, scoped to the user who sent it.
     *
     * @param user who asked (the gateway's username)
     * @param key  their key: 1-64 characters
     */
    public record RequestKey(String user, String key) {
        public RequestKey {
            java.util.Objects.requireNonNull(user, "user");
            java.util.Objects.requireNonNull(key, "key");
            if (user.isBlank() || user.length() > 64) {
                throw new IllegalArgumentException("request key user: '" + user + "' (expected: 1-64 characters)");
            }
            if (key.isBlank() || key.length() > 64) {
                throw new IllegalArgumentException("request key: '" + key + "' (expected: 1-64 characters)");
            }
        }
    }

    private static Optional<Callback> findByKey(Connection con, RequestKey key) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS
                + " FROM callback WHERE requested_by = ? AND request_key = ?")) {
            ps.setString(1, key.user());
            ps.setString(2, key.key());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * A claim on a callback being dialled: by the engine of term {@code fence} (0: a single engine), at {@code at},
     * for {@code agent}'s attempt.
     */
    public record Claim(String id, long fence, Instant at, String agent) {
    }

    /**
     * Claims pending callback {@code id} for an attempt by {@code agent}, before its Originate: one transaction that
     * sets the claim (this engine's fencing number, {@code at}) only if the callback is still pending and unclaimed,
     * and passes the fence's guard. False when it is not pending or already claimed (an attempt of an earlier term
     * not yet resolved); {@link dev.hotline.ha.FencedOutException} when this engine no longer holds the lease. Only
     * after true may the callback be dialled: each claim is dialled at most once.
     */
    public boolean claim(String id, String agent, Instant at) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            return fenced(con, "dialling callback " + id, x -> {
                try (PreparedStatement ps = x.prepareStatement("UPDATE callback SET dialling_fence = ?, dialling_ms = ?,"
                        + " agent_id = ? WHERE callback_id = ? AND status = 'PENDING' AND dialling_fence IS NULL")) {
                    ps.setLong(1, fence.number());
                    ps.setLong(2, at.toEpochMilli());
                    ps.setString(3, agent);
                    ps.setString(4, id);
                    return ps.executeUpdate() == 1;
                }
            });
        }
    }

    /** The pending callbacks claimed for an attempt whose outcome is not stored yet, by id. */
    public Map<String, Claim> claims() throws SQLException {
        try (Connection con = dataSource.getConnection(); PreparedStatement ps = con.prepareStatement(
                "SELECT callback_id, dialling_fence, dialling_ms, agent_id FROM callback WHERE status = 'PENDING' "
                        + "AND dialling_fence IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            Map<String, Claim> out = new java.util.LinkedHashMap<>();
            while (rs.next()) {
                String agent = rs.getString(4);
                out.put(rs.getString(1), new Claim(rs.getString(1), rs.getLong(2), Instant.ofEpochMilli(rs.getLong(3)),
                        agent == null ? "" : agent));
            }
            return out;
        }
    }

    /**
     * Writes the state columns (status, attempts, not before, agent, finished, last result) of {@code c}, and clears
     * its claim: an attempt's outcome, or any other change, ends the attempt.
     */
    public void update(Callback c) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            fenced(con, "callback " + c.id(), x -> {
                try (PreparedStatement ps = x.prepareStatement("UPDATE callback SET status = ?, attempts = ?, "
                        + "not_before_ms = ?, agent_id = ?, finished_ms = ?, last_result = ?, dialling_fence = NULL, "
                        + "dialling_ms = NULL WHERE callback_id = ?")) {
                    bindState(ps, 1, c);
                    ps.setString(7, c.id());
                    if (ps.executeUpdate() != 1) {
                        throw new SQLException("callback " + c.id() + " is not in table callback");
                    }
                    return c;
                }
            });
        }
    }

    private static void bindState(PreparedStatement ps, int from, Callback c) throws SQLException {
        ps.setString(from, c.status().name());
        ps.setInt(from + 1, c.attempts());
        ps.setLong(from + 2, c.notBefore().toEpochMilli());
        setNullable(ps, from + 3, c.agentId());
        if (c.finishedAt().isPresent()) {
            ps.setLong(from + 4, c.finishedAt().get().toEpochMilli());
        } else {
            ps.setNull(from + 4, Types.BIGINT);
        }
        ps.setString(from + 5, c.lastResult());
    }

    private static void setNullable(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    public Optional<Callback> find(String id) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            return find(con, id);
        }
    }

    private static Optional<Callback> find(Connection con, String id) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS
                + " FROM callback WHERE callback_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Every pending callback, oldest promise first (then by id): the order they re-enter routing at a start. */
    public List<Callback> pending() throws SQLException {
        return query("SELECT " + COLUMNS + " FROM callback WHERE status = 'PENDING' ORDER BY due_ms, callback_id",
                ps -> { });
    }

    /** Pending callbacks whose due time is more than {@code grace} before {@code now}: promises about to be broken. */
    public List<Callback> overdue(Instant now, Duration grace) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM callback WHERE status = 'PENDING' AND due_ms < ? "
                + "ORDER BY due_ms, callback_id", ps -> ps.setLong(1, now.minus(grace).toEpochMilli()));
    }

    /** Callbacks requested in {@code [from, to)}, by request time. */
    public List<Callback> requested(Instant from, Instant to) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM callback WHERE requested_ms >= ? AND requested_ms < ? "
                + "ORDER BY requested_ms, callback_id", ps -> {
                    ps.setLong(1, from.toEpochMilli());
                    ps.setLong(2, to.toEpochMilli());
                });
    }

    /**
     * Per queue, callbacks requested in {@code [from, to)}: requested, completed (on time / late: finished before
     * or after due + {@code grace}), failed, cancelled, pending and overdue.
     */
    public Map<String, CallbackReport.Row> report(Instant from, Instant to, Instant now, Duration grace)
            throws SQLException {
        return fullReport(from, to, now, grace).byQueue();
    }

    /** As {@link #report}, per queue and per agent ({@link CallbackReport#agentOf}). */
    public CallbackReport.Report fullReport(Instant from, Instant to, Instant now, Duration grace)
            throws SQLException {
        return CallbackReport.Report.of(requested(from, to), now, grace);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Callback> query(String sql, Binder binder) throws SQLException {
        try (Connection con = dataSource.getConnection(); PreparedStatement ps = con.prepareStatement(sql)) {
            binder.bind(ps);
            List<Callback> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        }
    }

    private static Callback read(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_ms");
        Optional<Instant> finishedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(finished));
        return new Callback(rs.getString("callback_id"), Callback.Kind.valueOf(rs.getString("kind")),
                rs.getString("queue_name"), rs.getString("phone_number"), rs.getString("caller_name"),
                Instant.ofEpochMilli(rs.getLong("requested_ms")), Instant.ofEpochMilli(rs.getLong("due_ms")),
                Optional.ofNullable(rs.getString("owner_agent")), rs.getString("note"),
                Callback.Status.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("not_before_ms")), Optional.ofNullable(rs.getString("agent_id")),
                finishedAt, rs.getString("last_result"), rs.getString("name_file"));
    }
}
