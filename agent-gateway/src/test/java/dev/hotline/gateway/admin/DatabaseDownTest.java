package dev.hotline.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.app.HotlineEngine;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine and the gateway started against a MariaDB that does not answer (a closed port): /health says the
 * database is down and why, the engine still answers calls, the seed file's users can log in, and admin changes
 * are refused with 503 rather than lost.
 */
@Tag("slow")
class DatabaseDownTest {

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir).database(TestGateway.unreachableMariaDb(dir.resolve("data")))
                .usersFile("users:\n  - {username: root, password_hash: \""
                        + Passwords.hash("Root-pass-123", 4) + "\", role: admin}\n")
                .start();
        engine = live.engine();
        api = live.client();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void healthSaysTheDatabaseIsDownWithTheReasonWhileTheEngineRuns() throws Exception {
        Reply r = null;
        JsonNode db = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            r = api.call("GET", "/health", null, null);
            db = r.json().get("database");
            if (db.has("reason")) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(r.status()).as(r.text()).isEqualTo(503);
        JsonNode h = r.json();
        assertThat(h.get("status").asText()).isEqualTo("DOWN");
        assertThat(h.get("engine").get("status").asText()).isEqualTo("UP");
        assertThat(db.get("status").asText()).isEqualTo("DOWN");
        assertThat(db.get("kind").asText()).isEqualTo("mariadb");
        assertThat(db.get("reason").asText()).contains("MariaDB at 127.0.0.1:");
        assertThat(db.get("since").asText()).isNotBlank();
        assertThat(r.text()).doesNotContain("Exception");
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
        String token = api.login("root", "Root-pass-123");
        JsonNode list = api.call("GET", "/api/users", token, null).json();
        assertThat(list.get("writable").asBoolean()).isFalse();
        assertThat(list.get("readOnlyReason").asText()).contains("has not been reached yet");
        Reply create = api.call("POST", "/api/users", token, "{\"username\":\"ann\","
                + "\"password\":\"Plover-pass-11\",\"role\":\"admin\"}");
        assertThat(create.status()).as(create.text()).isEqualTo(503);
        assertThat(create.json().get("detail").asText()).contains("users cannot be changed now");
        Reply cal = api.call("PUT", "/api/calendars/support", token,
                "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}");
        assertThat(cal.status()).as(cal.text()).isEqualTo(503);
        assertThat(cal.json().get("detail").asText()).contains("calendar support not saved");
    }
}
