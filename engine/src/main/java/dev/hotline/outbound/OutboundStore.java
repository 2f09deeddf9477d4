package dev.hotline.outbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outbound tables (Flyway {@code V30__outbound.sql}) over JDBC; the same SQL on MariaDB and H2. Every method
 * blocks on the database: call it from the outbound service's own thread or a gateway worker, never from the ACD
 * loop or an event loop.
 */
public final class OutboundStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAMPAIGN_COLUMNS = "campaign_id, name, queue_name, mode, caller_id, hours_window,"
            + " hours_days, default_zone, retry_rules, amd, machine_action, abandon_cap, script, dispositions, status,"
            + " created_ms, updated_ms, updated_by";
    private static final String CONTACT_COLUMNS = "contact_id, campaign_id, phone_number, contact_name, zone, fields,"
            + " source_line, status, attempts, next_ms, last_outcome";
    private static final String ATTEMPT_COLUMNS = "attempt_id, campaign_id, contact_id, phone_number, mode, started_ms,"
            + " answered_ms, ended_ms, outcome, amd_result, agent_id, agent_wait_ms, talk_ms, wrap_ms, disposition,"
            + " right_party";

    private final DataSource dataSource;

    public OutboundStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ------------------------------------------------------------------ campaigns

    /** Inserts or replaces the campaign. */
    public void save(Campaign c) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            boolean exists;
            try (PreparedStatement ps = con.prepareStatement("SELECT 1 FROM outbound_campaign WHERE campaign_id = ?")) {
                ps.setString(1, c.id());
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            String sql = exists
                    ? "UPDATE outbound_campaign SET name = ?, queue_name = ?, mode = ?, caller_id = ?, hours_window = ?,"
                    + " hours_days = ?, default_zone = ?, retry_rules = ?, amd = ?, machine_action = ?, abandon_cap = ?,"
                    + " script = ?, dispositions = ?, status = ?, created_ms = created_ms, updated_ms = ?, updated_by = ?"
                    + " WHERE campaign_id = ?"
                    : "INSERT INTO outbound_campaign (name, queue_name, mode, caller_id, hours_window, hours_days,"
                    + " default_zone, retry_rules, amd, machine_action, abandon_cap, script, dispositions, status,"
                    + " updated_ms, updated_by, campaign_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?)";
            try (PreparedStatement ps = con.prepareStatement(sql)) {
                ps.setString(1, c.name());
                ps.setString(2, c.queue());
                ps.setString(3, c.mode().wireName());
                ps.setString(4, c.callerId());
                ps.setString(5, c.hours().from() + "-" + c.hours().to());
                ps.setString(6, days(c.hours()));
                ps.setString(7, c.defaultZone().getId());
                ps.setString(8, c.retry().format());
                ps.setBoolean(9, c.amd());
                ps.setString(10, c.machineAction().wireName());
                ps.setDouble(11, c.abandonCapPct());
                ps.setString(12, c.script());
                ps.setString(13, String.join(",", c.dispositions()));
                ps.setString(14, c.status().wireName());
                ps.setLong(15, c.updatedAt().toEpochMilli());
                ps.setString(16, c.updatedBy());
                ps.setString(17, c.id());
                if (!exists) {
                    ps.setLong(18, c.updatedAt().toEpochMilli());
                }
                ps.executeUpdate();
            }
        }
    }

    private static String days(CallingHours h) {
        return String.join(",", h.days().stream().sorted()
                .map(d -> d.name().substring(0, 3).toLowerCase(java.util.Locale.ROOT)).toList());
    }

    public Optional<Campaign> campaign(String id) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                     + " FROM outbound_campaign WHERE campaign_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(campaign(rs)) : Optional.empty();
            }
        }
    }

    /** Every campaign, by id. */
    public List<Campaign> campaigns() throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + CAMPAIGN_COLUMNS
                     + " FROM outbound_campaign ORDER BY campaign_id")) {
            List<Campaign> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(campaign(rs));
                }
            }
            return out;
        }
    }

    private static Campaign campaign(ResultSet rs) throws SQLException {
        return new Campaign(rs.getString(1), rs.getString(2), rs.getString(3), DialMode.parse(rs.getString(4)),
                rs.getString(5), CallingHours.parse(rs.getString(6), rs.getString(7)), ZoneId.of(rs.getString(8)),
                RetryRules.parse(rs.getString(9)), rs.getBoolean(10), Campaign.MachineAction.parse(rs.getString(11)),
                rs.getDouble(12), rs.getString(13),
                rs.getString(14).isEmpty() ? List.of() : List.of(rs.getString(14).split(",")),
                Campaign.Status.valueOf(rs.getString(15).toUpperCase(java.util.Locale.ROOT)),
                Instant.ofEpochMilli(rs.getLong(17)), rs.getString(18));
    }

    // ------------------------------------------------------------------ contacts

    /** Adds imported contacts in one transaction. */
    public void insert(List<Contact> contacts) throws SQLException {
        try (Connection con = dataSource.getConnection()) {
            boolean auto = con.getAutoCommit();
            con.setAutoCommit(false);
            try (PreparedStatement ps = con.prepareStatement("INSERT INTO outbound_contact (" + CONTACT_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Contact c : contacts) {
                    ps.setString(1, c.id());
                    ps.setString(2, c.campaign());
                    ps.setString(3, c.number());
                    ps.setString(4, c.name());
                    ps.setString(5, c.zone().getId());
                    ps.setString(6, json(c.fields()));
                    ps.setInt(7, c.line());
                    bindState(ps, 8, c);
                    ps.addBatch();
                }
                ps.executeBatch();
                con.commit();
            } catch (SQLException e) {
                con.rollback();
                throw e;
            } finally {
                con.setAutoCommit(auto);
            }
        }
    }

    private static void bindState(PreparedStatement ps, int i, Contact c) throws SQLException {
        ps.setString(i, c.status().name());
        ps.setInt(i + 1, c.attempts());
        ps.setLong(i + 2, c.nextAt().toEpochMilli());
        if (c.lastOutcome().isPresent()) {
            ps.setString(i + 3, c.lastOutcome().get().wireName());
        } else {
            ps.setNull(i + 3, Types.VARCHAR);
        }
    }

    /** Stores a contact's new state (status, attempts, next dial, last outcome). */
    public void update(Contact c) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE outbound_contact SET status = ?, attempts = ?,"
                     + " next_ms = ?, last_outcome = ? WHERE contact_id = ?")) {
            bindState(ps, 1, c);
            ps.setString(5, c.id());
            ps.executeUpdate();
        }
    }

    /** The campaign's numbers (de-duplication of a later import). */
    public Set<String> numbers(String campaign) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement(
                     "SELECT phone_number FROM outbound_contact WHERE campaign_id = ?")) {
            ps.setString(1, campaign);
            Set<String> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** How many contacts the campaign has (the next import numbers its contacts after them). */
    public int contactCount(String campaign) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement(
                     "SELECT COUNT(*) FROM outbound_contact WHERE campaign_id = ?")) {
            ps.setString(1, campaign);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Pending contacts due at {@code now}, earliest first, at most {@code limit}. */
    public List<Contact> due(String campaign, Instant now, int limit) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + CONTACT_COLUMNS + " FROM outbound_contact"
                     + " WHERE campaign_id = ? AND status = 'PENDING' AND next_ms <= ? ORDER BY next_ms, source_line"
                     + " LIMIT ?")) {
            ps.setString(1, campaign);
            ps.setLong(2, now.toEpochMilli());
            ps.setInt(3, limit);
            return contacts(ps);
        }
    }

    /** Contacts left in {@link Contact.Status#DIALLING} (an attempt cut short by a stop): made pending again. */
    public int releaseDialling(String campaign) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE outbound_contact SET status = 'PENDING'"
                     + " WHERE campaign_id = ? AND status = 'DIALLING'")) {
            ps.setString(1, campaign);
            return ps.executeUpdate();
        }
    }

    public Optional<Contact> contact(String id) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + CONTACT_COLUMNS
                     + " FROM outbound_contact WHERE contact_id = ?")) {
            ps.setString(1, id);
            return contacts(ps).stream().findFirst();
        }
    }

    /** Contacts per status. */
    public Map<Contact.Status, Integer> statusCounts(String campaign) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT status, COUNT(*) FROM outbound_contact"
                     + " WHERE campaign_id = ? GROUP BY status")) {
            ps.setString(1, campaign);
            Map<Contact.Status, Integer> out = new EnumMap<>(Contact.Status.class);
            for (Contact.Status s : Contact.Status.values()) {
                out.put(s, 0);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(Contact.Status.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
            return out;
        }
    }

    private static List<Contact> contacts(PreparedStatement ps) throws SQLException {
        List<Contact> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String last = rs.getString(11);
                out.add(new Contact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        ZoneId.of(rs.getString(5)), fields(rs.getString(6)), rs.getInt(7),
                        Contact.Status.valueOf(rs.getString(8)), rs.getInt(9), Instant.ofEpochMilli(rs.getLong(10)),
                        last == null ? Optional.empty() : Optional.of(Outcome.parse(last))));
            }
        }
        return out;
    }

    private static String json(Map<String, String> fields) {
        try {
            String s = JSON.writeValueAsString(fields);
            if (s.length() > 4000) {
                throw new IllegalArgumentException("contact fields: " + s.length()
                        + " characters (expected: at most 4000 in all)");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> fields(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outbound_contact.fields: not JSON: " + e.getOriginalMessage());
        }
    }

    // ------------------------------------------------------------------ attempts

    public void insert(Attempt a) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("INSERT INTO outbound_attempt (" + ATTEMPT_COLUMNS
                     + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.campaign());
            ps.setString(3, a.contact());
            ps.setString(4, a.number());
            ps.setString(5, a.mode().wireName());
            ps.setLong(6, a.startedAt().toEpochMilli());
            if (a.answeredAt().isPresent()) {
                ps.setLong(7, a.answeredAt().get().toEpochMilli());
            } else {
                ps.setNull(7, Types.BIGINT);
            }
            ps.setLong(8, a.endedAt().toEpochMilli());
            ps.setString(9, a.outcome().wireName());
            ps.setString(10, a.amdResult());
            if (a.agent().isPresent()) {
                ps.setString(11, a.agent().get());
            } else {
                ps.setNull(11, Types.VARCHAR);
            }
            if (a.agentWait().isPresent()) {
                ps.setLong(12, a.agentWait().get().toMillis());
            } else {
                ps.setNull(12, Types.BIGINT);
            }
            ps.setLong(13, a.talk().toMillis());
            ps.setLong(14, a.wrapUp().toMillis());
            ps.setString(15, a.disposition());
            ps.setBoolean(16, a.rightParty());
            ps.executeUpdate();
        }
    }

    /** The outcomes of a contact's attempts so far, in order. */
    public List<Outcome> outcomes(String contactId) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT outcome FROM outbound_attempt WHERE contact_id = ?"
                     + " ORDER BY started_ms, attempt_id")) {
            ps.setString(1, contactId);
            List<Outcome> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Outcome.parse(rs.getString(1)));
                }
            }
            return out;
        }
    }

    /** Sets an attempt's wrap-up time (known when the agent's wrap-up ends). */
    public void updateWrapUp(Attempt a) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE outbound_attempt SET wrap_ms = ? WHERE attempt_id = ?")) {
            ps.setLong(1, a.wrapUp().toMillis());
            ps.setString(2, a.id());
            ps.executeUpdate();
        }
    }

    /** Sets an attempt's disposition (and whether it is a right-party contact). */
    public void updateDisposition(Attempt a) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("UPDATE outbound_attempt SET disposition = ?, right_party = ?"
                     + " WHERE attempt_id = ?")) {
            ps.setString(1, a.disposition());
            ps.setBoolean(2, a.rightParty());
            ps.setString(3, a.id());
            ps.executeUpdate();
        }
    }

    /** The campaign's attempts started in {@code [from, to)}, in order; every campaign's when {@code campaign} is empty. */
    public List<Attempt> attempts(Optional<String> campaign, Instant from, Instant to) throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT " + ATTEMPT_COLUMNS + " FROM outbound_attempt"
                     + " WHERE started_ms >= ? AND started_ms < ?" + (campaign.isPresent() ? " AND campaign_id = ?" : "")
                     + " ORDER BY started_ms, attempt_id")) {
            ps.setLong(1, from.toEpochMilli());
            ps.setLong(2, to.toEpochMilli());
            if (campaign.isPresent()) {
                ps.setString(3, campaign.get());
            }
            List<Attempt> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long answered = rs.getLong(7);
                    boolean noAnswer = rs.wasNull();
                    String agent = rs.getString(11);
                    long wait = rs.getLong(12);
                    boolean noWait = rs.wasNull();
                    out.add(new Attempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            DialMode.parse(rs.getString(5)), Instant.ofEpochMilli(rs.getLong(6)),
                            noAnswer ? Optional.empty() : Optional.of(Instant.ofEpochMilli(answered)),
                            Instant.ofEpochMilli(rs.getLong(8)), Outcome.parse(rs.getString(9)), rs.getString(10),
                            Optional.ofNullable(agent), noWait ? Optional.empty() : Optional.of(Duration.ofMillis(wait)),
                            Duration.ofMillis(rs.getLong(13)), Duration.ofMillis(rs.getLong(14)), rs.getString(15),
                            rs.getBoolean(16)));
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------ do not call

    /** Adds a number to the do-not-call list (idempotent). */
    public void addDoNotCall(String number, String by, Instant at) throws SQLException {
        String digits = PhoneNumbers.dialDigits(PhoneNumbers.normalize(number));
        try (Connection con = dataSource.getConnection()) {
            try (PreparedStatement ps = con.prepareStatement("INSERT INTO do_not_call (phone_digits, added_ms, added_by)"
                    + " VALUES (?, ?, ?)")) {
                ps.setString(1, digits);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, by);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                    throw e;
                }
            }
        }
    }

    public boolean removeDoNotCall(String number) throws SQLException {
        String digits = PhoneNumbers.dialDigits(PhoneNumbers.normalize(number));
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("DELETE FROM do_not_call WHERE phone_digits = ?")) {
            ps.setString(1, digits);
            return ps.executeUpdate() > 0;
        }
    }

    public List<String> doNotCall() throws SQLException {
        try (Connection con = dataSource.getConnection();
             PreparedStatement ps = con.prepareStatement("SELECT phone_digits FROM do_not_call ORDER BY phone_digits")) {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
