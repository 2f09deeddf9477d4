package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/** Scheduled callbacks over the API: role boundaries, bad bodies, the agent's list, the wallboard's overdue alert. */
@Tag("slow")
class CallbacksApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir)
                .queues(QueueConfig.simple("sales", Map.of("sales", 1)),
                        QueueConfig.simple("support", Map.of("support", 1)))
                .agents(agent("1001", "team-a", Map.of("sales", 5)), agent("1002", "team-a", Map.of("sales", 5)),
                        agent("1004", "team-b", Map.of("support", 5)))
                .agentUser("alice", "1001", "team-a").agentUser("bob", "1002", "team-a").supervisor("sam", "team-a")
                .admin("root")
                .start();
        engine = live.engine();
        api = live.client();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.callbacks().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(engine.callbacks()).as("callbacks started on the embedded database").isPresent();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static String in(Duration d) {
        return Instant.now().plus(d).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A schedule request; {@code key}: its idempotency key, if any. */
    private static String body(String key, String queue, String number, String dueAt, String owner, String note) {
        var o = JSON.createObjectNode();
        if (key != null) {
            o.put("idempotencyKey", key);
        }
        o.put("queue", queue).put("number", number).put("dueAt", dueAt);
        if (owner != null) {
            o.put("owner", owner);
        }
        if (note != null) {
            o.put("note", note);
        }
        return o.toString();
    }

    private static List<String> ids(Reply list) {
        List<String> out = new ArrayList<>();
        list.json().get("callbacks").forEach(c -> out.add(c.get("id").asText()));
        return out;
    }

    /** Schedules and answers the server-assigned id. */
    private static String scheduled(String token, String body) throws Exception {
        Reply r = api.call("POST", "/api/callbacks", token, body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        String id = r.json().get("id").asText();
        assertThat(id).startsWith("sched-");
        return id;
    }

    // ------------------------------------------------------------------------------------------ agents

    @Test
    void anAgentSchedulesForThemselvesAndSeesOnlyTheirOwnPendingCallbacksInDueOrder() throws Exception {
        String alice = api.login("alice");
        String later = in(Duration.ofHours(3));
        Reply created = api.call("POST", "/api/callbacks", alice,
                body("a-later", "sales", "06 12 34 56 78", later, "1001", "quote follow-up"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String aLater = created.json().get("id").asText();
        assertThat(created.json().get("number").asText()).as("spaces dropped").isEqualTo("0612345678");
        assertThat(created.json().get("dueAt").asText()).isEqualTo(later);
        assertThat(created.json().get("owner").asText()).isEqualTo("1001");
        assertThat(created.json().get("kind").asText()).isEqualTo("scheduled");
        assertThat(created.json().get("overdue").asBoolean()).isFalse();
        String aSooner = scheduled(alice, body("a-sooner", "sales", "0699999999", in(Duration.ofHours(1)), "1001",
                null));

        Reply mine = api.call("GET", "/api/agents/me/callbacks", alice, null);
        assertThat(mine.status()).as(mine.text()).isEqualTo(200);
        assertThat(mine.json().get("agentId").asText()).isEqualTo("1001");
        List<String> list = ids(mine);
        assertThat(list).contains(aSooner, aLater);
        assertThat(list.indexOf(aSooner)).as("due order").isLessThan(list.indexOf(aLater));
        assertThat(mine.json().get("queues").toString()).contains("sales", "support");
        assertThat(ids(api.call("GET", "/api/agents/me/callbacks", api.login("bob"), null))).doesNotContain(aLater);

        // Stored, and in the engine's routing memory.
        Callbacks service = engine.callbacks().orElseThrow();
        assertThat(service.store().find(aLater)).hasValueSatisfying(c -> {
            assertThat(c.note()).isEqualTo("quote follow-up");
            assertThat(c.owner()).contains("1001");
        });
        // A queue-owned callback (no owner) is allowed to an agent too; it is on nobody's own list.
        Reply queueOwned = api.call("POST", "/api/callbacks", alice, body("a-queue", "sales", "0611111111",
                in(Duration.ofHours(2)), null, null));
        assertThat(queueOwned.status()).as(queueOwned.text()).isEqualTo(201);
        assertThat(queueOwned.json().get("owner").isNull()).isTrue();
        assertThat(ids(api.call("GET", "/api/agents/me/callbacks", alice, null)))
                .doesNotContain(queueOwned.json().get("id").asText());
    }

    @Test
    void anAgentCannotScheduleForOrSeeAnotherAgent() throws Exception {
        String alice = api.login("alice");
        assertError(api.call("POST", "/api/callbacks", alice, body(null, "sales", "0612345678", in(Duration.ofHours(1)),
                "1002", null)), 403, "for themselves or their queue");
        assertError(api.call("GET", "/api/agents/1002/callbacks", alice, null), 403, "only their own");
        assertError(api.call("GET", "/api/agents/me/callbacks", null, null), 401, "");
        assertError(api.call("POST", "/api/callbacks", null, body(null, "sales", "0612345678", in(Duration.ofHours(1)),
                null, null)), 401, "");
    }

    // ------------------------------------------------------------------------------------------ supervisors

    @Test
    void aSupervisorSchedulesAndSeesWithinTheirTeamsOnlyAndIsAudited() throws Exception {
        String sam = api.login("sam");
        String forBob = scheduled(sam, body("s-bob", "sales", "0612345678", in(Duration.ofHours(1)), "1002",
                "promised by the supervisor"));
        assertThat(ids(api.call("GET", "/api/agents/1002/callbacks", sam, null))).contains(forBob);
        assertError(api.call("POST", "/api/callbacks", sam, body(null, "support", "0612345678", in(Duration.ofHours(1)),
                "1004", null)), 403, "not in your teams");
        assertError(api.call("GET", "/api/agents/1004/callbacks", sam, null), 403, "not in your teams");
        // For a queue no agent of team-a serves: refused; for one they serve: fine.
        assertError(api.call("POST", "/api/callbacks", sam, body(null, "support", "0612345678", in(Duration.ofHours(1)),
                null, null)), 403, "serves queue support");
        assertThat(api.call("POST", "/api/callbacks", sam, body(null, "sales", "0612345678", in(Duration.ofHours(1)),
                null, null)).status()).isEqualTo(201);
        assertThat(Files.readString(dir.resolve("audit.log"))).contains("callback.schedule").contains(forBob);

        String root = api.login("root");
        String forDan = scheduled(root, body("r-dan", "support", "0612345678", in(Duration.ofHours(1)), "1004", null));
        assertThat(ids(api.call("GET", "/api/agents/1004/callbacks", root, null))).contains(forDan);
    }

    // ------------------------------------------------------------------------------------------ bad bodies

    @Test
    void badBodiesAreRefusedWithWhatWasWrong() throws Exception {
        String root = api.login("root");
        String due = in(Duration.ofHours(1));
        assertError(api.call("POST", "/api/callbacks", root, "{\"queue\":\"sales\",\"dueAt\":\"" + due + "\"}"), 400,
                "field 'number' is missing");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "call me", due, null, null)), 400,
                "field 'number': 'call me' (expected: 2-30 digits");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678", "tomorrow", null, null)),
                400, "field 'dueAt': 'tomorrow' (expected: a date and time with its offset");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678", "2026-11-24T09:30",
                null, null)), 400, "with its offset");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678",
                in(Duration.ofHours(-2)), null, null)), 400, "is in the past");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678",
                in(Duration.ofDays(200)), null, null)), 400, "more than 90 days ahead");
        Reply unknown = api.call("POST", "/api/callbacks", root, body(null, "nowhere", "0612345678", due, null, null));
        assertError(unknown, 400, "unknown queue 'nowhere' (expected one of: ");
        assertThat(unknown.json().get("detail").asText()).contains("sales").contains("support")
                .doesNotContain("closed-desk");
        assertThat(unknown.json().get("field").asText()).isEqualTo("queue");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678", due, "9999", null)), 400,
                "no agent with work number 9999");
        assertError(api.call("POST", "/api/callbacks", root, body(null, "sales", "0612345678", due, null,
                "x".repeat(1001))), 400, "field 'note' has 1001 characters");
        assertError(api.call("POST", "/api/callbacks", root, body("bad key!", "sales", "0612345678", due, null, null)),
                400, "field 'idempotencyKey'");
        assertError(api.call("POST", "/api/callbacks", root, "{\"queue\":\"sales\",\"number\":\"0612345678\","
                + "\"dueAt\":\"" + due + "\",\"when\":\"now\"}"), 400, "unknown field 'when'");
        assertError(api.call("POST", "/api/callbacks", root, "[1,2]"), 400, "expected: a JSON object");
        assertError(api.call("POST", "/api/callbacks", root, "{\"queue\":7}"), 400, "field 'queue' is a number");
    }

    @Test
    void schedulingIsIdempotentByKeyButOneKeyIsOnePromise() throws Exception {
        String root = api.login("root");
        String b = body("same-key", "sales", "0612345678", in(Duration.ofHours(1)), "1001", "n");
        String id = scheduled(root, b);
        assertThat(scheduled(root, b)).as("a retried request: the same callback").isEqualTo(id);
        assertThat(engine.callbacks().orElseThrow().pending()).filteredOn(c -> c.id().equals(id)).hasSize(1);
        assertError(api.call("POST", "/api/callbacks", root, body("same-key", "sales", "0600000000",
                in(Duration.ofHours(1)), "1001", "n")), 409, "idempotency key 'same-key' was already used by you");
        // Without a key, every request is a new callback.
        String plain = body(null, "sales", "0612345678", in(Duration.ofHours(1)), "1001", "n");
        assertThat(scheduled(root, plain)).isNotEqualTo(scheduled(root, plain));
    }

    // ------------------------------------------------------------------------------------------ ids (review 2)

    @Test
    void aClientCannotChooseTheCallbackIdSoALiveCallCannotBeTakenOver() throws Exception {
        // A live call's id (Asterisk's linkedid) used to be accepted as a callback id: the waiting caller's next
        // offer then went to the callbacks and the caller stayed on hold.
        String alice = api.login("alice");
        String liveCallId = "1732000000.42";
        var withId = JSON.createObjectNode().put("id", liveCallId).put("queue", "sales").put("number", "0612345678")
                .put("dueAt", in(Duration.ofHours(1))).put("owner", "1001");
        Reply refused = api.call("POST", "/api/callbacks", alice, withId.toString());
        assertError(refused, 400, "ids are assigned by the server");
        assertThat(refused.json().get("detail").asText()).contains("idempotencyKey");
        assertThat(engine.callbacks().orElseThrow().owns(liveCallId)).isFalse();

        String id = scheduled(alice, body(liveCallId, "sales", "0612345678", in(Duration.ofHours(1)), "1001", null));
        assertThat(id).isNotEqualTo(liveCallId);
        assertThat(engine.callbacks().orElseThrow().owns(liveCallId)).as("the key is not an id").isFalse();
        assertThat(engine.callbacks().orElseThrow().owns(id)).isTrue();
    }

    @Test
    void anIdempotencyKeyIsScopedToTheUserWhoSentIt() throws Exception {
        String root = api.login("root");
        String bob = api.login("bob");
        String rootsId = scheduled(root, body("shared-key", "support", "0611111111", in(Duration.ofHours(7)), "1004",
                "root's promise"));
        // Another user with the same key: their own callback, and nothing of root's is revealed.
        Reply bobs = api.call("POST", "/api/callbacks", bob, body("shared-key", "sales", "0622222222",
                in(Duration.ofHours(2)), "1002", null));
        assertThat(bobs.status()).as(bobs.text()).isEqualTo(201);
        assertThat(bobs.json().get("id").asText()).isNotEqualTo(rootsId);
        assertThat(bobs.json().get("owner").asText()).isEqualTo("1002");
        assertThat(bobs.text()).doesNotContain("support").doesNotContain("0611111111");
        // And bob's retry finds bob's callback.
        assertThat(scheduled(bob, body("shared-key", "sales", "0622222222", bobs.json().get("dueAt").asText(), "1002",
                null))).isEqualTo(bobs.json().get("id").asText());
    }

    // ------------------------------------------------------------------------------------------ queues (review 3, 14)

    @Test
    void anAgentSchedulesAQueueCallbackOnlyForAQueueTheyServe() throws Exception {
        // alice has the sales skill only: support's callbacks are not hers to promise.
        String alice = api.login("alice");
        assertError(api.call("POST", "/api/callbacks", alice, body(null, "support", "0612345678",
                in(Duration.ofHours(1)), null, null)), 403, "you (agent 1001) do not serve queue support");
        scheduled(alice, body(null, "sales", "0612345678", in(Duration.ofHours(1)), null, null));
    }

    @Test
    void theQueueIsCheckedAgainstTheQueuesAsNowDefinedAndEnabled() throws Exception {
        String root = api.login("root");
        // A queue created live (as the directory does) is accepted at once.
        engine.acd().defineQueue(QueueConfig.simple("vip", Map.of("sales", 1)), false);
        scheduled(root, body(null, "vip", "0612345678", in(Duration.ofHours(1)), null, null));
        // A disabled queue admits no new callbacks.
        engine.acd().defineQueue(QueueConfig.simple("closed-desk", Map.of("sales", 1)), true);
        Reply refused = api.call("POST", "/api/callbacks", root, body(null, "closed-desk", "0612345678",
                in(Duration.ofHours(1)), null, null));
        assertError(refused, 400, "queue 'closed-desk' is disabled");
        assertThat(refused.json().get("field").asText()).isEqualTo("queue");
    }

    // ------------------------------------------------------------------------------------------ wallboard

    @Test
    void anOverdueCallbackRaisesAnAlertOnTheQueueAndIsMarkedOnTheOwnersList() throws Exception {
        Instant due = Instant.now().minus(Duration.ofMinutes(125));
        String overdueId = engine.callbacks().orElseThrow().schedule("support", "0612345678", due,
                Optional.of("1004"), "promised yesterday", Optional.empty()).id();
        String root = api.login("root");
        Reply queues = api.call("GET", "/api/queues", root, null);
        assertThat(queues.status()).isEqualTo(200);
        JsonNode support = null;
        JsonNode sales = null;
        for (JsonNode q : queues.json().get("queues")) {
            if (q.get("name").asText().equals("support")) {
                support = q;
            } else if (q.get("name").asText().equals("sales")) {
                sales = q;
            }
        }
        assertThat(support).isNotNull();
        assertThat(support.get("overdueCallbacks").get("count").asInt()).isEqualTo(1);
        assertThat(support.get("overdueCallbacks").get("oldestDueAt").asText()).isEqualTo(due.toString());
        assertThat(support.get("overdueCallbacks").get("oldestOverdueMinutes").asLong()).isBetween(124L, 126L);
        assertThat(support.get("alerts").toString()).contains("1 callback overdue, the oldest due 12");
        assertThat(sales.get("overdueCallbacks").get("count").asInt()).isZero();
        assertThat(sales.get("alerts").toString()).doesNotContain("callback");

        Reply list = api.call("GET", "/api/agents/1004/callbacks", root, null);
        JsonNode mine = null;
        for (JsonNode c : list.json().get("callbacks")) {
            if (c.get("id").asText().equals(overdueId)) {
                mine = c;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("overdue").asBoolean()).isTrue();
        assertThat(mine.get("due").asBoolean()).isTrue();
        assertThat(list.json().get("overdue").asInt()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theDesktopScriptIsServed() throws Exception {
        Reply js = api.call("GET", "/assets/agent-callbacks.js", null, null);
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.text()).contains("/api/agents/me/callbacks").contains("/api/callbacks");
        assertThat(api.call("GET", "/agent", null, null).text()).contains("agent-callbacks.js").contains("cbSchedule");
    }
}
