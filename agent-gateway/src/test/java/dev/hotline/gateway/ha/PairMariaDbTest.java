package dev.hotline.gateway.ha;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HaConfig;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.ha.Leadership;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engines of an active/standby pair on one MariaDB (a database of this test's own), each with its gateway: the
 * standby keeps FastAGI closed and its pages read-only, naming the active engine; when the active one stops renewing
 * (killed), the standby takes over within the configured time, opens FastAGI, runs its takeover steps with the next
 * fencing number and accepts changes.
 */
@Tag("slow")
class PairMariaDbTest {

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
        schema = "hotline_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
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

    private TestGateway engine(String name, dev.hotline.ha.Takeover... onTakeover) throws Exception {
        DatabaseConfig db = new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dir.resolve(name + "-data"),
                "jdbc:mariadb://127.0.0.1:3306/" + schema, "root", Secret.NONE, 2);
        return TestGateway.in(dir.resolve(name)).engineName(name).database(db).admin("root").usersInDatabase()
                .ha(HA.withUrl("http://" + name + ".example:8080/"), onTakeover).start();
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

    private static boolean acceptsFastAgi(TestGateway g) {
        InetSocketAddress at = g.engine().agiAddress();
        if (at == null || g.engine().activeSessions() < 0) {
            return false;
        }
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theStandbyIsReadOnlyNamesTheActiveEngineAndTakesOverWhenTheActiveOneDies() throws Exception {
        BlockingQueue<Long> bTookOver = new LinkedBlockingQueue<>();
        a = engine("hotline-a");
        assertThat(lease(a).mayAct()).as("start() returns once the free lease is taken").isTrue();
        assertThat(a.engine().agiAddress()).as("and FastAGI is open").isNotNull();
        b = engine("hotline-b", bTookOver::add);
        await("hotline-b to read the lease", () -> lease(b).status().activeEngine().equals("hotline-a"));

        assertThat(acceptsFastAgi(a)).isTrue();
        assertThat(b.engine().agiAddress()).as("the standby's FastAGI port stays closed").isNull();
        JsonNode ha = b.client().call("GET", "/health", null, null).json().get("ha");
        assertThat(ha.get("role").asText()).isEqualTo("standby");
        assertThat(ha.get("activeEngine").asText()).isEqualTo("hotline-a");
        assertThat(ha.get("activeUrl").asText()).isEqualTo("http://hotline-a.example:8080/");
        JsonNode haA = a.client().call("GET", "/api/ha", null, null).json();
        assertThat(haA.get("role").asText()).isEqualTo("active");
        assertThat(haA.get("fence").asLong()).isEqualTo(1);

        GatewayClient bApi = b.client();
        String root = bApi.login("root");
        assertThat(bApi.call("GET", "/api/directory/skills", root, null).status()).as("reads work").isEqualTo(200);
        assertError(bApi.call("POST", "/api/directory/skills", root, "{\"name\":\"french\"}"), 503,
                "engine hotline-b is the standby engine and its pages are read-only; engine hotline-a is active at"
                        + " http://hotline-a.example:8080/: make changes there");
        Reply made = a.client().call("POST", "/api/directory/skills", a.client().login("root"),
                "{\"name\":\"german\"}");
        assertThat(made.status()).as(made.text()).isBetween(200, 201);

        // kill -9: hotline-a stops renewing at once (it releases nothing); its FastAGI dies with it.
        long killedAt = System.nanoTime();
        lease(a).abandon();
        assertThat(bTookOver.poll(30, TimeUnit.SECONDS)).as("takeover step with the next fencing number")
                .isEqualTo(2L);
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(takeoverMs).as("within lease + check_every, with slack for a loaded machine")
                .isLessThan(HA.worstTakeover().plusSeconds(4).toMillis());
        assertThat(acceptsFastAgi(b)).as("FastAGI opened before the takeover steps").isTrue();
        assertThat(b.engine().callbacks()).as("the callback dialler started").isPresent();
        assertThat(bApi.call("GET", "/api/ha", null, null).json().get("role").asText()).isEqualTo("active");
        Reply now = bApi.call("POST", "/api/directory/skills", root, "{\"name\":\"french\"}");
        assertThat(now.status()).as(now.text()).isBetween(200, 201);
        assertError(a.client().call("POST", "/api/directory/skills", a.client().login("root"),
                "{\"name\":\"spanish\"}"), 503, "engine hotline-a is the standby engine");
    }
}
