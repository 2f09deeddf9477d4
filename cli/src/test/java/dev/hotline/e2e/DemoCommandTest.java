package dev.hotline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./hotline demo} runs the whole engine against the simulator and ends with a per-queue summary. */
@Tag("slow")
class DemoCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aShortDemoRunsCallsThroughAndExitsZeroWithASummary() throws Exception {
        try (RunningDemo demo = RunningDemo.start("--duration", "12s", "--rate", "120", "--handle-time", "2s",
                "--every", "3s", "--seed", "3", "--gateway-port", "0")) {
            // While it runs: the URL and every demo user it prints log in on the gateway with the printed role.
            String url = demo.url();
            List<RunningDemo.DemoUser> users = demo.users();
            assertThat(users).extracting(RunningDemo.DemoUser::username)
                    .containsExactly("alice", "bruno", "daniel", "sam", "tara", "root");
            HttpClient http = HttpClient.newHttpClient();
            for (RunningDemo.DemoUser u : users) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                Map.of("username", u.username(), "password", u.password())))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("login of %s: %s", u.username(), r.body()).isEqualTo(200);
                JsonNode user = JSON.readTree(r.body()).get("user");
                assertThat(user.get("role").asText()).as(u.username()).isEqualTo(u.role());
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url + "/agent")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("agent desktop");

            assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("stderr: %s", demo.errors()).isZero();
            String text = demo.output();
            assertThat(text).contains("Hotline demo: 12 agents, 4 queues");
            assertThat(text).containsPattern("\\[ +\\d+s\\] in IVR \\d+ \\| waiting \\d+");
            assertThat(text).contains("queue       offered  answered");
            assertThat(text).containsPattern("agent desktop, wallboard, admin: http://127\\.0\\.0\\.1:\\d+/");
            // Some calls reached agents through IVR, queue and redirect: a queue row with answered >= 1.
            assertThat(text).containsPattern("(?m)^(sales|support|billing|operator) +\\d+ +[1-9]\\d* ");
        }
    }
}
