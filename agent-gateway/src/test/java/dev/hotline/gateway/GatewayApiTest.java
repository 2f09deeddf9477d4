package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The gateway over real HTTP and WebSocket, in front of a real engine (no Asterisk: no AMI servers). */
class GatewayApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static HotlineEngine engine;
    static Gateway gateway;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("ivr"));
        Files.createDirectories(dir.resolve("calendars"));
        HotlineConfig d = HotlineConfig.defaults();
        HotlineConfig config = new HotlineConfig("test", "test", AgiConfig.DEFAULTS.withPort(0), List.of(),
                new dev.hotline.config.DatabaseConfig(dev.hotline.config.DatabaseConfig.Kind.EMBEDDED,
                        dir.resolve("data"), "", "", dev.hotline.yaml.Secret.NONE, 2), dir.resolve("ivr"), dir.resolve("calendars"),
                List.of(QueueConfig.simple("sales", Map.of("sales", 1))), d.acd(), dir.resolve("agents.yaml"));
        List<AgentConfig> agents = List.of(agent("1001", "team-a"), agent("1002", "team-a"), agent("1004", "team-b"));
        engine = new HotlineEngine(config, agents, "test").start();
        String hash = Passwords.hash("secret-pw", 4);
        UserStore users = new UserStore(List.of(
                new User("alice", hash, Role.AGENT, Optional.of("1001"), Set.of("team-a")),
                new User("bob", hash, Role.AGENT, Optional.of("1002"), Set.of("team-a")),
                new User("dan", hash, Role.AGENT, Optional.of("1004"), Set.of("team-b")),
                new User("sam", hash, Role.SUPERVISOR, Optional.empty(), Set.of("team-a")),
                new User("root", hash, Role.ADMIN, Optional.empty(), Set.of()),
                new User("lockme", hash, Role.ADMIN, Optional.empty(), Set.of())));
        GatewayConfig gc = GatewayConfig.DEFAULTS.withPort(0).withAuditFile(dir.resolve("audit.log"));
        gateway = Gateway.start(engine, gc, users, InstantSource.system());
        base = gateway.url();
    }

    private static AgentConfig agent(String id, String team) {
        return new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id), Map.of("sales", 5), Set.of(team), "hq",
                Set.of("en"));
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

    // ------------------------------------------------------------------------------------------ helpers

    record Reply(int status, JsonNode json, String text) {
    }

    static Reply call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            json = JSON.readTree(r.body());
        }
        return new Reply(r.statusCode(), json, r.body());
    }

    static String login(String user) throws Exception {
        Reply r = call("POST", "/api/login", null, "{\"username\":\"" + user + "\",\"password\":\"secret-pw\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    static JsonNode awaitAgent(String token, String id, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", "/api/agents/" + id, token, null).json();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("agent " + id + " never reached the expected state; last: " + last);
    }

    static void assertError(Reply r, int status, String detailPart) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isNotBlank();
        assertThat(r.json().get("detail").asText()).contains(detailPart);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.hotline");
    }

    // ------------------------------------------------------------------------------------------ system

    @Test
    void healthIsUpWithNoAsteriskConfiguredAndNamesEachPart() throws Exception {
        Reply r = call("GET", "/health", null, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("engine").get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("ami").isArray()).isTrue();
        assertThat(r.json().get("ivr").get("problems").isArray()).isTrue();
        assertThat(r.json().get("database").get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("database").get("kind").asText()).isEqualTo("embedded");
        assertThat(r.json().get("database").get("pendingRecords").isNumber()).isTrue();
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        Reply r = call("GET", "/metrics", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("# TYPE").contains("hotline_acd");
    }

    @Test
    void pagesAndAssetsAreServed() throws Exception {
        for (String page : List.of("/", "/agent", "/wallboard", "/admin", "/assets/app.js", "/assets/style.css")) {
            Reply r = call("GET", page, null, null);
            assertThat(r.status()).as(page).isEqualTo(200);
        }
        assertThat(call("GET", "/", null, null).text()).contains("<form");
        assertError(call("GET", "/assets/..%2Fsecret.txt", null, null), 404, "secret.txt");
        assertError(call("GET", "/assets/missing.js", null, null), 404, "no such file: missing.js");
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() throws Exception {
        assertError(call("GET", "/api/nothing", null, null), 404, "no such endpoint");
        assertError(call("DELETE", "/api/login", null, null), 405, "expected: POST");
    }

    // ------------------------------------------------------------------------------------------ login

    @Test
    void loginIssuesATokenThatLogoutRevokes() throws Exception {
        String token = login("bob");
        Reply me = call("GET", "/api/me", token, null);
        assertThat(me.json().get("role").asText()).isEqualTo("agent");
        assertThat(me.json().get("agentId").asText()).isEqualTo("1002");
        assertThat(call("POST", "/api/logout", token, null).status()).isEqualTo(204);
        assertError(call("GET", "/api/me", token, null), 401, "token");
    }

    @Test
    void wrongPasswordAndUnknownUserLookAlike() throws Exception {
        Reply wrong = call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":\"nope-nope\"}");
        Reply unknown = call("POST", "/api/login", null, "{\"username\":\"ghost\",\"password\":\"nope-nope\"}");
        assertError(wrong, 401, "unknown username or wrong password");
        assertThat(unknown.text()).isEqualTo(wrong.text());
    }

    @Test
    void fiveFailuresLockTheUserAtThatAddress() throws Exception {
        for (int i = 0; i < Gateway.MAX_FAILURES; i++) {
            call("POST", "/api/login", null, "{\"username\":\"lockme\",\"password\":\"guess-" + i + "\"}");
        }
        Reply locked = call("POST", "/api/login", null, "{\"username\":\"lockme\",\"password\":\"secret-pw\"}");
        assertError(locked, 429, "too many failed logins for 'lockme'");
    }

    @Test
    void badLoginBodiesAreRejectedWithWhatIsWrong() throws Exception {
        assertError(call("POST", "/api/login", null, "{not json"), 400, "not valid JSON");
        assertError(call("POST", "/api/login", null, "[1,2]"), 400, "expected: a JSON object");
        assertError(call("POST", "/api/login", null, "{\"username\":\"root\"}"), 400, "field 'password' is missing");
        assertError(call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":5}"), 400,
                "field 'password' is a number");
        assertError(call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":\"x\",\"pw\":1}"), 400,
                "unknown field 'pw'");
    }

    @Test
    void everyProtectedEndpointNeedsAToken() throws Exception {
        for (String path : List.of("/api/me", "/api/reasons", "/api/agents/me", "/api/agents", "/api/queues",
                "/api/teams", "/api/audit", "/api/users", "/api/ivr")) {
            assertError(call("GET", path, null, null), 401, "token");
        }
        for (String path : List.of("/api/logout", "/api/agents/1001/login", "/api/agents/1001/ready",
                "/api/agents/1001/not-ready", "/api/agents/1001/end-wrap-up", "/api/agents/1001/logout")) {
            assertError(call("POST", path, "forged-token", "{}"), 401, "token");
        }
    }

    // ------------------------------------------------------------------------------------------ agent

    @Test
    void anAgentLogsInGoesReadyAndNotReadyWithAReason() throws Exception {
        String t = login("alice");
        assertThat(call("GET", "/api/reasons", t, null).json().get("reasons").toString()).contains("break");
        assertError(call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1002\"}"), 403, "is not yours");
        assertError(call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1001\",\"endpoint\":\"PJSIP/9\"}"),
                400, "not one of agent 1001's endpoints");
        Reply in = call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1001\",\"endpoint\":\"PJSIP/1001\"}");
        assertThat(in.status()).as(in.text()).isEqualTo(202);
        awaitAgent(t, "me", a -> !a.get("state").asText().equals("logged-out"));
        assertThat(call("POST", "/api/agents/me/ready", t, null).status()).isEqualTo(202);
        awaitAgent(t, "1001", a -> a.get("state").asText().equals("ready"));
        assertError(call("POST", "/api/agents/me/not-ready", t, "{\"reason\":\"nap\"}"), 400,
                "reason 'nap' (expected one of: break");
        assertError(call("POST", "/api/agents/me/not-ready", t, "{}"), 400, "field 'reason' is missing");
        assertThat(call("POST", "/api/agents/me/not-ready", t, "{\"reason\":\"lunch\"}").status()).isEqualTo(202);
        JsonNode a = awaitAgent(t, "me", x -> x.get("state").asText().equals("not-ready"));
        assertThat(a.get("reason").asText()).isEqualTo("lunch");
        assertThat(a.get("secondsInState").asLong()).isGreaterThanOrEqualTo(0);
        assertError(call("POST", "/api/agents/me/end-wrap-up", t, null), 409, "not in wrap-up");
        assertThat(call("POST", "/api/agents/me/logout", t, null).status()).isEqualTo(202);
        awaitAgent(t, "me", x -> x.get("state").asText().equals("logged-out"));
        assertError(call("POST", "/api/agents/me/ready", t, null), 409, "log in first");
    }

    @Test
    void anAgentCannotSeeOrActForAnotherAgent() throws Exception {
        String t = login("alice");
        assertError(call("GET", "/api/agents/1002", t, null), 403, "only their own state");
        assertError(call("POST", "/api/agents/1002/ready", t, null), 403, "only their own state");
        assertError(call("POST", "/api/agents/1002/logout", t, null), 403, "only their own state");
        assertError(call("GET", "/api/queues", t, null), 403, "role agent");
        assertError(call("GET", "/api/agents", t, null), 403, "role agent");
        assertError(call("GET", "/api/audit", t, null), 403, "role agent");
    }

    // ------------------------------------------------------------------------------------------ supervisor

    @Test
    void aSupervisorSeesAndForcesOnlyTheirTeamsAndIsAudited() throws Exception {
        String sam = login("sam");
        JsonNode board = call("GET", "/api/agents", sam, null).json().get("agents");
        assertThat(board.findValuesAsText("id")).containsExactlyInAnyOrder("1001", "1002");
        assertThat(call("GET", "/api/teams", sam, null).json().get("teams").toString()).isEqualTo("[\"team-a\"]");
        assertError(call("GET", "/api/agents?team=team-b", sam, null), 403, "not one of your teams");
        assertError(call("GET", "/api/agents/1004", sam, null), 403, "not in your teams");
        assertError(call("POST", "/api/agents/1004/logout", sam, null), 403, "not in your teams");
        assertError(call("POST", "/api/agents/1002/login", sam, "{\"workNumber\":\"1002\"}"), 403,
                "can log themselves in");

        String bob = login("bob");
        call("POST", "/api/agents/me/login", bob, "{\"workNumber\":\"1002\"}");
        awaitAgent(bob, "me", a -> !a.get("state").asText().equals("logged-out"));
        assertThat(call("POST", "/api/agents/1002/ready", sam, null).status()).isEqualTo(202);
        awaitAgent(sam, "1002", a -> a.get("state").asText().equals("ready"));
        assertThat(call("POST", "/api/agents/1002/not-ready", sam, "{\"reason\":\"coaching\"}").status())
                .isEqualTo(202);
        awaitAgent(bob, "me", a -> a.get("reason").asText().equals("coaching"));

        JsonNode queues = call("GET", "/api/queues", sam, null).json();
        assertThat(queues.get("queues").get(0).get("name").asText()).isEqualTo("sales");
        assertThat(queues.get("queues").get(0).get("agents").get("not-ready").asInt()).isGreaterThanOrEqualTo(1);

        String root = login("root");
        JsonNode audit = call("GET", "/api/audit", root, null).json().get("entries");
        assertThat(audit.toString()).contains("\"actor\":\"sam\"").contains("agent.not-ready")
                .contains("reason=coaching").contains("\"target\":\"1002\"");
        assertError(call("GET", "/api/audit", sam, null), 403, "role supervisor");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(dir.resolve("audit.log")) || !Files.readString(dir.resolve("audit.log"))
                .contains("coaching")) {
            assertThat(System.nanoTime()).as("audit file written").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void theIntervalChartCountsTheDaysCallsFromTheRecords() throws Exception {
        // Two calls on a past day, straight into the records: one answered in 8 s, one abandoned after 40 s.
        java.time.ZoneId zone = engine.records().reports().zone();
        java.time.LocalDate day = java.time.LocalDate.of(2025, 3, 3);
        java.time.Instant nine = day.atTime(9, 5).atZone(zone).toInstant();
        var answered = dev.hotline.records.model.CallRecord.builder(
                        new dev.hotline.records.model.CallId("test", "iv-1"), nine)
                .caller("5550001", "")
                .visit(dev.hotline.records.model.QueueVisit.answered("sales", nine, nine.plusSeconds(8), "1001",
                        Duration.ofSeconds(60), Duration.ZERO, Duration.ZERO))
                .ended(nine.plusSeconds(70), dev.hotline.records.model.CallOutcome.ANSWERED).build();
        var abandoned = dev.hotline.records.model.CallRecord.builder(
                        new dev.hotline.records.model.CallId("test", "iv-2"), nine.plusSeconds(60))
                .caller("5550002", "")
                .visit(dev.hotline.records.model.QueueVisit.unanswered("sales", nine.plusSeconds(60),
                        nine.plusSeconds(100), dev.hotline.records.model.QueueVisit.Result.ABANDONED))
                .ended(nine.plusSeconds(100), dev.hotline.records.model.CallOutcome.ABANDONED).build();
        engine.records().store().write(List.of(answered, abandoned));

        String sam = login("sam");
        Reply r = call("GET", "/api/queues/intervals?date=2025-03-03", sam, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("slots").asInt()).isEqualTo(96);
        JsonNode sales = r.json().get("queues").get("sales");
        assertThat(sales).as(r.text()).hasSize(1);
        JsonNode i = sales.get(0);
        assertThat(i.get("slot").asInt()).isEqualTo(36);   // 09:00–09:15
        assertThat(i.get("offered").asInt()).isEqualTo(2);
        assertThat(i.get("answered").asInt()).isEqualTo(1);
        assertThat(i.get("abandoned").asInt()).isEqualTo(1);
        assertThat(i.get("serviceLevel").asDouble()).isEqualTo(0.5);
        assertThat(call("GET", "/api/queues/intervals?date=2025-03-04", sam, null).json().get("queues").size())
                .isZero();

        assertError(call("GET", "/api/queues/intervals?date=3/3/2025", sam, null), 400, "expected: YYYY-MM-DD");
        assertError(call("GET", "/api/queues/intervals", login("alice"), null), 403, "role agent");
        assertThat(call("GET", "/api/queues/intervals", null, null).status()).isEqualTo(401);
        // Today's view (nothing today in this test) is what the wallboard gets.
        JsonNode today = call("GET", "/api/queues/intervals", sam, null).json();
        assertThat(today.get("date").asText()).isEqualTo(java.time.LocalDate.now(zone).toString());
    }

    // ------------------------------------------------------------------------------------------ admin

    @Test
    void anAdminSeesUsersWithoutHashesAndTheIvrCatalog() throws Exception {
        String root = login("root");
        Reply users = call("GET", "/api/users", root, null);
        assertThat(users.json().get("users").findValuesAsText("username")).contains("alice", "sam", "root");
        assertThat(users.text()).doesNotContain("$2");
        Reply ivr = call("GET", "/api/ivr", root, null);
        assertThat(ivr.status()).isEqualTo(200);
        assertThat(ivr.json().get("scripts").isArray()).isTrue();
        assertThat(call("GET", "/api/agents", root, null).json().get("agents").size()).isEqualTo(3);
        assertError(call("GET", "/api/users", login("sam"), null), 403, "expected: admin");
    }

    // ------------------------------------------------------------------------------------------ WebSocket

    static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(part.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }

        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals(type)) {
                    return m;
                }
            }
            throw new AssertionError("no '" + type + "' message within 5 s");
        }
    }

    static WebSocket open(String token, Listener l) {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=" + token), l)
                .join();
    }

    @Test
    void theWebSocketNeedsAValidToken() {
        Throwable t = catchThrowable(() -> open("bogus", new Listener()));
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) t.getCause()).getResponse().statusCode()).isEqualTo(401);
    }

    @Test
    void aSupervisorGetsASnapshotThenDeltasAndAnAgentOnlyTheirOwn() throws Exception {
        String sam = login("sam");
        Listener sup = new Listener();
        WebSocket ws = open(sam, sup);
        JsonNode snapshot = sup.next("snapshot");
        assertThat(snapshot.get("queues").get(0).get("name").asText()).isEqualTo("sales");
        assertThat(snapshot.get("agents").findValuesAsText("id")).containsExactlyInAnyOrder("1001", "1002");
        // The interval chart's day comes with the snapshot; "this interval" is a column of each queue.
        assertThat(snapshot.get("intervals").get("intervalMinutes").asInt()).isEqualTo(15);
        assertThat(snapshot.get("queues").get(0).has("serviceLevelInterval")).isTrue();

        String dan = login("dan");
        Listener agent = new Listener();
        WebSocket ws2 = open(dan, agent);
        assertThat(agent.next("snapshot").get("me").get("id").asText()).isEqualTo("1004");
        call("POST", "/api/agents/me/login", dan, "{\"workNumber\":\"1004\"}");
        assertThat(agent.next("agent").get("agent").get("id").asText()).isEqualTo("1004");

        String alice = login("alice");
        if (call("GET", "/api/agents/me", alice, null).json().get("state").asText().equals("logged-out")) {
            call("POST", "/api/agents/me/login", alice, "{\"workNumber\":\"1001\"}");
        } else {
            call("POST", "/api/agents/me/not-ready", alice, "{\"reason\":\"meeting\"}");
        }
        JsonNode delta = sup.next("agent");
        assertThat(delta.get("agent").get("id").asText()).isEqualTo("1001");
        assertThat(agent.messages).noneMatch(m -> m.path("agent").path("id").asText().equals("1001"));

        ws.sendText("{\"type\":\"ping\"}", true);
        assertThat(sup.next("pong")).isNotNull();
        ws.sendText("hello", true);
        assertThat(sup.next("error").get("detail").asText()).contains("unknown message");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        ws2.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    // ------------------------------------------------------------------------------------------ call control

    static Reply callText(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                ? JSON.readTree(r.body()) : null;
        return new Reply(r.statusCode(), json, r.body());
    }

    @Test
    void callControlAndIvrEndpointsNeedAToken() throws Exception {
        for (String path : List.of("/api/agents/me/disposition", "/api/agents/me/transfer", "/api/agents/me/hangup",
                "/api/agents/1001/listen", "/api/agents/1001/whisper", "/api/agents/1001/barge",
                "/api/agents/1001/force", "/api/ivr/validate", "/api/ivr/x/rollback")) {
            assertError(call("POST", path, null, "{}"), 401, "token");
        }
        assertError(call("GET", "/api/dispositions", null, null), 401, "token");
        assertError(call("GET", "/api/ivr/x", "forged", null), 401, "token");
        assertError(callText("PUT", "/api/ivr/x", null, "text/yaml", "id: x"), 401, "token");
    }

    @Test
    void anAgentControlsOnlyTheirOwnCallWithValidBodies() throws Exception {
        String alice = login("alice");
        assertThat(call("GET", "/api/dispositions", alice, null).json().get("codes").toString())
                .contains("repair").contains("site-survey");
        for (String action : List.of("disposition", "transfer", "hangup")) {
            assertError(call("POST", "/api/agents/1002/" + action, alice, "{}"), 403, "only their own");
        }
        String sam = login("sam");
        assertError(call("POST", "/api/agents/1001/transfer", sam, "{\"target\":\"2000\"}"), 403,
                "only agent 1001");
        assertError(call("POST", "/api/agents/1004/hangup", sam, "{}"), 403, "not in your teams");

        assertError(call("POST", "/api/agents/me/disposition", alice, "{}"), 400, "field 'code' is missing");
        assertError(call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"bogus\"}"), 400,
                "expected one of: inquiry, repair");
        assertError(call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\",\"mood\":1}"), 400,
                "unknown field 'mood'");
        assertError(call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\",\"notes\":\""
                + "x".repeat(2001) + "\"}"), 400, "'notes' has 2001 characters");
        assertError(call("POST", "/api/agents/me/transfer", alice, "{}"), 400, "field 'target' is missing");
        assertError(call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"2000\",\"attended\":\"yes\"}"),
                400, "field 'attended' is \"yes\" (expected: true or false)");
        assertError(call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"not a number!\"}"), 400,
                "'not a number!'");
        assertError(call("POST", "/api/agents/me/hangup", alice, "{\"now\":true}"), 400, "unknown field 'now'");

        assertError(call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"2000\"}"), 409,
                "not on a call");
        assertError(call("POST", "/api/agents/me/hangup", alice, "{}"), 409, "not on a call");
        assertError(call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\"}"), 409,
                "has had no call");
    }

    @Test
    void onlyATeamSupervisorOrAnAdminListensWhispersOrBarges() throws Exception {
        String alice = login("alice");
        String sam = login("sam");
        String root = login("root");
        String body = "{\"endpoint\":\"PJSIP/2001\"}";
        assertError(call("POST", "/api/agents/1001/listen", alice, body), 403, "role agent");
        assertError(call("POST", "/api/agents/1004/whisper", sam, body), 403, "not in your teams");
        assertError(call("POST", "/api/agents/1001/barge", sam, "{}"), 400, "field 'endpoint' is missing");
        assertError(call("POST", "/api/agents/1001/barge", sam, "{\"endpoint\":\"my phone\"}"), 400,
                "e.g. PJSIP/2001");
        assertError(call("POST", "/api/agents/1001/listen", sam, body), 409, "not on a call");
        assertError(call("POST", "/api/agents/1004/whisper", root, body), 409, "not on a call");
        assertError(call("POST", "/api/agents/9999/whisper", root, body), 404, "no agent with work number 9999");
    }

    @Test
    void aSupervisorForcesAStateInOneBodyAndIsAudited() throws Exception {
        String bob = login("bob");
        if (call("GET", "/api/agents/me", bob, null).json().get("state").asText().equals("logged-out")) {
            assertThat(call("POST", "/api/agents/me/login", bob, "{\"workNumber\":\"1002\"}").status())
                    .isEqualTo(202);
            awaitAgent(bob, "me", a -> !a.get("state").asText().equals("logged-out"));
        }
        String sam = login("sam");
        assertError(call("POST", "/api/agents/1002/force", bob, "{\"state\":\"ready\"}"), 403, "role agent");
        assertError(call("POST", "/api/agents/1004/force", sam, "{\"state\":\"ready\"}"), 403,
                "not in your teams");
        assertError(call("POST", "/api/agents/1002/force", sam, "{\"state\":\"asleep\"}"), 400,
                "expected: ready, not-ready or logout");
        assertError(call("POST", "/api/agents/1002/force", sam, "{\"state\":\"not-ready\"}"), 400,
                "field 'reason' is missing");
        assertError(call("POST", "/api/agents/1002/force", sam, "{\"state\":\"ready\",\"reason\":\"lunch\"}"),
                400, "only for state not-ready");
        Reply r = call("POST", "/api/agents/1002/force", sam, "{\"state\":\"not-ready\",\"reason\":\"coaching\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode a = awaitAgent(sam, "1002", x -> x.get("reason").asText().equals("coaching"));
        assertThat(a.get("state").asText()).isEqualTo("not-ready");
        // The engine's own timestamp of the change, not the moment the gateway noticed it.
        assertThat(java.time.Instant.parse(a.get("since").asText())).isBefore(java.time.Instant.now());
        assertThat(gateway.audit().recent()).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("sam");
            assertThat(e.action()).isEqualTo("agent.not-ready");
            assertThat(e.target()).isEqualTo("1002");
            assertThat(e.detail()).contains("coaching");
        });
    }

    // ------------------------------------------------------------------------------------------ IVR admin

    static final String SCRIPT_V1 = "id: greet\nentry: bye\nnodes:\n  bye: {type: hangup}\n";
    static final String SCRIPT_V2 = "id: greet\nentry: start\nnodes:\n  start:\n    type: hangup\n";
    static final String SCRIPT_BAD = "id: greet\nentry: a\nnodes:\n  a:\n    type: dance\n    next: b\n  b:\n"
            + "    type: hangup\n";

    @Test
    void anAdminValidatesPublishesAndRollsBackAnIvrScript() throws Exception {
        String root = login("root");
        String sam = login("sam");
        assertError(callText("POST", "/api/ivr/validate", sam, "text/yaml", SCRIPT_V1), 403, "role supervisor");
        assertError(callText("PUT", "/api/ivr/greet", sam, "text/yaml", SCRIPT_V1), 403, "role supervisor");
        assertError(call("GET", "/api/ivr/greet", sam, null), 403, "role supervisor");
        assertError(call("POST", "/api/ivr/greet/rollback", sam, "{}"), 403, "role supervisor");
        assertError(callText("PUT", "/api/ivr/bad.id", root, "text/yaml", SCRIPT_V1), 400, "script id 'bad.id'");
        assertError(callText("PUT", "/api/ivr/greet", root, "application/json", "{}"), 415, "text/yaml");

        Reply ok = callText("POST", "/api/ivr/validate", root, "text/yaml", SCRIPT_V1);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        Reply bad = callText("POST", "/api/ivr/validate", root, "text/yaml", SCRIPT_BAD);
        assertThat(bad.json().get("valid").asBoolean()).as(bad.text()).isFalse();
        JsonNode p = bad.json().get("problems").get(0);
        assertThat(p.get("line").asInt()).isEqualTo(5);
        assertThat(p.get("column").asInt()).isPositive();
        assertThat(p.get("message").asText()).contains("dance");

        Reply refused = callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_BAD);
        assertError(refused, 422, "line 5");
        assertThat(refused.json().get("problems").size()).isPositive();
        assertThat(dir.resolve("ivr/greet.yaml")).doesNotExist();
        assertError(callText("PUT", "/api/ivr/other", root, "text/yaml", SCRIPT_V1), 422, "expected: id: other");
        assertError(call("POST", "/api/ivr/greet/rollback", root, "{}"), 409, "no previous version");

        Reply v1 = callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_V1);
        assertThat(v1.status()).as(v1.text()).isEqualTo(200);
        assertThat(v1.json().get("live").asBoolean()).isTrue();
        assertThat(engine.ivr().current().scripts()).containsKey("greet");
        Reply v2 = callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_V2);
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("ivr/greet.yaml.prev"))).isEqualTo(SCRIPT_V1);
        JsonNode source = call("GET", "/api/ivr/greet", root, null).json();
        assertThat(source.get("source").asText()).isEqualTo(SCRIPT_V2);
        assertThat(source.get("previous").asBoolean()).isTrue();

        Reply back = call("POST", "/api/ivr/greet/rollback", root, "{}");
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(call("GET", "/api/ivr/greet", root, null).json().get("source").asText()).isEqualTo(SCRIPT_V1);
        assertThat(Files.readString(dir.resolve("ivr/greet.yaml.prev"))).isEqualTo(SCRIPT_V2);
        assertThat(engine.ivr().current().script("greet").orElseThrow().entry()).isEqualTo("bye");
        assertError(call("GET", "/api/ivr/nothing", root, null), 404, "nothing.yaml");
        assertThat(gateway.audit().recent()).extracting(e -> e.action() + " " + e.target())
                .contains("ivr.publish greet", "ivr.rollback greet");
    }
}
