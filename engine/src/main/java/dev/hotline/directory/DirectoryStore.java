package dev.hotline.directory;

import dev.hotline.ha.Fence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Tables {@code directory_agent}, {@code directory_queue} and {@code directory_skill} (Flyway
 * {@code V3__directory.sql}) over JDBC, the same SQL on MariaDB and H2. Every method blocks on the database: the
 * {@link Directory} calls it from its own thread, never from the ACD loop or a Netty event loop.
 */
public final class DirectoryStore {

    /** One stored agent or queue: its id, its definition document (JSON) and its state. */
    public record Row(String id, String definition, boolean disabled, Instant updatedAt, String updatedBy) {
    }

    /** One stored skill. */
    public record SkillRow(String name, String description, boolean disabled, Instant updatedAt, String updatedBy) {
    }

    /** Everything stored. */
    public record Contents(List<Row> agents, List<Row> queues, List<SkillRow> skills) {
    }

    private final DataSource dataSource;
    /** Only the active engine of a pair writes: every save puts the lease into its transaction (issue 16). */
    private volatile Fence fence = Fence.SINGLE;

    public DirectoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The fence every save passes before it commits ({@link Fence#SINGLE} for a single engine). */
    public DirectoryStore fence(Fence f) {
        this.fence = java.util.Objects.requireNonNull(f, "fence");
        return this;
    }

    public Contents load() throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            return new Contents(rows(con, "directory_agent", "agent_id"), rows(con, "directory_queue", "queue_name"),
                    skills(con));
        }
    }

    private static List<Row> rows(Connection con, String table, String key) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT " + key + ", definition, disabled, updated_ms, "
                + "updated_by FROM " + table + " ORDER BY " + key);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
            }
        }
        return out;
    }

    private static List<SkillRow> skills(Connection con) throws SQLException {
        List<SkillRow> out = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT skill_name, description, disabled, updated_ms, "
                + "updated_by FROM directory_skill ORDER BY skill_name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SkillRow(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5)));
            }
        }
        return out;
    }

    public void saveAgent(Row row) throws SQLException {
        save("directory_agent", "agent_id", "definition", row.id(), row.definition(), row.disabled(),
                row.updatedAt(), row.updatedBy());
    }

    public void saveQueue(Row row) throws SQLException {
        save("directory_queue", "queue_name", "definition", row.id(), row.definition(), row.disabled(),
                row.updatedAt(), row.updatedBy());
    }

    public void saveSkill(SkillRow row) throws SQLException {
        save("directory_skill", "skill_name", "description", row.name(), row.description(), row.disabled(),
                row.updatedAt(), row.updatedBy());
    }

    /** Update, or insert when there is no row yet; one transaction. */
    private void save(String table, String key, String text, String id, String value, boolean disabled,
                      Instant at, String by) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                int updated;
                try (PreparedStatement ps = con.prepareStatement("UPDATE " + table + " SET " + text
                        + " = ?, disabled = ?, updated_ms = ?, updated_by = ? WHERE " + key + " = ?")) {
                    ps.setString(1, value);
                    ps.setBoolean(2, disabled);
                    ps.setLong(3, at.toEpochMilli());
                    ps.setString(4, by);
                    ps.setString(5, id);
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    try (PreparedStatement ps = con.prepareStatement("INSERT INTO " + table + " (" + key + ", "
                            + text + ", disabled, updated_ms, updated_by) VALUES (?, ?, ?, ?, ?)")) {
                        ps.setString(1, id);
                        ps.setString(2, value);
                        ps.setBoolean(3, disabled);
                        ps.setLong(4, at.toEpochMilli());
                        ps.setString(5, by);
                        ps.executeUpdate();
                    }
                }
                fence.guard(con, "directory change of " + table + " " + id);
                con.commit();
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
                    // the connection is going back to the pool, which resets it
                }
            }
        }
    }
}
