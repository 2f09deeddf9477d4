package dev.hotline.gateway.ha;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HaConfig;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.ha.Leadership;
import dev.hotline.outbound.CallingHours;
import dev.hotline.outbound.Campaign;
import dev.hotline.outbound.Contact;
import dev.hotline.outbound.ContactImport;
import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Outbound;
import dev.hotline.outbound.RetryRules;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound dialler in an active/standby pair on one MariaDB (a database of this test's own): only the active
 * engine runs it (the standby has none, so it can never dial); when the active engine dies the new one resumes the
 * running campaign from the database (contacts the last engine left dialling are pending again); an engine that
 * loses the lease while running stops its dialler the moment it steps down.
 */
@Tag("slow")
class OutboundPairMariaDbTest {

    private static final String ADMIN_URL = "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000";
    private static final HaConfig HA = new HaConfig(true, Duration.ofSeconds(1), Duration.ofMillis(300),
            Duration.ofMillis(100), "");

    @TempDir
    Path dir;
    private String schema;
    private TestGateway a;
    private TestGateway b;

    @BeforeEach
    void createDatabase() {
        schema = "hl_blend_obpair_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "root", ""); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            String message = "MariaDB not reachable at 127.0.0.1:3306: " + e.getMessage();
            if ("1".equals(System.getenv("HOTLINE_REQUIRE_MARIADB"))) {
                throw new AssertionError(message + " (HOTLINE_REQUIRE_MARIADB=1)");
            }
            Assumptions.abort(message);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        for (TestGateway g : new TestGateway[] {b, a}) {
            if (g != null) {
                g.close();
            }
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "root", ""); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + schema);
        }
    }

    private TestGateway engine(String name) throws Exception {
        DatabaseConfig db = new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dir.resolve(name + "-data"),
                "jdbc:mariadb://127.0.0.1:3306/" + schema, "root", Secret.NONE, 2);
        return TestGateway.in(dir.resolve(name)).engineName(name).database(db).admin("root")
                .ha(HA.withUrl("http://" + name + ".example:8080/")).start();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(20);   // polling a condition of another engine's threads, not timing
        }
    }

    private static Leadership lease(TestGateway g) {
        return g.engine().leadership().orElseThrow();
    }

    @Test
    void onlyTheActiveEngineRunsTheDiallerTheNextOneResumesTheCampaignAndTheOneSteppingDownStops() throws Exception {
        a = engine("hotline-a");
        assertThat(lease(a).mayAct()).isTrue();
        await("hotline-a's dialler", () -> a.engine().outbound().isPresent());
        Outbound first = a.engine().outbound().orElseThrow();
        first.save(new Campaign("renew", "Renewals", "sales", DialMode.PREVIEW, "",
                CallingHours.parse("00:00-23:59", "mon-sun"), ZoneOffset.UTC, RetryRules.defaults(), false,
                Campaign.MachineAction.RETRY, 3.0, "", List.of(), Campaign.Status.DRAFT, Instant.now(), "sam"));
        first.importContacts("renew", new StringReader("number\n5550101\n"), ContactImport.Mapping.of("number"),
                Map.of());
        first.setStatus("renew", Campaign.Status.RUNNING, "sam");
        // As if hotline-a had a call to this contact under way when it died.
        Contact c = first.store().contact("renew-1").orElseThrow();
        first.store().update(c.withStatus(Contact.Status.DIALLING));

        b = engine("hotline-b");
        await("hotline-b to read the lease", () -> lease(b).status().activeEngine().equals("hotline-a"));
        assertThat(b.engine().outbound()).as("the standby runs no dialler: it can never dial").isEmpty();

        // A third engine takes the lease (as after a partition): hotline-a's next renewal fails and it steps down,
        // still running; hotline-c then dies, so a standby takes over after a whole lease of no change.
        try (Connection con = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + schema, "root", "");
             Statement st = con.createStatement()) {
            assertThat(st.executeUpdate("UPDATE ha_lease SET holder = 'hotline-c', holder_url = '', fence = fence + 1,"
                    + " version = version + 1 WHERE lease_name = 'engine'")).isEqualTo(1);
        }
        await("hotline-a to step down", () -> !lease(a).mayAct());
        await("hotline-a's dialler to stop", () -> a.engine().outbound().isEmpty());
        assertThat(first.campaign("renew")).as("stopped, not changed").map(Campaign::status)
                .contains(Campaign.Status.RUNNING);

        // Either engine may now take the lease hotline-c never renews (hotline-a is a standby like hotline-b).
        await("an engine to take over", () -> lease(a).mayAct() || lease(b).mayAct());
        TestGateway active = lease(a).mayAct() ? a : b;
        TestGateway standby = active == a ? b : a;
        await(active.engine().config().engineName() + "'s dialler", () -> active.engine().outbound().isPresent());
        Outbound resumed = active.engine().outbound().orElseThrow();
        assertThat(resumed).isNotSameAs(first);
        assertThat(resumed.campaign("renew")).map(Campaign::status).contains(Campaign.Status.RUNNING);
        assertThat(resumed.store().contact("renew-1")).map(Contact::status).as("left dialling by hotline-a")
                .contains(Contact.Status.PENDING);
        assertThat(standby.engine().outbound()).as("the standby, without a dialler").isEmpty();
    }
}
