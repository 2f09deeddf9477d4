package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.app.HotlineEngine;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.LiveListener;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The gateway over real HTTP and WebSocket, in front of a real engine (no Asterisk: no AMI servers). */
@Tag("slow")
class GatewayApiTest {

    private static final Map<String, Integer> SALES = Map.of("sales", 5);

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static Gateway gateway;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir)
                .agents(agent("1001", "team-a", SALES), agent("1002", "team-a", SALES), agent("1004", "team-b", SALES))
                .agentUser("alice", "1001", "team-a").agentUser("bob", "1002", "team-a")
                .agentUser("dan", "1004", "team-b").supervisor("sam", "team-a").admin("root").admin("lockme")
                .start();
        engine = live.engine();
        gateway = live.gateway();
        api = live.client();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    static JsonNode awaitAgent(String token, String id, Predicate<JsonNode> until) throws Exception {
        return api.awaitJson("GET", "/api/agents/" + id, token, until);
    }

    // ------------------------------------------------------------------------------------------ system

    @Test
    void healthIsUpWithNoAsteriskConfiguredAndNamesEachPart() throws Exception {
        Reply r = api.call("GET", "/health", null, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("engine").get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("ami").isArray()).isTrue();
        assertThat(r.json().get("ivr").get("problems").isArray()).isTrue();
        assertThat(r.json().get("database").get("status").asText()).isEqualTo("UP");
        assertThat(r.json().get("database").get("kind").asText()).isEqualTo("embedded");
        assertThat(r.json().get("database").get("pendingRecords").isNumber()).isTrue();
        assertThat(r.json().get("invariants").get("status").asText()).isEqualTo("OK");
        assertThat(r.json().get("invariants").get("agentsOnMissingCalls").asInt()).isZero();
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        Reply r = api.call("GET", "/metrics", null, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("# TYPE").contains("hotline_acd")
                .contains("hotline_acd_invariant_agents_on_missing_calls");
    }

    @Test
    void pagesAndAssetsAreServed() throws Exception {
        for (String page : List.of("/", "/agent", "/wallboard", "/admin", "/assets/app.js", "/assets/style.css")) {
            Reply r = api.call("GET", page, null, null);
            assertThat(r.status()).as(page).isEqualTo(200);
        }
        assertThat(api.call("GET", "/", null, null).text()).contains("<form");
        assertError(api.call("GET", "/assets/..%2Fsecret.txt", null, null), 404, "secret.txt");
        assertError(api.call("GET", "/assets/missing.js", null, null), 404, "no such file: missing.js");
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() throws Exception {
        assertError(api.call("GET", "/api/nothing", null, null), 404, "no such endpoint");
        assertError(api.call("DELETE", "/api/login", null, null), 405, "expected: POST");
    }

    // ------------------------------------------------------------------------------------------ login

    @Test
    void loginIssuesATokenThatLogoutRevokes() throws Exception {
        String token = api.login("bob");
        Reply me = api.call("GET", "/api/me", token, null);
        assertThat(me.json().get("role").asText()).isEqualTo("agent");
        assertThat(me.json().get("agentId").asText()).isEqualTo("1002");
        assertThat(api.call("POST", "/api/logout", token, null).status()).isEqualTo(204);
        assertError(api.call("GET", "/api/me", token, null), 401, "token");
    }

    @Test
    void wrongPasswordAndUnknownUserLookAlike() throws Exception {
        Reply wrong = api.call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":\"nope-nope\"}");
        Reply unknown = api.call("POST", "/api/login", null, "{\"username\":\"ghost\",\"password\":\"nope-nope\"}");
        assertError(wrong, 401, "unknown username or wrong password");
        assertThat(unknown.text()).isEqualTo(wrong.text());
    }

    @Test
    void fiveFailuresLockTheUserAtThatAddress() throws Exception {
        for (int i = 0; i < dev.hotline.config.LoginLimits.DEFAULTS.maxFailures(); i++) {
            api.call("POST", "/api/login", null, "{\"username\":\"lockme\",\"password\":\"guess-" + i + "\"}");
        }
        Reply locked = api.call("POST", "/api/login", null, "{\"username\":\"lockme\",\"password\":\"secret-pw\"}");
        assertError(locked, 429, "too many failed logins for 'lockme'");
    }

    @Test
    void badLoginBodiesAreRejectedWithWhatIsWrong() throws Exception {
        assertError(api.call("POST", "/api/login", null, "{not json"), 400, "not valid JSON");
        assertError(api.call("POST", "/api/login", null, "[1,2]"), 400, "expected: a JSON object");
        assertError(api.call("POST", "/api/login", null, "{\"username\":\"root\"}"), 400,
                "field 'password' is missing");
        assertError(api.call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":5}"), 400,
                "field 'password' is a number");
        assertError(api.call("POST", "/api/login", null, "{\"username\":\"root\",\"password\":\"x\",\"pw\":1}"), 400,
                "unknown field 'pw'");
    }

    @Test
    void everyProtectedEndpointNeedsAToken() throws Exception {
        for (String path : List.of("/api/me", "/api/reasons", "/api/agents/me", "/api/agents", "/api/queues",
                "/api/teams", "/api/audit", "/api/users", "/api/ivr")) {
            assertError(api.call("GET", path, null, null), 401, "token");
        }
        for (String path : List.of("/api/logout", "/api/agents/1001/login", "/api/agents/1001/ready",
                "/api/agents/1001/not-ready", "/api/agents/1001/end-wrap-up", "/api/agents/1001/logout")) {
            assertError(api.call("POST", path, "forged-token", "{}"), 401, "token");
        }
    }

    @Test
    void everyEndpointOfTheOpenApiDescriptionThatIsNotPublicRefusesARequestWithoutAToken() throws Exception {
        // openapi.yaml lists exactly the routes the server registers (OpenApiCoverageTest): so this is all of them.
        JsonNode paths = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(Files.readString(Path.of("openapi.yaml"))).get("paths");
        int checked = 0;
        for (var path = paths.fields(); path.hasNext(); ) {
            var p = path.next();
            for (var op = p.getValue().fields(); op.hasNext(); ) {
                var o = op.next();
                String method = o.getKey().toUpperCase(java.util.Locale.ROOT);
                boolean isPublic = o.getValue().has("security") && o.getValue().get("security").isEmpty();
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method) || isPublic
                        || p.getKey().equals("/ws")) {
                    continue;
                }
                String url = p.getKey().replaceAll("\\{[^}]+}", "x1");
                String body = method.equals("GET") ? null : "{}";
                assertError(api.call(method, url, null, body), 401, "token");
                assertError(api.call(method, url, "forged-token", body), 401, "token");
                checked++;
            }
        }
        assertThat(checked).as("protected operations checked").isGreaterThan(40);
    }

    // ------------------------------------------------------------------------------------------ agent

    @Test
    void anAgentLogsInGoesReadyAndNotReadyWithAReason() throws Exception {
        String t = api.login("alice");
        assertThat(api.call("GET", "/api/reasons", t, null).json().get("reasons").toString()).contains("break");
        assertError(api.call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1002\"}"), 403, "is not yours");
        assertError(api.call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1001\",\"endpoint\":\"PJSIP/9\"}"),
                400, "not one of agent 1001's endpoints");
        Reply in = api.call("POST", "/api/agents/me/login", t, "{\"workNumber\":\"1001\",\"endpoint\":\"PJSIP/1001\"}");
        assertThat(in.status()).as(in.text()).isEqualTo(202);
        awaitAgent(t, "me", a -> !a.get("state").asText().equals("logged-out"));
        assertThat(api.call("POST", "/api/agents/me/ready", t, null).status()).isEqualTo(202);
        awaitAgent(t, "1001", a -> a.get("state").asText().equals("ready"));
        assertError(api.call("POST", "/api/agents/me/not-ready", t, "{\"reason\":\"nap\"}"), 400,
                "reason 'nap' (expected one of: break");
        assertError(api.call("POST", "/api/agents/me/not-ready", t, "{}"), 400, "field 'reason' is missing");
        assertThat(api.call("POST", "/api/agents/me/not-ready", t, "{\"reason\":\"lunch\"}").status()).isEqualTo(202);
        JsonNode a = awaitAgent(t, "me", x -> x.get("state").asText().equals("not-ready"));
        assertThat(a.get("reason").asText()).isEqualTo("lunch");
        assertThat(a.get("secondsInState").asLong()).isGreaterThanOrEqualTo(0);
        assertError(api.call("POST", "/api/agents/me/end-wrap-up", t, null), 409, "not in wrap-up");
        assertThat(api.call("POST", "/api/agents/me/logout", t, null).status()).isEqualTo(202);
        awaitAgent(t, "me", x -> x.get("state").asText().equals("logged-out"));
        assertError(api.call("POST", "/api/agents/me/ready", t, null), 409, "log in first");
    }

    @Test
    void anAgentCannotSeeOrActForAnotherAgent() throws Exception {
        String t = api.login("alice");
        assertError(api.call("GET", "/api/agents/1002", t, null), 403, "only their own state");
        assertError(api.call("POST", "/api/agents/1002/ready", t, null), 403, "only their own state");
        assertError(api.call("POST", "/api/agents/1002/logout", t, null), 403, "only their own state");
        assertError(api.call("GET", "/api/queues", t, null), 403, "role agent");
        assertError(api.call("GET", "/api/agents", t, null), 403, "role agent");
        assertError(api.call("GET", "/api/audit", t, null), 403, "role agent");
    }

    // ------------------------------------------------------------------------------------------ supervisor

    @Test
    void aSupervisorSeesAndForcesOnlyTheirTeamsAndIsAudited() throws Exception {
        String sam = api.login("sam");
        JsonNode board = api.call("GET", "/api/agents", sam, null).json().get("agents");
        assertThat(board.findValuesAsText("id")).containsExactlyInAnyOrder("1001", "1002");
        assertThat(api.call("GET", "/api/teams", sam, null).json().get("teams").toString()).isEqualTo("[\"team-a\"]");
        assertError(api.call("GET", "/api/agents?team=team-b", sam, null), 403, "not one of your teams");
        assertError(api.call("GET", "/api/agents/1004", sam, null), 403, "not in your teams");
        assertError(api.call("POST", "/api/agents/1004/logout", sam, null), 403, "not in your teams");
        assertError(api.call("POST", "/api/agents/1002/login", sam, "{\"workNumber\":\"1002\"}"), 403,
                "can log themselves in");

        String bob = api.login("bob");
        api.call("POST", "/api/agents/me/login", bob, "{\"workNumber\":\"1002\"}");
        awaitAgent(bob, "me", a -> !a.get("state").asText().equals("logged-out"));
        assertThat(api.call("POST", "/api/agents/1002/ready", sam, null).status()).isEqualTo(202);
        awaitAgent(sam, "1002", a -> a.get("state").asText().equals("ready"));
        assertThat(api.call("POST", "/api/agents/1002/not-ready", sam, "{\"reason\":\"coaching\"}").status())
                .isEqualTo(202);
        awaitAgent(bob, "me", a -> a.get("reason").asText().equals("coaching"));

        JsonNode queues = api.call("GET", "/api/queues", sam, null).json();
        assertThat(queues.get("queues").get(0).get("name").asText()).isEqualTo("sales");
        assertThat(queues.get("queues").get(0).get("agents").get("not-ready").asInt()).isGreaterThanOrEqualTo(1);

        String root = api.login("root");
        JsonNode audit = api.call("GET", "/api/audit", root, null).json().get("entries");
        assertThat(audit.toString()).contains("\"actor\":\"sam\"").contains("agent.not-ready")
                .contains("reason=coaching").contains("\"target\":\"1002\"");
        assertError(api.call("GET", "/api/audit", sam, null), 403, "role supervisor");
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

        String sam = api.login("sam");
        Reply r = api.call("GET", "/api/queues/intervals?date=2025-03-03", sam, null);
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
        assertThat(api.call("GET", "/api/queues/intervals?date=2025-03-04", sam, null).json().get("queues").size())
                .isZero();

        assertError(api.call("GET", "/api/queues/intervals?date=3/3/2025", sam, null), 400, "expected: YYYY-MM-DD");
        assertError(api.call("GET", "/api/queues/intervals", api.login("alice"), null), 403, "role agent");
        assertThat(api.call("GET", "/api/queues/intervals", null, null).status()).isEqualTo(401);
        // Today's view (nothing today in this test) is what the wallboard gets.
        JsonNode today = api.call("GET", "/api/queues/intervals", sam, null).json();
        assertThat(today.get("date").asText()).isEqualTo(java.time.LocalDate.now(zone).toString());
    }

    // ------------------------------------------------------------------------------------------ admin

    @Test
    void anAdminSeesUsersWithoutHashesAndTheIvrCatalog() throws Exception {
        String root = api.login("root");
        Reply users = api.call("GET", "/api/users", root, null);
        assertThat(users.json().get("users").findValuesAsText("username")).contains("alice", "sam", "root");
        assertThat(users.text()).doesNotContain("$2");
        Reply ivr = api.call("GET", "/api/ivr", root, null);
        assertThat(ivr.status()).isEqualTo(200);
        assertThat(ivr.json().get("scripts").isArray()).isTrue();
        assertThat(api.call("GET", "/api/agents", root, null).json().get("agents").size()).isEqualTo(3);
        assertError(api.call("GET", "/api/users", api.login("sam"), null), 403, "expected: admin");
    }

    @Test
    void phonesAreOfferedByRoleWithoutSecrets() throws Exception {
        JsonNode agent = api.call("GET", "/api/phones", api.login("alice"), null).json();
        assertThat(agent.get("webrtc").isNull()).as("no browser phone without gateway.phones.webrtc_websocket").isTrue();
        assertThat(agent.get("supervisorPhones").size()).isZero();
        assertThat(api.call("GET", "/api/phones", null, null).status()).isEqualTo(401);
    }

    @Test
    void queueViewsCarryTheirThresholdsAndAStatusPerFigure() throws Exception {
        var views = gateway.live().queueViews();
        assertThat(views).isNotEmpty();
        Map<String, Object> q = views.get(0);
        assertThat(q).containsKeys("thresholds", "status", "abandonedPercent", "openSlots");
        assertThat(q.get("status")).hasToString("{waiting=ok, longestWait=ok, asa=ok, abandoned=ok, serviceLevel=ok}");
        assertThat(((Map<?, ?>) q.get("thresholds")).get("waiting")).hasToString("{warn=3, alert=6}");
    }

    // ------------------------------------------------------------------------------------------ WebSocket

    @Test
    void theWebSocketNeedsAValidToken() {
        Throwable t = catchThrowable(() -> api.open("bogus", new LiveListener()));
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) t.getCause()).getResponse().statusCode()).isEqualTo(401);
    }

    private static int handshakeStatus(Throwable t) {
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) t.getCause()).getResponse().statusCode();
    }

    @Test
    void theWebSocketOpensWithAOneTimeTicketNeverWithTheTokenInTheUrl() throws Exception {
        String sam = api.login("sam");
        assertError(api.call("POST", "/api/ws/ticket", null, null), 401, "missing or expired token");
        Reply ticket = api.call("POST", "/api/ws/ticket", sam, null);
        assertThat(ticket.status()).as(ticket.text()).isEqualTo(200);
        assertThat(ticket.json().get("ticket").asText()).isNotEqualTo(sam).hasSizeGreaterThan(40);
        assertThat(ticket.json().get("expiresAt").asText()).isNotBlank();

        LiveListener first = new LiveListener();
        WebSocket ws = api.openWithTicket(ticket.json().get("ticket").asText(), first);
        assertThat(first.next("snapshot")).isNotNull();
        // Used once: the same ticket opens nothing more.
        assertThat(handshakeStatus(catchThrowable(() -> api.openWithTicket(ticket.json().get("ticket").asText(),
                new LiveListener())))).isEqualTo(401);
        // The token itself is refused in the URL, with what to do instead.
        HttpResponse<String> tokenInUrl = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                java.net.URI.create(api.base() + "/ws?token=" + sam)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tokenInUrl.statusCode()).isEqualTo(401);
        assertThat(tokenInUrl.body()).contains("the token does not go in the URL", "POST /api/ws/ticket");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aPageFromAnotherOriginCannotOpenTheWebSocket() throws Exception {
        String sam = api.login("sam");
        String own = api.base().replace("127.0.0.1", "127.0.0.1");
        for (String origin : List.of("https://evil.example.com", "null", own + ".evil.example.com")) {
            String ticket = api.call("POST", "/api/ws/ticket", sam, null).json().get("ticket").asText();
            Throwable t = catchThrowable(() -> java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Origin", origin).buildAsync(java.net.URI.create(api.base().replace("http", "ws")
                            + "/ws?ticket=" + ticket), new LiveListener()).join());
            assertThat(handshakeStatus(t)).as(origin).isEqualTo(403);
        }
        // The gateway's own pages: the origin the browser used to reach it.
        String ticket = api.call("POST", "/api/ws/ticket", sam, null).json().get("ticket").asText();
        LiveListener l = new LiveListener();
        WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", own)
                .buildAsync(java.net.URI.create(api.base().replace("http", "ws") + "/ws?ticket=" + ticket), l).join();
        assertThat(l.next("snapshot")).isNotNull();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aKeyGivenTwiceInABodyIsRefusedByName() throws Exception {
        Reply r = api.call("POST", "/api/login", null,
                "{\"username\":\"root\",\"password\":\"x-x-x-x\",\"username\":\"sam\"}");
        assertError(r, 400, "body has the key 'username' twice");
        assertThat(r.json().get("field").asText()).isEqualTo("username");
        String alice = api.login("alice");
        assertError(api.call("POST", "/api/agents/me/not-ready", alice, "{\"reason\":\"break\",\"reason\":\"lunch\"}"),
                400, "the key 'reason' twice");
    }

    @Test
    void aSupervisorGetsASnapshotThenDeltasAndAnAgentOnlyTheirOwn() throws Exception {
        String sam = api.login("sam");
        LiveListener sup = new LiveListener();
        WebSocket ws = api.open(sam, sup);
        JsonNode snapshot = sup.next("snapshot");
        assertThat(snapshot.get("queues").get(0).get("name").asText()).isEqualTo("sales");
        assertThat(snapshot.get("agents").findValuesAsText("id")).containsExactlyInAnyOrder("1001", "1002");
        // The interval chart's day comes with the snapshot; "this interval" is a column of each queue.
        assertThat(snapshot.get("intervals").get("intervalMinutes").asInt()).isEqualTo(15);
        assertThat(snapshot.get("queues").get(0).has("serviceLevelInterval")).isTrue();

        String dan = api.login("dan");
        LiveListener agent = new LiveListener();
        WebSocket ws2 = api.open(dan, agent);
        assertThat(agent.next("snapshot").get("me").get("id").asText()).isEqualTo("1004");
        api.call("POST", "/api/agents/me/login", dan, "{\"workNumber\":\"1004\"}");
        assertThat(agent.next("agent").get("agent").get("id").asText()).isEqualTo("1004");

        String alice = api.login("alice");
        if (api.call("GET", "/api/agents/me", alice, null).json().get("state").asText().equals("logged-out")) {
            api.call("POST", "/api/agents/me/login", alice, "{\"workNumber\":\"1001\"}");
        } else {
            api.call("POST", "/api/agents/me/not-ready", alice, "{\"reason\":\"meeting\"}");
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

    @Test
    void callControlAndIvrEndpointsNeedAToken() throws Exception {
        for (String path : List.of("/api/agents/me/disposition", "/api/agents/me/transfer", "/api/agents/me/hangup",
                "/api/agents/1001/listen", "/api/agents/1001/whisper", "/api/agents/1001/barge",
                "/api/agents/1001/force", "/api/ivr/validate", "/api/ivr/x/rollback")) {
            assertError(api.call("POST", path, null, "{}"), 401, "token");
        }
        assertError(api.call("GET", "/api/dispositions", null, null), 401, "token");
        assertError(api.call("GET", "/api/ivr/x", "forged", null), 401, "token");
        assertError(api.callText("PUT", "/api/ivr/x", null, "text/yaml", "id: x"), 401, "token");
    }

    @Test
    void anAgentControlsOnlyTheirOwnCallWithValidBodies() throws Exception {
        String alice = api.login("alice");
        assertThat(api.call("GET", "/api/dispositions", alice, null).json().get("codes").toString())
                .contains("repair").contains("site-survey");
        for (String action : List.of("disposition", "transfer", "hangup")) {
            assertError(api.call("POST", "/api/agents/1002/" + action, alice, "{}"), 403, "only their own");
        }
        String sam = api.login("sam");
        assertError(api.call("POST", "/api/agents/1001/transfer", sam, "{\"target\":\"2000\"}"), 403,
                "only agent 1001");
        assertError(api.call("POST", "/api/agents/1004/hangup", sam, "{}"), 403, "not in your teams");

        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{}"), 400, "field 'code' is missing");
        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"bogus\"}"), 400,
                "expected one of: inquiry, repair");
        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\",\"mood\":1}"), 400,
                "unknown field 'mood'");
        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\",\"notes\":\""
                + "x".repeat(2001) + "\"}"), 400, "'notes' has 2001 characters");
        assertError(api.call("POST", "/api/agents/me/transfer", alice, "{}"), 400, "field 'target' is missing");
        assertError(api.call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"2000\",\"attended\":\"yes\"}"),
                400, "field 'attended' is \"yes\" (expected: true or false)");
        assertError(api.call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"not a number!\"}"), 400,
                "'not a number!'");
        assertError(api.call("POST", "/api/agents/me/hangup", alice, "{\"now\":true}"), 400, "unknown field 'now'");

        assertError(api.call("POST", "/api/agents/me/transfer", alice, "{\"target\":\"2000\"}"), 409,
                "not on a call");
        assertError(api.call("POST", "/api/agents/me/hangup", alice, "{}"), 409, "not on a call");
        assertError(api.call("POST", "/api/agents/me/disposition", alice, "{\"code\":\"repair\"}"), 409,
                "has had no call");
    }

    @Test
    void onlyATeamSupervisorOrAnAdminListensWhispersOrBarges() throws Exception {
        String alice = api.login("alice");
        String sam = api.login("sam");
        String root = api.login("root");
        String body = "{\"endpoint\":\"PJSIP/2001\"}";
        assertError(api.call("POST", "/api/agents/1001/listen", alice, body), 403, "role agent");
        assertError(api.call("POST", "/api/agents/1004/whisper", sam, body), 403, "not in your teams");
        assertError(api.call("POST", "/api/agents/1001/barge", sam, "{}"), 400, "choose your phone first");
        assertError(api.call("POST", "/api/agents/1001/barge", sam, "{\"endpoint\":\"my phone\"}"), 400,
                "e.g. PJSIP/2001");
        assertError(api.call("POST", "/api/agents/1001/listen", sam, body), 409, "not on a call");
        assertError(api.call("POST", "/api/agents/1004/whisper", root, body), 409, "not on a call");
        assertError(api.call("POST", "/api/agents/9999/whisper", root, body), 404, "no agent with work number 9999");
    }

    @Test
    void aSupervisorForcesAStateInOneBodyAndIsAudited() throws Exception {
        String bob = api.login("bob");
        if (api.call("GET", "/api/agents/me", bob, null).json().get("state").asText().equals("logged-out")) {
            assertThat(api.call("POST", "/api/agents/me/login", bob, "{\"workNumber\":\"1002\"}").status())
                    .isEqualTo(202);
            awaitAgent(bob, "me", a -> !a.get("state").asText().equals("logged-out"));
        }
        String sam = api.login("sam");
        assertError(api.call("POST", "/api/agents/1002/force", bob, "{\"state\":\"ready\"}"), 403, "role agent");
        assertError(api.call("POST", "/api/agents/1004/force", sam, "{\"state\":\"ready\"}"), 403,
                "not in your teams");
        assertError(api.call("POST", "/api/agents/1002/force", sam, "{\"state\":\"asleep\"}"), 400,
                "expected: ready, not-ready or logout");
        assertError(api.call("POST", "/api/agents/1002/force", sam, "{\"state\":\"not-ready\"}"), 400,
                "field 'reason' is missing");
        assertError(api.call("POST", "/api/agents/1002/force", sam, "{\"state\":\"ready\",\"reason\":\"lunch\"}"),
                400, "only for state not-ready");
        Reply r = api.call("POST", "/api/agents/1002/force", sam, "{\"state\":\"not-ready\",\"reason\":\"coaching\"}");
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
        String root = api.login("root");
        String sam = api.login("sam");
        assertError(api.callText("POST", "/api/ivr/validate", sam, "text/yaml", SCRIPT_V1), 403, "role supervisor");
        assertError(api.callText("PUT", "/api/ivr/greet", sam, "text/yaml", SCRIPT_V1), 403, "role supervisor");
        assertError(api.call("GET", "/api/ivr/greet", sam, null), 403, "role supervisor");
        assertError(api.call("POST", "/api/ivr/greet/rollback", sam, "{}"), 403, "role supervisor");
        assertError(api.callText("PUT", "/api/ivr/bad.id", root, "text/yaml", SCRIPT_V1), 400, "script id 'bad.id'");
        assertError(api.callText("PUT", "/api/ivr/greet", root, "application/json", "{}"), 415, "text/yaml");

        Reply ok = api.callText("POST", "/api/ivr/validate", root, "text/yaml", SCRIPT_V1);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().get("valid").asBoolean()).isTrue();
        assertThat(ok.json().get("flow").get("entry").asText()).isNotBlank();
        assertThat(ok.json().get("flow").get("nodes").size()).isPositive();
        Reply bad = api.callText("POST", "/api/ivr/validate", root, "text/yaml", SCRIPT_BAD);
        assertThat(bad.json().get("valid").asBoolean()).as(bad.text()).isFalse();
        // The flow marks the problem on the node it is about.
        JsonNode badNode = null;
        for (JsonNode n : bad.json().get("flow").get("nodes")) {
            if (n.get("problems").size() > 0) {
                badNode = n;
            }
        }
        assertThat(badNode).as(bad.text()).isNotNull();
        assertThat(badNode.get("problems").get(0).get("message").asText()).contains("dance");
        JsonNode p = bad.json().get("problems").get(0);
        assertThat(p.get("line").asInt()).isEqualTo(5);
        assertThat(p.get("column").asInt()).isPositive();
        assertThat(p.get("message").asText()).contains("dance");

        Reply refused = api.callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_BAD);
        assertError(refused, 422, "line 5");
        assertThat(refused.json().get("problems").size()).isPositive();
        assertThat(dir.resolve("ivr/greet.yaml")).doesNotExist();
        assertError(api.callText("PUT", "/api/ivr/other", root, "text/yaml", SCRIPT_V1), 422, "expected: id: other");
        assertError(api.call("POST", "/api/ivr/greet/rollback", root, "{}"), 409, "no previous version");

        Reply v1 = api.callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_V1);
        assertThat(v1.status()).as(v1.text()).isEqualTo(200);
        assertThat(v1.json().get("live").asBoolean()).isTrue();
        assertThat(engine.ivr().current().scripts()).containsKey("greet");
        Reply v2 = api.callText("PUT", "/api/ivr/greet", root, "text/yaml", SCRIPT_V2);
        assertThat(v2.status()).as(v2.text()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("ivr/greet.yaml.prev"))).isEqualTo(SCRIPT_V1);
        JsonNode source = api.call("GET", "/api/ivr/greet", root, null).json();
        assertThat(source.get("source").asText()).isEqualTo(SCRIPT_V2);
        assertThat(source.get("previous").asBoolean()).isTrue();
        assertThat(source.get("flow").get("nodes").findValuesAsText("name")).isNotEmpty();
        // The scripts folder, to open from.
        JsonNode files = api.call("GET", "/api/ivr", root, null).json().get("files");
        JsonNode greet = null;
        for (JsonNode f : files) {
            if (f.get("id").asText().equals("greet")) {
                greet = f;
            }
        }
        assertThat(greet).as(files.toString()).isNotNull();
        assertThat(greet.get("published").asBoolean()).isTrue();
        assertThat(greet.get("errors").asInt()).isZero();
        assertThat(greet.get("previous").asBoolean()).isTrue();

        Reply back = api.call("POST", "/api/ivr/greet/rollback", root, "{}");
        assertThat(back.status()).as(back.text()).isEqualTo(200);
        assertThat(api.call("GET", "/api/ivr/greet", root, null).json().get("source").asText()).isEqualTo(SCRIPT_V1);
        assertThat(Files.readString(dir.resolve("ivr/greet.yaml.prev"))).isEqualTo(SCRIPT_V2);
        assertThat(engine.ivr().current().script("greet").orElseThrow().entry()).isEqualTo("bye");
        assertError(api.call("GET", "/api/ivr/nothing", root, null), 404, "nothing.yaml");
        assertThat(gateway.audit().recent()).extracting(e -> e.action() + " " + e.target())
                .contains("ivr.publish greet", "ivr.rollback greet");
    }
}
