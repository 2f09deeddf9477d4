package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.audit.AuditEntry;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.LiveListener;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory and priority endpoints over real HTTP and WebSocket, in front of a real engine with its embedded
 * database: role boundaries, bad bodies, audit, live effect and pushes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")
class DirectoryApiTest {

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static Gateway gateway;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir)
                .queues(QueueConfig.simple("sales", Map.of("sales", 1)),
                        QueueConfig.simple("support", Map.of("support", 1)))
                .agents(agent("1001", "team-a", Map.of("sales", 5)), agent("1002", "team-a", Map.of("sales", 3)),
                        agent("1004", "team-b", Map.of("support", 6)))
                .agentUser("alice", "1001", "team-a").supervisor("sam", "team-a").supervisor("tina", "team-b")
                .admin("root")
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

    static JsonNode validateYaml(String token, String script) throws Exception {
        Reply r = api.callText("POST", "/api/ivr/validate", token, "text/yaml", script);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    static List<AuditEntry> audit(String action) {
        return gateway.audit().recent().stream().filter(e -> e.action().equals(action)).toList();
    }

    /** A call waiting in {@code queue}, put straight into routing (no Asterisk in these tests). */
    static void waitingCall(String id, String queue) throws Exception {
        engine.acd().callbackPort().post(new Command.Enqueue(Call.of(id, queue), Optional.empty(), true));
        api.awaitJson("GET", "/api/calls/waiting", api.login("root"), j -> j.get("calls").findValuesAsText("callId")
                .contains(id));
    }

    // ------------------------------------------------------------------------------------------ supervisor actions

    @Test
    @Order(1)
    void roleBoundariesOfTheSupervisorActions() throws Exception {
        String alice = api.login("alice");
        String sam = api.login("sam");
        assertError(api.call("PUT", "/api/agents/1001/skills", null, "{\"skills\":{\"sales\":5}}"), 401, "token");
        assertError(api.call("PUT", "/api/agents/1001/skills", alice, "{\"skills\":{\"sales\":9}}"), 403,
                "role agent may not");
        assertError(api.call("PUT", "/api/agents/1004/skills", sam, "{\"skills\":{\"support\":9}}"), 403,
                "agent 1004 is not in your teams");
        assertError(api.call("PUT", "/api/agents/1004/queues", sam, "{\"queues\":[]}"), 403, "not in your teams");
        assertError(api.call("PUT", "/api/agents/9999/skills", api.login("root"), "{\"skills\":{}}"), 404, "9999");
        assertError(api.call("GET", "/api/calls/waiting", alice, null), 403, "role agent");
        assertError(api.call("POST", "/api/calls/c1/priority", alice, "{\"priority\":5}"), 403, "role agent");
        assertError(api.call("GET", "/api/directory/agents", sam, null), 403, "expected: admin");
        assertError(api.call("POST", "/api/directory/skills", sam, "{\"name\":\"french\"}"), 403, "expected: admin");
        assertError(api.call("POST", "/api/directory/agents/1001/disable", sam, null), 403, "expected: admin");
        assertThat(api.call("GET", "/api/directory/queues", sam, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/api/directory/skills", sam, null).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aSupervisorChangesTheSkillsOfAnAgentOfTheirTeamLiveAndItIsAuditedAndPushed() throws Exception {
        String sam = api.login("sam");
        LiveListener board = new LiveListener();
        WebSocket ws = api.open(sam, board);
        board.next("snapshot", m -> true);

        Reply r = api.call("PUT", "/api/agents/1002/skills", sam, "{\"skills\":{\"sales\":3,\"support\":2}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("definition").get("skills").get("support").asInt()).isEqualTo(2);
        assertThat(r.json().get("origin").asText()).isEqualTo("overridden");

        JsonNode pushed = board.next("agent", m -> m.get("agent").get("id").asText().equals("1002"));
        assertThat(pushed.get("agent").get("skills").get("support").asInt()).isEqualTo(2);
        assertThat(api.call("GET", "/api/agents/1002", sam, null).json().get("skills").get("support").asInt())
                .isEqualTo(2);
        AuditEntry e = audit("agent.skills").getFirst();
        assertThat(e.actor()).isEqualTo("sam");
        assertThat(e.target()).isEqualTo("1002");
        assertThat(e.detail()).isEqualTo("skills: {sales=3} → {sales=3, support=2}");

        r = api.call("PUT", "/api/agents/1002/queues", sam, "{\"queues\":[\"sales\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(engine.acd().queuesOf("1002").get(5, TimeUnit.SECONDS)).containsExactly("sales");
        assertThat(audit("agent.queues").getFirst().detail()).isEqualTo("queues: [] → [sales]");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    @Order(3)
    void badSkillAndQueueBodiesAreRefusedWithTheFieldAndWhatIsExpected() throws Exception {
        String sam = api.login("sam");
        Reply r = api.call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"sales\":11}}");
        assertError(r, 400, "skills.sales: 11 (expected: an integer from 1 to 10)");
        assertThat(r.json().get("problems").get(0).get("path").asText()).isEqualTo("skills.sales");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"sales\":\"high\"}}"), 400,
                "expected: an integer from 1 to 10");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{\"karate\":3}}"), 400,
                "unknown skill 'karate' (expected one of: sales, support");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":[\"sales\"]}"), 400,
                "field 'skills' is a array (expected: an object of skill name to level");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "{}"), 400, "field 'skills' is missing");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "{\"skills\":{},\"level\":3}"), 400,
                "unknown field 'level'");
        assertError(api.call("PUT", "/api/agents/1001/queues", sam, "{\"queues\":[\"nowhere\"]}"), 400,
                "queues: unknown queue 'nowhere' (expected one of: sales, support)");
        assertError(api.call("PUT", "/api/agents/1001/queues", sam, "{\"queues\":\"sales\"}"), 400,
                "expected: a list of queue names");
        assertError(api.call("PUT", "/api/agents/1001/skills", sam, "not json"), 400, "not valid JSON");
        assertThat(api.call("GET", "/api/agents/1001", sam, null).json().get("skills").get("sales").asInt())
                .as("nothing changed").isEqualTo(5);
    }

    @Test
    @Order(4)
    void aSupervisorReprioritisesAWaitingCallInAQueueTheirTeamServes() throws Exception {
        String sam = api.login("sam");
        String tina = api.login("tina");
        waitingCall("call-1", "sales");
        waitingCall("call-2", "sales");
        waitingCall("call-3", "support");
        LiveListener board = new LiveListener();
        WebSocket ws = api.open(sam, board);
        assertThat(board.next("snapshot", m -> true).has("waiting")).isTrue();
        assertThat(board.next("waiting", m -> m.get("calls").size() == 2).get("calls").findValuesAsText("callId"))
                .as("sam's teams serve sales only").containsExactly("call-1", "call-2");

        Reply list = api.call("GET", "/api/calls/waiting", sam, null);
        assertThat(list.json().get("calls").findValuesAsText("callId")).as("sam's teams serve sales only")
                .containsExactly("call-1", "call-2");

        Reply r = api.call("POST", "/api/calls/call-2/priority", sam, "{\"priority\":7}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("from").asInt()).isZero();
        assertThat(r.json().get("priority").asInt()).isEqualTo(7);
        assertThat(r.json().get("position").asInt()).isEqualTo(1);
        JsonNode pushed = board.next("waiting", m -> m.get("calls").size() > 0
                && m.get("calls").get(0).get("callId").asText().equals("call-2"));
        assertThat(pushed.get("calls").get(0).get("priority").asInt()).isEqualTo(7);
        assertThat(audit("call.priority").getFirst().detail()).isEqualTo("queue=sales priority 0 → 7, position 1");

        assertError(api.call("POST", "/api/calls/call-3/priority", sam, "{\"priority\":7}"), 403,
                "waits in queue support, which no agent of your teams [team-a] serves");
        assertThat(api.call("POST", "/api/calls/call-3/priority", tina, "{\"priority\":7}").status()).isEqualTo(200);
        assertError(api.call("POST", "/api/calls/nope/priority", sam, "{\"priority\":7}"), 404, "no waiting call nope");
        assertError(api.call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":101}"), 400,
                "expected: an integer from 0 to 100");
        assertError(api.call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":\"high\"}"), 400,
                "field 'priority' is \"high\"");
        assertError(api.call("POST", "/api/calls/call-1/priority", sam, "{}"), 400, "field 'priority' is missing");
        assertError(api.call("POST", "/api/calls/call-1/priority", sam, "{\"priority\":1,\"why\":\"vip\"}"), 400,
                "unknown field 'why'");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    // ------------------------------------------------------------------------------------------ admin

    @Test
    @Order(5)
    void anAdminManagesSkillsAgentsAndQueues() throws Exception {
        String root = api.login("root");
        Reply r = api.call("POST", "/api/directory/skills", root, "{\"name\":\"french\",\"description\":\"French\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertError(api.call("POST", "/api/directory/skills", root, "{\"name\":\"french\"}"), 409, "already exists");
        assertError(api.call("POST", "/api/directory/skills", root, "{\"name\":\"Not Valid\"}"), 400,
                "expected: 1-64 of a-z");
        assertThat(api.call("PUT", "/api/directory/skills/french", root, "{\"description\":\"Speaks French\"}")
                .json().get("definition").get("description").asText()).isEqualTo("Speaks French");

        r = api.call("POST", "/api/directory/agents", root, "{\"id\":\"2001\",\"name\":\"Zoe\",\"endpoint\":"
                + "\"PJSIP/2001\",\"skills\":{\"french\":6,\"support\":4},\"teams\":[\"team-b\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("origin").asText()).isEqualTo("database");
        assertThat(api.call("GET", "/api/agents/2001", api.login("tina"), null).status()).as("live for supervisors")
                .isEqualTo(200);
        r = api.call("POST", "/api/directory/agents", root, "{\"id\":\"2002\",\"endpoint\":\"SIP\",\"skils\":{}}");
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("problems").findValuesAsText("path")).contains("skils");
        assertThat(r.json().get("detail").asText()).contains("did you mean 'skills'");
        assertError(api.call("PUT", "/api/directory/agents/2001", root,
                "{\"id\":\"2003\",\"endpoint\":\"PJSIP/2001\"}"),
                400, "expected: '2001'");
        r = api.call("PUT", "/api/directory/agents/2001", root, "{\"name\":\"Zoe B.\",\"endpoint\":\"PJSIP/2001\","
                + "\"skills\":{\"french\":7},\"teams\":[\"team-b\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(audit("directory.agent.change").getFirst().detail()).contains("name: Zoe → Zoe B.")
                .contains("skills: {french=6, support=4} → {french=7}");

        // A script may name a queue as soon as the directory has it (IVR validation sees the live queues).
        String vipScript = "id: vipline\nentry: q\nnodes:\n  q: {type: queue, queue: vip}\n";
        assertThat(validateYaml(root, vipScript).get("problems").toString()).contains("unknown queue \\\"vip\\\"");
        r = api.call("POST", "/api/directory/queues", root, "{\"name\":\"vip\",\"skills\":{\"french\":5},"
                + "\"max_wait\":\"2m\",\"strategy\":\"most-skilled\",\"escalation\":[{\"after\":\"30s\","
                + "\"move_to\":\"sales\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().get("definition").get("max_wait").asText()).isEqualTo("2m");
        assertThat(engine.acd().queueConfigs()).containsKey("vip");
        assertThat(validateYaml(root, vipScript).get("problems")).as("vip is known now").isEmpty();
        assertError(api.call("POST", "/api/directory/queues", root, "{\"name\":\"vip2\",\"strategy\":\"random\"}"),
                400, "strategy: \"random\" (expected: one of longest-idle, most-skilled");
        r = api.call("PUT", "/api/directory/queues/vip", root, "{\"skills\":{\"french\":3},\"max_wait\":\"90s\"}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(engine.acd().queueConfigs().get("vip").maxWait()).isEqualTo(Duration.ofSeconds(90));

        assertThat(api.call("POST", "/api/directory/queues/vip/disable", root, null).status()).isEqualTo(200);
        assertError(api.call("POST", "/api/directory/queues/vip/disable", root, null), 409, "already disabled");
        api.awaitJson("GET", "/api/queues", root, j -> j.get("queues").findParents("name").stream()
                .anyMatch(q -> q.get("name").asText().equals("vip") && q.get("disabled").asBoolean()));
        assertThat(api.call("POST", "/api/directory/queues/vip/enable", root, null).status()).isEqualTo(200);

        assertThat(api.call("POST", "/api/directory/agents/2001/disable", root, null).status()).isEqualTo(200);
        api.awaitJson("GET", "/api/agents/2001", root, j -> j.get("disabled").asBoolean());
        assertThat(audit("directory.agent.disable").getFirst().detail()).isEqualTo("enabled → disabled");
        assertError(api.call("POST", "/api/directory/agents/9999/enable", root, null), 404,
                "no agent with work number");
        assertError(api.call("POST", "/api/directory/skills/french/disable", root, "{\"now\":true}"), 400,
                "unknown field 'now'");

        JsonNode agents = api.call("GET", "/api/directory/agents", root, null).json().get("agents");
        assertThat(agents.findValuesAsText("origin")).contains("file", "database", "overridden");
        JsonNode skills = api.call("GET", "/api/directory/skills", root, null).json().get("skills");
        assertThat(skills.findValuesAsText("name")).containsExactly("french", "sales", "support");
    }

    @Test
    @Order(6)
    void aQueueTheRoutingCoreWouldRefuseIsA400WithTheFieldNotA500() throws Exception {
        String root = api.login("root");
        Reply r = api.call("POST", "/api/directory/queues", root,
                "{\"name\":\"ranked\",\"strategy\":\"most-skilled\"}");
        assertError(r, 400, "strategy: most-skilled with no skills");
        assertThat(r.json().get("problems").findValuesAsText("path")).containsExactly("strategy");
        r = api.call("POST", "/api/directory/queues", root, "{\"name\":\"loop\",\"escalation\":[{\"after\":\"30s\","
                + "\"move_to\":\"loop\"}]}");
        assertError(r, 400, "\"loop\" is this queue");
        r = api.call("PUT", "/api/directory/queues/vip", root, "{\"skills\":{\"french\":3},\"escalation\":[{\"after\":"
                + "\"30s\",\"move_to\":\"sales\"}]}");
        assertThat(r.status()).as("later changes work: " + r.text()).isEqualTo(200);
        r = api.call("PUT", "/api/directory/queues/sales", root, "{\"skills\":{\"sales\":1},\"escalation\":[{\"after\":"
                + "\"30s\",\"move_to\":\"vip\"}]}");
        assertError(r, 400, "\"vip\" leads back to sales (sales → vip → sales;");
        assertThat(engine.acd().queueConfigs()).doesNotContainKeys("ranked", "loop");
        assertThat(api.call("GET", "/api/directory/queues", root, null).json().get("queues").findValuesAsText("name"))
                .doesNotContain("ranked", "loop");
    }

    @Test
    @Order(99)
    void aDatabaseThatIsDownAnswers503AndChangesNothing() throws Exception {
        String root = api.login("root");
        engine.records().database().close();   // last test: the pool is gone for good
        Reply r = api.call("PUT", "/api/agents/1001/skills", root, "{\"skills\":{\"sales\":2}}");
        assertError(r, 503, "unreachable");
        assertThat(r.json().get("detail").asText()).contains("nothing was changed");
        assertThat(api.call("GET", "/api/agents/1001", root, null).json().get("skills").get("sales").asInt())
                .isEqualTo(5);
    }
}
