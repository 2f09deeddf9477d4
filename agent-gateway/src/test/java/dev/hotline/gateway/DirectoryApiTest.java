package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.audit.AuditEntry;
import dev.hotline.gateway.auth.Passwords;
import dev.hotline.gateway.auth.Role;
import dev.hotline.gateway.auth.User;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory and priority endpoints over real HTTP and WebSocket, in front of a real engine with its embedded
 * database: role boundaries, bad bodies, audit, live effect and pushes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DirectoryApiTest {

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
                        dir.resolve("data"), "", "", dev.hotline.yaml.Secret.NONE, 2), dir.resolve("ivr"),
                dir.resolve("calendars"), List.of(QueueConfig.simple("sales", Map.of("sales", 1)),
                QueueConfig.simple("support", Map.of("support", 1))), d.acd(), dir.resolve("agents.yaml"));
        List<AgentConfig> agents = List.of(agent("1001", "team-a", Map.of("sales", 5)),
                agent("1002", "team-a", Map.of("sales", 3)), agent("1004", "team-b", Map.of("support", 6)));
        engine = new HotlineEngine(config, agents, "test").start();
        String hash = Passwords.hash("secret-pw", 4);
        UserStore users = new UserStore(List.of(
                new User("alice", hash, Role.AGENT, Optional.of("1001"), Set.of("team-a")),
                new User("sam", hash, Role.SUPERVISOR, Optional.empty(), Set.of("team-a")),
                new User("tina", hash, Role.SUPERVISOR, Optional.empty(), Set.of("team-b")),
                new User("root", hash, Role.ADMIN, Optional.empty(), Set.of())));
        GatewayConfig gc = GatewayConfig.DEFAULTS.withPort(0).withAuditFile(dir.resolve("audit.log"));
        gateway = Gateway.start(engine, gc, users, InstantSource.system());
        base = gateway.url();
    }

    private static AgentConfig agent(String id, String team, Map<String, Integer> skills) {
        return new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id), skills, Set.of(team), "hq", Set.of("en"));
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

    static JsonNode validateYaml(String token, String script) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/ivr/validate"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/yaml")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(script)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
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

    static void assertError(Reply r, int status, String detailPart) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.json().get("error").asText()).isNotBlank();
        assertThat(r.json().get("detail").asText()).contains(detailPart);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.hotline");
    }

    static JsonNode awaitJson(String method, String path, String token, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call(method, path, token, null).json();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never reached the expected state; last: " + last);
    }

    static List<AuditEntry> audit(String action) {
        return gateway.audit().recent().stream().filter(e -> e.action().equals(action)).toList();
    }

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

        JsonNode next(String type, Predicate<JsonNode> matching) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals(type) && matching.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no matching '" + type + "' message within 5 s");
        }
    }

    static WebSocket open(String token, Listener l) {
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?token=" + token), l)
                .join();
    }

    /** A call waiting in {@code queue}, put straight into routing (no Asterisk in these tests). */
    static void waitingCall(String id, String queue) throws Exception {
        engine.acd().callbackPort().post(new Command.Enqueue(Call.of(id, queue), Optional.empty(), true));
        awaitJson("GET", "/api/calls/waiting", login("root"), j -> j.get("calls").findValuesAsText("callId")
                .contains(id));
    }

    // ------------------------------------------------------------------------------------------ supervisor actions

    @Test
    @Order(1)
    void roleBoundariesOfTheSupervisorActions() throws Exception {
        String alice = login("alice");
        String sam = login("sam");
        assertError(call("PUT", "/api/agents/1001/skills", null, "{\"skills\":{\"sales\":5}}"), 401, "token");
        assertError(call("PUT", "/api/agents/1001/skills", alice, "{\"skills\":{\"sales\":9}}"), 403,
                "role agent may not");
        assertError(call("PUT", "/api/agents/1004/skills", sam, "{\"skills\":{\"support\":9}}"), 403,
                "agent 1004 is not in your teams");
        assertError(call("PUT", "/api/agents/1004/queues", sam, "{\"queues\":[]}"), 403, "not in your teams");
        assertError(call("PUT", "/api/agents/9999/skills", login("root"), "{\"skills\":{}}"), 404, "9999");
        assertError(call("GET", "/api/calls/waiting", alice, null), 403, "role agent");
        assertError(call("POST", "/api/calls/c1/priority", alice, "{\"priority\":5}"), 403, "role agent");
        assertError(call("GET", "/api/directory/agents", sam, null), 403, "expected: admin");
        assertError(call("POST", "/api/directory/skills", sam, "{\"name\":\"french\"}"), 403, "expected: admin");
        assertError(call("POST", "/api/directory/agents/1001/disable", sam, null), 403, "expected: admin");
        assertThat(call("GET", "/api/directory/queues", sam, null).status()).isEqualTo(200);
        assertThat(call("GET", "/api/directory/skills", sam, null).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aSupervisorChangesTheSkillsOfAnAgentOfTheirTeamLiveAndItIsAuditedAndPushed() throws Exception {
        String sam = login("sam");
        Listener board = new Listener();
        WebSocket ws = open(sam, board);
        board.next("snapshot", m -> true);

        Reply r = call("PUT", "/api/agents/1002/skills", sam, "{\"skills\":{\"sales\":3,\"support\":2}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("definition").get("skills").get("support").asInt()).isEqualTo(2);
        assertThat(r.json().get("origin").asText()).isEqualTo("overridden");

        JsonNode pushed = board.next("agent", m -> m.get("agent").get("id").asText().equals("1002"));
        assertThat(pushed.get("agent").get("skills").get("support").asInt()).isEqualTo(2);
        assertThat(call("GET", "/api/agents/1002", sam, null).json().get("skills").get("support").asInt())
                .isEqualTo(2);
        AuditEntry e = audit("agent.skills").getFirst();
        assertThat(e.actor()).isEqualTo("sam");
        assertThat(e.target()).isEqualTo("1002");
        assertThat(e.detail()).isEqualTo("skills: {sales=3} → {sales=3, support=2}");

        r = call("PUT", "/api/agents/1002/queues", sam, "{\"queues\":[\"sales\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(engine.acd().queuesOf("1002").get(5, TimeUnit.SECONDS)).containsExactly("sales");
        assertThat(audit("agent.queues").getFirst().detail()).isEqualTo("queues: [] → [sales]");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    @Order(3)
    void badSkillAndQueueBodiesAreRefusedWithTheFieldAndWhatIsExpected() throws Exception {
        String sam = login("sam");
        Reply r = call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"sales\":11}}");
        assertError(r, 400, "skills.sales: 11 (expected: an integer from 1 to 10)");
        assertThat(r.json().get("problems").get(0).get("path").asText()).isEqualTo("skills.sales");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"sales\":\"high\"}}"), 400,
                "expected: an integer from 1 to 10");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"karate\":3}}"), 400,
                "unknown skill 'karate' (expected one of: sales, support");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":[\"sales\"]}"), 400,
                "field 'skills' is a array (expected: an object of skill name to level");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "{}"), 400, "field 'skills' is missing");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{},\"level\":3}"), 400,
                "unknown field 'level'");
        assertError(call("PUT", "/api/agents/1001/queues", sam, "{\"queues\":[\"nowhere\"]}"), 400,
                "queues: unknown queue 'nowhere' (expected one of: sales, support)");
        assertError(call("PUT", "/api/agents/1001/queues", sam, "{\"queues\":\"sales\"}"), 400,
                "expected: a list of queue names");
        assertError(call("PUT", "/api/agents/1001/skills", sam, "not json"), 400, "not valid JSON");
        assertThat(call("GET", "/api/agents/1001", sam, null).json().get("skills").get("sales").asInt())
                .as("nothing changed").isEqualTo(5);
    }

    @Test
    @Order(4)
    void aSupervisorReprioritisesAWaitingCallInAQueueTheirTeamServes() throws Exception {
        String sam = login("sam");
        String tina = login("tina");
        waitingCall("call-1", "sales");
        waitingCall("call-2", "sales");
        waitingCall("call-3", "support");
        Listener board = new Listener();
        WebSocket ws = open(sam, board);
        assertThat(board.next("snapshot", m -> true).has("waiting")).isTrue();
        assertThat(board.next("waiting", m -> m.get("calls").size() == 2).get("calls").findValuesAsText("callId"))
                .as("sam's teams serve sales only").containsExactly("call-1", "call-2");

        Reply list = call("GET", "/api/calls/waiting", sam, null);
        assertThat(list.json().get("calls").findValuesAsText("callId")).as("sam's teams serve sales only")
                .containsExactly("call-1", "call-2");

        Reply r = call("POST", "/api/calls/call-2/priority", sam, "{\"priority\":7}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("from").asInt()).isZero();
        assertThat(r.json().get("priority").asInt()).isEqualTo(7);
        assertThat(r.json().get("position").asInt()).isEqualTo(1);
        JsonNode pushed = board.next("waiting", m -> m.get("calls").size() > 0
                && m.get("calls").get(0).get("callId").asText().equals("call-2"));
        assertThat(pushed.get("calls").get(0).get("priority").asInt()).isEqualTo(7);
        assertThat(audit("call.priority").getFirst().detail()).isEqualTo("queue=sales priority 0 → 7, position 1");

        assertError(call("POST", "/api/calls/call-3/priority", sam, "{\"priority\":7}"), 403,
                "waits in queue support, which no agent of your teams [team-a] serves");
        assertThat(call("POST", "/api/calls/call-3/priority", tina, "{\"priority\":7}").status()).isEqualTo(200);
        assertError(call("POST", "/api/calls/nope/priority", sam, "{\"priority\":7}"), 404, "no waiting call nope");
        assertError(call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":101}"), 400,
                "expected: an integer from 0 to 100");
        assertError(call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":\"high\"}"), 400,
                "field 'priority' is \"high\"");
        assertError(call("POST", "/api/calls/call-1/priority", sam, "{}"), 400, "field 'priority' is missing");
        assertError(call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":1,\"why\":\"vip\"}"), 400,
                "unknown field 'why'");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    // ------------------------------------------------------------------------------------------ admin

    @Test
    @Order(5)
    void anAdminManagesSkillsAgentsAndQueues() throws Exception {
        String root = login("root");
        Reply r = call("POST", "/api/directory/skills", root, "{\"name\":\"french\",\"description\":\"French\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertError(call("POST", "/api/directory/skills", root, "{\"name\":\"french\"}"), 409, "already exists");
        assertError(call("POST", "/api/directory/skills", root, "{\"name\":\"Not Valid\"}"), 400,
                "expected: 1-64 of a-z");
        assertThat(call("PUT", "/api/directory/skills/french", root, "{\"description\":\"Speaks French\"}")
                .json().get("definition").get("description").asText()).isEqualTo("Speaks French");

        r = call("POST", "/api/directory/agents", root, "{\"id\":\"2001\",\"name\":\"Zoe\",\"endpoint\":"
                + "\"PJSIP/2001\",\"skills\":{\"french\":6,\"support\":4},\"teams\":[\"team-b\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("origin").asText()).isEqualTo("database");
        assertThat(call("GET", "/api/agents/2001", login("tina"), null).status()).as("live for supervisors")
                .isEqualTo(200);
        r = call("POST", "/api/directory/agents", root, "{\"id\":\"2002\",\"endpoint\":\"SIP\",\"skils\":{}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("problems").findValuesAsText("path")).contains("skils");
        assertThat(r.json().get("detail").asText()).contains("did you mean 'skills'");
        assertError(call("PUT", "/api/directory/agents/2001", root, "{\"id\":\"2003\",\"endpoint\":\"PJSIP/2001\"}"),
                400, "expected: '2001'");
        r = call("PUT", "/api/directory/agents/2001", root, "{\"name\":\"Zoe B.\",\"endpoint\":\"PJSIP/2001\","
                + "\"skills\":{\"french\":7},\"teams\":[\"team-b\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(audit("directory.agent.change").getFirst().detail()).contains("name: Zoe → Zoe B.")
                .contains("skills: {french=6, support=4} → {french=7}");

        // A script may name a queue as soon as the directory has it (IVR validation sees the live queues).
        String vipScript = "id: vipline\nentry: q\nnodes:\n  q: {type: queue, queue: vip}\n";
        assertThat(validateYaml(root, vipScript).get("problems").toString()).contains("unknown queue \\\"vip\\\"");
        r = call("POST", "/api/directory/queues", root, "{\"name\":\"vip\",\"skills\":{\"french\":5},"
                + "\"max_wait\":\"2m\",\"strategy\":\"most-skilled\",\"escalation\":[{\"after\":\"30s\","
                + "\"move_to\":\"sales\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("definition").get("max_wait").asText()).isEqualTo("2m");
        assertThat(engine.acd().queueConfigs()).containsKey("vip");
        assertThat(validateYaml(root, vipScript).get("problems")).as("vip is known now").isEmpty();
        assertError(call("POST", "/api/directory/queues", root, "{\"name\":\"vip2\",\"strategy\":\"random\"}"),
                400, "strategy: \"random\" (expected: one of longest-idle, most-skilled");
        r = call("PUT", "/api/directory/queues/vip", root, "{\"skills\":{\"french\":3},\"max_wait\":\"90s\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(engine.acd().queueConfigs().get("vip").maxWait()).isEqualTo(Duration.ofSeconds(90));

        assertThat(call("POST", "/api/directory/queues/vip/disable", root, null).status()).isEqualTo(200);
        assertError(call("POST", "/api/directory/queues/vip/disable", root, null), 409, "already disabled");
        awaitJson("GET", "/api/queues", root, j -> j.get("queues").findParents("name").stream()
                .anyMatch(q -> q.get("name").asText().equals("vip") && q.get("disabled").asBoolean()));
        assertThat(call("POST", "/api/directory/queues/vip/enable", root, null).status()).isEqualTo(200);

        assertThat(call("POST", "/api/directory/agents/2001/disable", root, null).status()).isEqualTo(200);
        awaitJson("GET", "/api/agents/2001", root, j -> j.get("disabled").asBoolean());
        assertThat(audit("directory.agent.disable").getFirst().detail()).isEqualTo("enabled → disabled");
        assertError(call("POST", "/api/directory/agents/9999/enable", root, null), 404, "no agent with work number");
        assertError(call("POST", "/api/directory/skills/french/disable", root, "{\"now\":true}"), 400,
                "unknown field 'now'");

        JsonNode agents = call("GET", "/api/directory/agents", root, null).json().get("agents");
        assertThat(agents.findValuesAsText("origin")).contains("file", "database", "overridden");
        JsonNode skills = call("GET", "/api/directory/skills", root, null).json().get("skills");
        assertThat(skills.findValuesAsText("name")).containsExactly("french", "sales", "support");
    }

    @Test
    @Order(6)
    void aQueueTheRoutingCoreWouldRefuseIsA400WithTheFieldNotA500() throws Exception {
        String root = login("root");
        Reply r = call("POST", "/api/directory/queues", root, "{\"name\":\"ranked\",\"strategy\":\"most-skilled\"}");
        assertError(r, 400, "strategy: most-skilled with no skills");
        assertThat(r.json().get("problems").findValuesAsText("path")).containsExactly("strategy");
        r = call("POST", "/api/directory/queues", root, "{\"name\":\"loop\",\"escalation\":[{\"after\":\"30s\","
                + "\"move_to\":\"loop\"}]}");
        assertError(r, 400, "\"loop\" is this queue");
        r = call("PUT", "/api/directory/queues/vip", root, "{\"skills\":{\"french\":3},\"escalation\":[{\"after\":"
                + "\"30s\",\"move_to\":\"sales\"}]}");
        assertThat(r.status()).as("later changes work: " + r.text()).isEqualTo(200);
        r = call("PUT", "/api/directory/queues/sales", root, "{\"skills\":{\"sales\":1},\"escalation\":[{\"after\":"
                + "\"30s\",\"move_to\":\"vip\"}]}");
        assertError(r, 400, "\"vip\" leads back to sales (sales → vip → sales;");
        assertThat(engine.acd().queueConfigs()).doesNotContainKeys("ranked", "loop");
        assertThat(call("GET", "/api/directory/queues", root, null).json().get("queues").findValuesAsText("name"))
                .doesNotContain("ranked", "loop");
    }

    @Test
    @Order(99)
    void aDatabaseThatIsDownAnswers503AndChangesNothing() throws Exception {
        String root = login("root");
        engine.records().database().close();   // last test: the pool is gone for good
        Reply r = call("PUT", "/api/agents/1001/skills", root, "{\"skills\":{\"sales\":2}}");
        assertError(r, 503, "unreachable");
        assertThat(r.json().get("detail").asText()).contains("nothing was changed");
        assertThat(call("GET", "/api/agents/1001", root, null).json().get("skills").get("sales").asInt())
                .isEqualTo(5);
    }
}
