package dev.hotline.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorded call end to end: the support queue records by its flag (the QA service's hook decides, the ACD runs
 * {@code EXEC MixMonitor}), the agent pauses the recording for a card number and resumes it from the gateway (AMI
 * {@code MixMonitorMute} to the simulated Asterisk), tries to stop it and may not, hangs up; the simulator writes the
 * WAV with the paused second silent, and QA finds the call, sees its recording's history and hears it with range
 * requests.
 */
@Tag("slow")
class QaRecordingE2ETest {

    private static final Path HOME = Path.of("..");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;
    private DemoWorld world;
    private Gateway gateway;
    private String base;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(5), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), Optional.empty(),
                q.record())).toList();
        assertThat(queues.stream().filter(QueueConfig::record).map(QueueConfig::name)).containsExactly("support");
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createDirectories(data.resolve("db"))), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile(), c.gateway(),
                c.qa());
    }

    record Reply(int status, JsonNode json, String text) {
    }

    private Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body().startsWith("{") ? JSON.readTree(r.body()) : null, r.body());
    }

    private String login(String user) throws Exception {
        Reply r = call("POST", "/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"e2e-secret\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    /** Polls {@code path} until its answer passes {@code until} (20 s at most). */
    private JsonNode await(String path, String token, Predicate<JsonNode> until) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            Reply r = call("GET", path, token, null);
            last = r.json();
            if (r.status() == 200 && until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never reached the expected state; last: " + last);
    }

    @Test
    void aRecordedCallIsPausedForACardNumberAndQaHearsIt() throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        HotlineConfig config = config();
        for (int attempt = 1; world == null; attempt++) {
            try {
                world = DemoWorld.start(config, agents, new EndpointBehaviour(new Distribution.Fixed(
                                Duration.ofMillis(200)), 1.0, new Distribution.Fixed(Duration.ofMinutes(2))),
                        Media.everyFile(Duration.ofMillis(100)), 5, "test");
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("cannot listen")) {
                    throw e;
                }
            }
        }
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        assertThat(world.engine().qa().awaitReady(Duration.ofSeconds(10))).isTrue();
        String hash = Passwords.hash("e2e-secret", 4);
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                .withAuditFile(data.resolve("audit.log")), new UserStore(List.of(
                new User("daniel", hash, Role.AGENT, Optional.of("1004"), Set.of("team-b")),
                new User("quinn", hash, Role.QA, Optional.empty(), Set.of()))), InstantSource.system());
        base = gateway.url();

        String daniel = login("daniel");
        assertThat(call("POST", "/api/agents/me/login", daniel, "{\"workNumber\":\"1004\"}").status()).isEqualTo(202);
        if (!call("GET", "/api/agents/me", daniel, null).json().get("state").asText().equals("ready")) {
            assertThat(call("POST", "/api/agents/me/ready", daniel, "{}").status()).isEqualTo(202);
        }
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0612345678").hangUpAfter(Duration.ofMinutes(2))
                .build());

        // On the call, recorded by the queue's flag.
        JsonNode state = await("/api/agents/me/recording", daniel, s -> s.path("recording").path("state").asText()
                .equals("recording"));
        assertThat(state.get("policy").asText()).isEqualTo("all");
        assertThat(state.get("mayStartStop").asBoolean()).isFalse();
        String file = state.get("recording").get("file").asText();
        assertThat(file).startsWith("hotline/").endsWith("-1004.wav");

        Thread.sleep(500);   // some tone before the pause (real time: the simulator's clock is the wall clock)
        Reply pause = call("POST", "/api/agents/me/recording", daniel, "{\"action\":\"pause\"}");
        assertThat(pause.status()).as(pause.text()).isEqualTo(200);
        assertThat(pause.json().get("state").asText()).isEqualTo("paused");
        Reply again = call("POST", "/api/agents/me/recording", daniel, "{\"action\":\"pause\"}");
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        Thread.sleep(1000);   // the card number
        Reply resume = call("POST", "/api/agents/me/recording", daniel, "{\"action\":\"resume\"}");
        assertThat(resume.json().get("state").asText()).as(resume.text()).isEqualTo("recording");
        Reply stop = call("POST", "/api/agents/me/recording", daniel, "{\"action\":\"stop\"}");
        assertThat(stop.status()).as("the queue lets nobody stop it").isEqualTo(403);
        Thread.sleep(500);
        assertThat(call("POST", "/api/agents/me/hangup", daniel, null).status()).isEqualTo(200);

        // The simulator wrote the file; the record names it.
        Path wav = DemoWorld.recordingsOf(config).resolve(file);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(wav) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(wav).exists();
        ByteBuffer pcm = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        int silent = 0;
        for (int i = 44; i + 1 < pcm.capacity(); i += 2) {
            silent += pcm.getShort(i) == 0 ? 1 : 0;
        }
        assertThat(silent).as("about a second of the 8 kHz recording is silence").isBetween(4000, 16000);

        String quinn = login("quinn");
        JsonNode calls = await("/api/qa/calls?recorded=true", quinn, c -> c.get("calls").size() == 1);
        JsonNode found = calls.get("calls").get(0);
        String callId = found.get("callId").asText();
        assertThat(found.get("recording").get("file").asText()).isEqualTo(file);
        assertThat(found.get("canPlay").asBoolean()).isTrue();
        JsonNode detail = await("/api/qa/call?id=" + callId, quinn, d -> d.get("recordingEvents").size() == 3);
        assertThat(detail.get("recordingEvents").findValuesAsText("action")).containsExactly("start", "pause",
                "resume");
        assertThat(detail.get("recordingEvents").findValuesAsText("by")).containsExactly("policy", "daniel",
                "daniel");
        Reply play = call("POST", "/api/qa/recordings/play", quinn, "{\"callId\":\"" + callId + "\"}");
        assertThat(play.status()).as(play.text()).isEqualTo(200);
        HttpResponse<byte[]> audio = HTTP.send(HttpRequest.newBuilder(URI.create(base + play.json().get("url")
                .asText())).header("Range", "bytes=0-43").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(audio.statusCode()).isEqualTo(206);
        assertThat(new String(audio.body(), 0, 4)).isEqualTo("RIFF");
        assertThat(gateway.audit().recent()).extracting(e -> e.action()).contains("recording.pause",
                "recording.resume", "recording.stop.refused", "recording.play");
    }
}
