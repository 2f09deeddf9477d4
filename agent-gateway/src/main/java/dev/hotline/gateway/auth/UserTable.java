package dev.hotline.gateway.auth;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Table {@code gateway_user} (Flyway {@code V4__users_calendars.sql} in the engine) over JDBC, the same SQL on
 * MariaDB and H2. Teams are stored comma-separated (team names cannot hold a comma). Every method blocks on the
 * database: call it from a worker thread, never a Netty event loop.
 */
public final class UserTable {

    private static final String COLUMNS = "username, password_hash, role, agent_id, teams, enabled, origin, "
            + "created_ms, updated_ms, updated_by";

    private final DataSource dataSource;

    public UserTable(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<UserAccount> all() throws SQLException {
        List<UserAccount> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS + " FROM gateway_user ORDER BY username");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    public Optional<UserAccount> find(String username) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS
                     + " FROM gateway_user WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Inserts a new user; false (nothing changed) when the username exists already, whoever inserted it.
     */
    public boolean insert(UserAccount a) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            if (exists(con, a.username())) {
                return false;
            }
            try (PreparedStatement ps = con.prepareStatement("INSERT INTO gateway_user (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(ps, a);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false;
                }
                throw e;
            }
        }
    }

    /** Replaces every column but the username, origin and creation time; false when there is no such user. */
    public boolean update(UserAccount a) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE gateway_user SET password_hash = ?, role = ?, "
                     + "agent_id = ?, teams = ?, enabled = ?, updated_ms = ?, updated_by = ? WHERE username = ?")) {
            User u = a.user();
            ps.setString(1, u.passwordHash());
            ps.setString(2, u.role().wireName());
            if (u.agentId().isPresent()) {
                ps.setString(3, u.agentId().get());
            } else {
                ps.setNull(3, Types.VARCHAR);
            }
            ps.setString(4, String.join(",", new TreeSet<>(u.teams())));
            ps.setBoolean(5, a.enabled());
            ps.setLong(6, a.updatedAt().toEpochMilli());
            ps.setString(7, a.updatedBy());
            ps.setString(8, a.username());
            return ps.executeUpdate() == 1;
        }
    }

    private static boolean exists(Connection con, String username) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("SELECT 1 FROM gateway_user WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void bind(PreparedStatement ps, UserAccount a) throws SQLException {
        User u = a.user();
        ps.setString(1, u.username());
        ps.setString(2, u.passwordHash());
        ps.setString(3, u.role().wireName());
        if (u.agentId().isPresent()) {
            ps.setString(4, u.agentId().get());
        } else {
            ps.setNull(4, Types.VARCHAR);
        }
        ps.setString(5, String.join(",", new TreeSet<>(u.teams())));
        ps.setBoolean(6, a.enabled());
        ps.setString(7, a.origin());
        ps.setLong(8, a.createdAt().toEpochMilli());
        ps.setLong(9, a.updatedAt().toEpochMilli());
        ps.setString(10, a.updatedBy());
    }

    private static UserAccount read(ResultSet rs) throws SQLException {
        String username = rs.getString(1);
        String roleText = rs.getString(3);
        Role role = Role.parse(roleText).orElseThrow(() -> new SQLException("gateway_user " + username
                + ": role '" + roleText + "' (expected: " + Role.expected() + ")"));
        String teams = rs.getString(5);
        Set<String> teamSet = teams == null || teams.isEmpty() ? Set.of()
                : Set.copyOf(Arrays.asList(teams.split(",")));
        User u = new User(username, rs.getString(2), role, Optional.ofNullable(rs.getString(4)), teamSet);
        return new UserAccount(u, rs.getBoolean(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
                Instant.ofEpochMilli(rs.getLong(9)), rs.getString(10));
    }
}
