package dev.hotline.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine and the gateway started against a MariaDB that does not answer (a closed port): /health says the
 * database is down and why, the engine still answers calls, the seed file's users can log in, and admin changes
 * are refused with 503 rather than lost.
 */
class DatabaseDownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static HotlineEngine engine;
    static Gateway gateway;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("ivr"));
        Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(dir.resolve("users.yaml"), "users:\n  - {username: root, password_hash: \""
                + Passwords.hash("Root-pass-123", 4) + "\", role: admin}\n");
        HotlineConfig d = HotlineConfig.defaults();
        HotlineConfig config = new HotlineConfig("test", "test", AgiConfig.DEFAULTS.withPort(0), List.of(),
                new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dir.resolve("data"),
                        "jdbc:mariadb://127.0.0.1:" + closedPort + "/hotline?connectTimeout=500", "hotline",
                        Secret.NONE, 2), dir.resolve("ivr"), dir.resolve("calendars"),
                List.of(QueueConfig.simple("sales", Map.of("sales", 1))), d.acd(), dir.resolve("agents.yaml"));
        engine = new HotlineEngine(config, List.of(), "test").start();
        gateway = Gateway.start(engine, GatewayConfig.DEFAULTS.withPort(0).withAuditFile(dir.resolve("audit.log"))
                .withUsersFile(dir.resolve("users.yaml")));
        base = gateway.url();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthSaysTheDatabaseIsDownWithTheReasonWhileTheEngineRuns() throws Exception {
        HttpResponse<String> r = null;
        JsonNode db = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            r = call("GET", "/health", null, null);
            db = JSON.readTree(r.body()).get("database");
            if (db.has("reason")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode h = JSON.readTree(r.body());
        assertThat(h.get("status").asText()).isEqualTo("DOWN");
        assertThat(h.get("engine").get("status").asText()).isEqualTo("UP");
        assertThat(db.get("status").asText()).isEqualTo("DOWN");
        assertThat(db.get("kind").asText()).isEqualTo("mariadb");
        assertThat(db.get("reason").asText()).contains("MariaDB at 127.0.0.1:");
        assertThat(db.get("since").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception");
    }

    @Test
    void theEngineStillAnswersCalls() throws Exception {
        try (Socket s = new Socket("127.0.0.1", engine.agiAddress().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write(("agi_network: yes\nagi_network_script: diag\nagi_request: agi://127.0.0.1/diag\n"
                    + "agi_channel: PJSIP/test-1\nagi_uniqueid: 1.1\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<String> commands = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                out.write("200 result=1\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            assertThat(commands).anySatisfy(c -> assertThat(c).contains("HOTLINE_DIAG").contains("OK"));
        }
    }

    @Test
    void seedUsersLogInAndChangesAreRefusedWith503() throws Exception {
        HttpResponse<String> login = call("POST", "/api/login", null,
                "{\"username\":\"root\",\"password\":\"Root-pass-123\"}");
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String token = JSON.readTree(login.body()).get("token").asText();
        JsonNode list = JSON.readTree(call("GET", "/api/users", token, null).body());
        assertThat(list.get("writable").asBoolean()).isFalse();
        assertThat(list.get("readOnlyReason").asText()).contains("has not been reached yet");
        HttpResponse<String> create = call("POST", "/api/users", token, "{\"username\":\"ann\","
                + "\"password\":\"Plover-pass-11\",\"role\":\"admin\"}");
        assertThat(create.statusCode()).as(create.body()).isEqualTo(503);
        assertThat(JSON.readTree(create.body()).get("detail").asText()).contains("users cannot be changed now");
        HttpResponse<String> cal = call("PUT", "/api/calendars/support", token,
                "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}");
        assertThat(cal.statusCode()).as(cal.body()).isEqualTo(503);
        assertThat(JSON.readTree(cal.body()).get("detail").asText()).contains("calendar support not saved");
    }
}
