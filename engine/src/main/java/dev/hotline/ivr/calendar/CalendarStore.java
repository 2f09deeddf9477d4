package dev.hotline.ivr.calendar;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Table {@code business_calendar} (Flyway {@code V4__users_calendars.sql}) over JDBC, the same SQL on MariaDB and
 * H2. Every method blocks on the database: call it from a worker or virtual thread, never an event loop.
 */
final class CalendarStore {

    private static final Logger log = LoggerFactory.getLogger(CalendarStore.class);
    private static final String COLUMNS = "name, definition, enabled, created_ms, updated_ms, updated_by";

    private final DataSource dataSource;

    public CalendarStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every readable calendar row by name; a row whose definition no longer reads is logged and left out. */
    public List<StoredCalendar> all() throws SQLException {
        List<StoredCalendar> out = new ArrayList<>();
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS + " FROM business_calendar ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                read(rs).ifPresent(out::add);
            }
        }
        return out;
    }

    public Optional<StoredCalendar> find(String name) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + COLUMNS
                     + " FROM business_calendar WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs) : Optional.empty();
            }
        }
    }

    /** Inserts or replaces the row of {@code c.name()}; the first {@code createdAt} stays. */
    public void save(StoredCalendar c) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            con.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = con.prepareStatement("UPDATE business_calendar SET definition = ?, "
                        + "enabled = ?, updated_ms = ?, updated_by = ? WHERE name = ?")) {
                    ps.setString(1, c.definition());
                    ps.setBoolean(2, c.enabled());
                    ps.setLong(3, c.updatedAt().toEpochMilli());
                    ps.setString(4, c.updatedBy());
                    ps.setString(5, c.name());
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (PreparedStatement ps = con.prepareStatement("INSERT INTO business_calendar (" + COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, c.name());
                        ps.setString(2, c.definition());
                        ps.setBoolean(3, c.enabled());
                        ps.setLong(4, c.createdAt().toEpochMilli());
                        ps.setLong(5, c.updatedAt().toEpochMilli());
                        ps.setString(6, c.updatedBy());
                        ps.executeUpdate();
                    }
                }
                con.commit();
            } catch (SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            }
        }
    }

    /** Enables or disables a row; false when there is none. */
    public boolean setEnabled(String name, boolean enabled, Instant at, String by) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE business_calendar SET enabled = ?, updated_ms = ?, "
                     + "updated_by = ? WHERE name = ?")) {
            ps.setBoolean(1, enabled);
            ps.setLong(2, at.toEpochMilli());
            ps.setString(3, by);
            ps.setString(4, name);
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<StoredCalendar> read(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        String definition = rs.getString(2);
        CalendarDefinition.Result r = CalendarDefinition.read(name, definition);
        if (!r.valid()) {
            log.error("calendar {} in table business_calendar does not read ({}); left out", name, r.problems());
            return Optional.empty();
        }
        return Optional.of(new StoredCalendar(name, definition, r.calendar().get(), rs.getBoolean(3),
                Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), rs.getString(6)));
    }
}
