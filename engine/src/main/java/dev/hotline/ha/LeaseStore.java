package dev.hotline.ha;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Table {@code ha_lease} (Flyway {@code V40__ha_lease.sql}) over JDBC. Every change is one conditional UPDATE of
 * the single row — a compare-and-set that reports, by its count of changed rows, whether it won — so it needs no
 * lock function: it works on one MariaDB and on a Galera cluster (where a losing concurrent change fails
 * certification: an error, which the caller treats as a lost attempt). Blocks on the database: called from
 * {@link Leadership}'s own thread and from writers' threads, never from an event loop or the ACD loop.
 */
public final class LeaseStore {

    static final String LEASE = "engine";

    private final DataSource dataSource;
    private final InstantSource clock;
    private final int timeoutSeconds;

    /** {@code timeout}: each statement's time-out (JDBC counts whole seconds; at least 1). */
    public LeaseStore(DataSource dataSource, InstantSource clock, Duration timeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    public LeaseRow read() throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            return read(con);
        }
    }

    private LeaseRow read(Connection con) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(
                "SELECT holder, fence, version, holder_url FROM ha_lease WHERE lease_name = ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, LEASE);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("ha_lease has no row '" + LEASE + "' (expected: the row Flyway's"
                            + " V40__ha_lease.sql inserts; was it deleted by hand?)");
                }
                return new LeaseRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4));
            }
        }
    }

    /** Renews term {@code fence} of {@code holder}: false when the row is no longer theirs. */
    public boolean renew(String holder, long fence) throws SQLException {
        return update("UPDATE ha_lease SET version = version + 1, renewed_ms = ? "
                + "WHERE lease_name = ? AND holder = ? AND fence = ?", clock.millis(), LEASE, holder, fence) == 1;
    }

    /**
     * Takes the lease for {@code holder} if it is still at {@code seen}'s version; the new term's fencing number is
     * {@code seen.fence() + 1} (the version did not move, so neither did the fence). Empty when another change won.
     */
    public java.util.OptionalLong takeOver(LeaseRow seen, String holder, String url) throws SQLException {
        int changed = update("UPDATE ha_lease SET holder = ?, holder_url = ?, fence = fence + 1, "
                + "version = version + 1, renewed_ms = ? WHERE lease_name = ? AND version = ?", holder, url,
                clock.millis(), LEASE, seen.version());
        return changed == 1 ? java.util.OptionalLong.of(seen.fence() + 1) : java.util.OptionalLong.empty();
    }

    /** Gives term {@code fence} up (clean stop) so the standby takes over at its next read; false if not held. */
    public boolean release(String holder, long fence) throws SQLException {
        return update("UPDATE ha_lease SET holder = '', holder_url = '', version = version + 1, renewed_ms = ? "
                + "WHERE lease_name = ? AND holder = ? AND fence = ?", clock.millis(), LEASE, holder, fence) == 1;
    }

    /**
     * Inside the caller's transaction: puts the lease row into it, if {@code holder} still holds term
     * {@code fence}; false otherwise (nothing changed). The row stays locked until the caller commits, so no takeover
     * commits in between. A process frozen between this and its commit (SIGSTOP, a paused VM) would keep the row
     * locked, and the standby from taking over, for as long as it is frozen: the session's transaction is therefore
     * made to end by the server after {@code idleSeconds} without a statement (MariaDB's
     * {@code idle_transaction_timeout}: the connection is closed, the transaction rolled back, the lock released; the
     * frozen writer's commit then fails).
     */
    public static boolean guard(Connection con, String holder, long fence, int timeoutSeconds, int idleSeconds)
            throws SQLException {
        if (con.getAutoCommit()) {
            throw new IllegalStateException("fence guard: the connection is in auto-commit mode (expected: inside"
                    + " the writer's transaction, so the write and the check commit together)");
        }
        try (java.sql.Statement st = con.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.execute("SET SESSION idle_transaction_timeout = " + Math.max(1, idleSeconds));
        }
        try (PreparedStatement ps = con.prepareStatement("UPDATE ha_lease SET guarded_writes = guarded_writes + 1 "
                + "WHERE lease_name = ? AND holder = ? AND fence = ?")) {
            ps.setQueryTimeout(timeoutSeconds);
            ps.setString(1, LEASE);
            ps.setString(2, holder);
            ps.setLong(3, fence);
            return ps.executeUpdate() == 1;
        }
    }

    int timeoutSeconds() {
        return timeoutSeconds;
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection con = dataSource.getConnection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setQueryTimeout(timeoutSeconds);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
