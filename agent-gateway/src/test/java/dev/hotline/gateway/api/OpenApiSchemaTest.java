package dev.hotline.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.OpenApiSchemas;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bodies the gateway sends match the schemas {@code openapi.yaml} promises for them, not only its routes
 * ({@link OpenApiCoverageTest}): every GET the file describes with a JSON schema is called on a running gateway
 * (path parameters filled with the test's agent, user and the like) and its 200 body checked against the schema.
 */
@Tag("slow")
class OpenApiSchemaTest {

    private static final Path SPEC = Path.of("openapi.yaml");
    /** Values for the path parameters the described GETs use. */
    private static final Map<String, String> PARAMETERS = Map.of("id", "1001", "username", "root");

    @TempDir
    static Path dir;
    static TestGateway live;
    static GatewayClient api;
    static OpenApiSchemas schemas;

    @BeforeAll
    static void start() throws Exception {
        schemas = OpenApiSchemas.load(SPEC);
        live = TestGateway.in(dir)
                .agents(agent("1001", "team-a", Map.of("sales", 5)), agent("1002", "team-a", Map.of("sales", 5)))
                .agentUser("alice", "1001", "team-a").supervisor("sam", "team-a").qaUser("quinn").admin("root")
                .start();
        api = live.client();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    @Test
    void everyDescribedBodyTheGatewaySendsMatchesItsSchema() throws Exception {
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        for (String user : List.of("root", "sam", "quinn", "alice")) {
            tokens.put(user, api.login(user));
        }
        api.call("POST", "/api/agents/me/login", tokens.get("alice"), "{\"workNumber\":\"1001\"}");
        List<String> problems = new ArrayList<>();
        Map<String, String> checked = new TreeMap<>();
        Map<String, String> notReached = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schemas.spec().get("paths").fields(); it.hasNext(); ) {
            String path = it.next().getKey();
            var schema = schemas.responseSchema("GET", path, 200);
            if (schema.isEmpty()) {
                continue;
            }
            String url = path;
            for (var p : PARAMETERS.entrySet()) {
                url = url.replace("{" + p.getKey() + "}", p.getValue());
            }
            if (url.contains("{")) {
                notReached.put(path, "no value for its path parameter");
                continue;
            }
            Reply r = null;
            for (String token : tokens.values()) {   // the first role the route admits
                r = api.call("GET", url, token, null);
                if (r.status() != 403) {
                    break;
                }
            }
            if (r.status() != 200 || r.json() == null) {
                notReached.put(path, r.status() + " " + r.text().substring(0, Math.min(80, r.text().length())));
                continue;
            }
            checked.put(path, url);
            problems.addAll(schemas.problems(r.json(), schema.get(), "GET " + url));
        }
        assertThat(problems).as("bodies that break their openapi.yaml schema").isEmpty();
        // The check is worth something only if it saw most of them; those it could not reach are named.
        assertThat(checked).as("GETs checked (not reached: %s)", notReached).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void theHealthAndHaBodiesMatchTheirSchemas() throws Exception {
        Reply health = api.call("GET", "/health", null, null);
        assertThat(schemas.problems(health.json(), schemas.schema("Health"), "GET /health")).isEmpty();
        Reply ha = api.call("GET", "/api/ha", api.login("root"), null);
        assertThat(schemas.problems(ha.json(), schemas.responseSchema("GET", "/api/ha", 200).orElseThrow(),
                "GET /api/ha")).isEmpty();
    }

    @Test
    void everyLiveMessageMatchesTheLiveMessageSchema() throws Exception {
        String root = api.login("root");
        String alice = api.login("alice");
        var toRoot = new dev.hotline.gateway.testing.LiveListener();
        var toAlice = new dev.hotline.gateway.testing.LiveListener();
        var rootSocket = api.open(root, toRoot);
        var aliceSocket = api.open(alice, toAlice);
        try {
            List<JsonNode> seen = new ArrayList<>();
            seen.add(toRoot.next("snapshot"));
            seen.add(toRoot.next("waiting"));   // a fresh list follows a supervisor's or admin's snapshot at once
            seen.add(toAlice.next("snapshot"));
            // Alice logs out (if the other test logged her in) and in: agent messages to her and to the admin.
            api.call("POST", "/api/agents/me/logout", alice, "{}");
            Reply in = api.call("POST", "/api/agents/me/login", alice, "{\"workNumber\":\"1001\"}");
            assertThat(in.status()).as(in.text()).isEqualTo(202);
            seen.add(toRoot.next("agent", m -> m.path("agent").path("id").asText().equals("1001")
                    && !m.path("agent").path("state").asText().equals("logged-out")));
            seen.add(toAlice.next("agent"));
            rootSocket.sendText("{\"type\":\"ping\"}", true);
            seen.add(toRoot.next("pong"));
            aliceSocket.sendText("{\"type\":\"hello\"}", true);
            seen.add(toAlice.next("error"));
            JsonNode live = schemas.schema("LiveMessage");
            List<String> problems = new ArrayList<>();
            for (JsonNode m : seen) {
                problems.addAll(schemas.problems(m, live, m.path("type").asText()));
            }
            assertThat(problems).as("live messages that break LiveMessage").isEmpty();
            assertThat(seen.getFirst().path("queues").size()).as("the supervisor's snapshot has the queues").isPositive();
        } finally {
            rootSocket.abort();
            aliceSocket.abort();
        }
    }

    @Test
    void theMessagesOfACallAsWrittenMatchTheLiveMessageSchema() {
        // Calls need Asterisk; the records they are written from are checked here as Jackson writes them.
        ObjectMapper json = com.fasterxml.jackson.databind.json.JsonMapper.builder().findAndAddModules().build();
        String at = "2026-03-02T09:00:00Z";
        var pop = new dev.hotline.gateway.ws.LiveJson.CallPop("c1", "sales", "5551234", Map.of("account", "42"),
                List.of("pressed 1: sales"), 12L, 30L, null, null);
        var agent = new dev.hotline.gateway.ws.LiveJson.Agent("1001", "Anna", java.util.Set.of("team-a"),
                Map.of("sales", 5), List.of(), false, List.of("PJSIP/1001"), "on-call", null, null, at, 30, null, pop,
                pop.ended(60, at), new dev.hotline.gateway.ws.LiveJson.Next("not-ready", "lunch"));
        List<Object> messages = List.of(
                new dev.hotline.gateway.ws.LiveJson.CallMessage("offer", at, pop, "1001", "longest idle"),
                new dev.hotline.gateway.ws.LiveJson.CallMessage("connected", at, pop, null, null),
                new dev.hotline.gateway.ws.LiveJson.Ended("ended", at, "c1", 60, "caller", pop.ended(60, at)),
                new dev.hotline.gateway.ws.LiveJson.OfferWithdrawn("offer-withdrawn", at, "c1", "NOANSWER"),
                new dev.hotline.gateway.ws.LiveJson.AgentMessage("agent", at, agent),
                new dev.hotline.gateway.ws.LiveJson.Directory("directory", at, "skill", "billing"),
                new dev.hotline.gateway.ws.LiveJson.Waiting("waiting", at, List.of(new dev.hotline.gateway.ws.LiveJson
                        .WaitingCall("c2", "sales", 0, 1, at, 12, null, false))));
        List<String> problems = new ArrayList<>();
        for (Object m : messages) {
            JsonNode written = json.valueToTree(m);
            problems.addAll(schemas.problems(written, schemas.schema("LiveMessage"), written.path("type").asText()));
        }
        assertThat(problems).isEmpty();
        JsonNode offer = json.valueToTree(messages.getFirst());
        assertThat(offer.path("queue").asText()).as("the pop's fields sit in the message").isEqualTo("sales");
        assertThat(offer.has("talkSeconds")).as("absent fields are left out").isFalse();
    }

    // ------------------------------------------------------------------------------------------ the check can fail

    @Test
    void aBodyBreakingItsSchemaIsToldWhereAndHow() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode queue = schemas.schema("Queue");
        JsonNode bad = json.readTree("""
                {"name": 7, "waiting": "two", "estimatedWaitSeconds": null, "longestWaitSeconds": null,
                 "alerts": [1]}""");
        assertThat(schemas.problems(bad, queue, "queue")).anySatisfy(p -> assertThat(p).startsWith("queue.name: 7"))
                .anySatisfy(p -> assertThat(p).startsWith("queue.waiting: \"two\" (expected: an integer)"))
                .anySatisfy(p -> assertThat(p).startsWith("queue.longestWaitSeconds: null"))
                .noneSatisfy(p -> assertThat(p).startsWith("queue.estimatedWaitSeconds"));   // nullable

        JsonNode error = schemas.schema("Error");
        assertThat(schemas.problems(json.readTree("{\"error\": \"bad request\"}"), error, "body"))
                .containsExactly("body: no 'detail' (expected: it is required)");
        assertThat(schemas.problems(json.readTree("{\"role\": \"boss\"}"), schemas.schema("User"), "me"))
                .containsExactly("me.role: \"boss\" (expected: one of [\"agent\",\"supervisor\",\"qa\",\"admin\"])");
        assertThat(schemas.problems(json.readTree("{\"time_zone\": \"UTC\", \"weekly\": {}, \"colour\": 1}"),
                schemas.schema("CalendarDefinition"), "calendar"))
                .anySatisfy(p -> assertThat(p).startsWith("calendar.colour: not described"));
    }
}
