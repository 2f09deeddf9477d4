package dev.hotline.gateway.admin;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.User;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that starts while its database is unreachable must not bring back what the users table had changed: a
 * user disabled there stays disabled and a reset password's old value stays refused, although the seed file still
 * has them as they were. (Before the users snapshot, the seed file's entries applied until the table was read.)
 */
class UsersSnapshotTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String SEED_PW = "Seed-pass-123";
    static final String NEW_PW = "Reset-pass-456";

    @TempDir
    Path dir;

    private HotlineConfig config(DatabaseConfig db) throws Exception {
        Files.createDirectories(dir.resolve("ivr"));
        Files.createDirectories(dir.resolve("calendars"));
        return new HotlineConfig("test", "test", AgiConfig.DEFAULTS.withPort(0), List.of(), db, dir.resolve("ivr"),
                dir.resolve("calendars"), List.of(QueueConfig.simple("sales", Map.of("sales", 1))),
                HotlineConfig.defaults().acd(), dir.resolve("agents.yaml"));
    }

    private GatewayConfig gatewayConfig() {
        return GatewayConfig.DEFAULTS.withPort(0).withAuditFile(dir.resolve("audit.log"))
                .withUsersFile(dir.resolve("users.yaml"));
    }

    private static int login(String base, String user, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/login")).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void disabledUsersAndOldPasswordsStayRefusedWhenTheDatabaseIsDownAtStart() throws Exception {
        String seedHash = Passwords.hash(SEED_PW, 4);
        Files.writeString(dir.resolve("users.yaml"), "users:\n"
                + "  - {username: root, password_hash: \"" + seedHash + "\", role: admin}\n"
                + "  - {username: ops, password_hash: \"" + seedHash + "\", role: admin}\n"
                + "  - {username: bob, password_hash: \"" + seedHash + "\", role: agent, agent: \"1002\"}\n");
        Path data = dir.resolve("data");
        List<AgentConfig> agents = List.of(new AgentConfig("1002", "Agent 1002", List.of("PJSIP/1002"),
                Map.of("sales", 5), Set.of("team-a"), "hq", Set.of("en")));

        // First run, database reachable: bob is disabled and root's password reset, in the users table.
        try (HotlineEngine engine = new HotlineEngine(config(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, data,
                "", "", Secret.NONE, 2)), agents, "test").start();
             Gateway gateway = Gateway.start(engine, gatewayConfig())) {
            assertThat(gateway.users().writable()).isTrue();
            assertThat(login(gateway.url(), "bob", SEED_PW)).isEqualTo(200);
            gateway.users().setEnabled("bob", false, "ops");
            String newHash = Passwords.hash(NEW_PW, 4);
            gateway.users().update("root", u -> new User(u.username(), newHash, u.role(), u.agentId(), u.teams()),
                    "ops");
            assertThat(login(gateway.url(), "bob", SEED_PW)).isEqualTo(401);
        }

        // Second run, the database does not answer: the seed file's entries must not come back.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HotlineEngine engine = new HotlineEngine(config(new DatabaseConfig(DatabaseConfig.Kind.MARIADB, data,
                "jdbc:mariadb://127.0.0.1:" + closedPort + "/hotline?connectTimeout=500", "hotline", Secret.NONE, 2)),
                agents, "test").start();
             Gateway gateway = Gateway.start(engine, gatewayConfig())) {
            assertThat(gateway.users().writable()).isFalse();
            assertThat(login(gateway.url(), "bob", SEED_PW)).as("bob was disabled").isEqualTo(401);
            assertThat(login(gateway.url(), "root", SEED_PW)).as("root's old password").isEqualTo(401);
            assertThat(login(gateway.url(), "root", NEW_PW)).as("root's new password").isEqualTo(200);
            assertThat(login(gateway.url(), "ops", SEED_PW)).as("unchanged users log in").isEqualTo(200);
        }
    }
}
