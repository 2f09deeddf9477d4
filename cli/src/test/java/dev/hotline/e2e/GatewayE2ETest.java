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
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
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
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of engine + simulated Asterisk: an agent works a call over HTTP + WebSocket, a supervisor
 * whispers and watches the wallboard, and the disposition reaches the call record.
 */
@Tag("slow")
class GatewayE2ETest {

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
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(), q.exitKeys(), List.of())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createDirectories(data.resolve("db"))), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile());
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

    private static final class Socket implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence text, boolean last) {
            part.append(text);
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

        /** The next message of {@code type} matching {@code match}, skipping others, within 20 s. */
        JsonNode next(String type, Predicate<JsonNode> match) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                JsonNode m = messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.get("type").asText().equals(type) && match.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no matching '" + type + "' message within 20 s");
        }
    }

    /** As the pages do: a one-time ticket, then the WebSocket with it (the token never goes into the URL). */
    private WebSocket open(String token, Socket s) throws Exception {
        Reply ticket = call("POST", "/api/ws/ticket", token, null);
        assertThat(ticket.status()).as(ticket.text()).isEqualTo(200);
        return HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http", "ws") + "/ws?ticket="
                + ticket.json().get("ticket").asText()), s).join();
    }

    @Test
    void anAgentWorksACallOverTheGatewayWhileTheirSupervisorWhispersAndWatches() throws Exception {
        CompletableFuture<String> spied = new CompletableFuture<>();
        CompletableFuture<String> transferredTo = new CompletableFuture<>();
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        // DemoWorld picks a free AGI port before binding it: a parallel test can take it meanwhile, so retry.
        for (int attempt = 1; world == null; attempt++) {
            try {
                world = DemoWorld.start(config(), agents, new EndpointBehaviour(new Distribution.Fixed(
                                Duration.ofMillis(200)), 1.0, new Distribution.Fixed(Duration.ofSeconds(30))),
                        Media.everyFile(Duration.ofMillis(100)), 7, "test", Map.of("hotline-transfer",
                                "transfer-probe?to=${EXTEN}", "hotline-spy", "spy-probe?mode=${EXTEN}"),
                        List.of("PJSIP/2001"));
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("cannot listen")) {
                    throw e;
                }
                System.err.println("GatewayE2ETest: " + e.getMessage() + "; retrying");
            }
        }
        world.engine().scripts().register("spy-probe", s -> spied.complete(s.environment().query().get("mode")
                + " " + s.getVariable("SPY_TARGET").orElse("?")));
        world.engine().scripts().register("transfer-probe",
                s -> transferredTo.complete(s.environment().query().get("to")));
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        String hash = Passwords.hash("e2e-secret", 4);
        UserStore users = new UserStore(List.of(
                new User("daniel", hash, Role.AGENT, Optional.of("1004"), Set.of("team-b")),
                new User("tara", hash, Role.SUPERVISOR, Optional.empty(), Set.of("team-b")),
                new User("sam", hash, Role.SUPERVISOR, Optional.empty(), Set.of("team-a"))));
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                .withAuditFile(data.resolve("audit.log")), users, InstantSource.system());
        base = gateway.url();

        String daniel = login("daniel");
        Socket desk = new Socket();
        WebSocket deskWs = open(daniel, desk);
        desk.next("snapshot", m -> m.get("me").get("state").asText().equals("logged-out"));
        String tara = login("tara");
        Socket board = new Socket();
        WebSocket boardWs = open(tara, board);
        board.next("snapshot", m -> m.get("agents").findValuesAsText("id").contains("1004"));

        assertThat(call("POST", "/api/agents/me/login", daniel, "{\"workNumber\":\"1004\"}").status()).isEqualTo(202);
        desk.next("agent", m -> !m.get("agent").get("state").asText().equals("logged-out"));
        if (!call("GET", "/api/agents/me", daniel, null).json().get("state").asText().equals("ready")) {
            assertThat(call("POST", "/api/agents/me/ready", daniel, "{}").status()).isEqualTo(202);
        }
        board.next("agent", m -> m.get("agent").get("state").asText().equals("ready"));

        world.asterisk().placeCall("from-pstn", CallerScript.calling("5551234").from("0612345678", "Test Caller")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        JsonNode offer = desk.next("offer", m -> true);
        assertThat(offer.get("queue").asText()).isEqualTo("support");
        assertThat(offer.get("caller").asText()).isEqualTo("0612345678");
        assertThat(offer.get("waitedSeconds").asLong()).isNotNegative();
        // Screen pop: the data the IVR collected and the queue node hands the agent.
        assertThat(offer.get("data").get("language").asText()).isEqualTo("en");
        assertThat(offer.get("data").get("ivr_path").asText()).contains("support");
        JsonNode connected = desk.next("connected", m -> true);
        String callId = connected.get("callId").asText();
        assertThat(callId).isEqualTo(offer.get("callId").asText());
        JsonNode onCall = board.next("agent", m -> m.get("agent").get("state").asText().equals("on-call"));
        assertThat(onCall.get("agent").get("call").get("callId").asText()).isEqualTo(callId);

        // A page loaded now (a reload, a second sign-in) gets the call and its screen pop from the API, with the
        // caller's IVR choices in words.
        JsonNode me = call("GET", "/api/agents/me", daniel, null).json();
        assertThat(me.get("state").asText()).isEqualTo("on-call");
        assertThat(me.get("call").get("caller").asText()).isEqualTo("0612345678");
        assertThat(me.get("call").get("queue").asText()).isEqualTo("support");
        assertThat(me.get("call").get("data").get("language").asText()).isEqualTo("en");
        assertThat(me.get("call").get("ivrChoices").toString()).isEqualTo("[\"pressed 1: english\","
                + "\"language: English\",\"called in opening hours\",\"pressed 2: support\"]");
        // Not ready asked for during the call: kept for after it, and shown as what comes next.
        assertThat(call("POST", "/api/agents/me/not-ready", daniel, "{\"reason\":\"lunch\"}").status())
                .isEqualTo(202);
        JsonNode next = desk.next("agent", m -> !m.get("agent").get("next").isNull()).get("agent");
        assertThat(next.get("state").asText()).isEqualTo("on-call");
        assertThat(next.get("next").toString()).isEqualTo("{\"state\":\"not-ready\",\"reason\":\"lunch\"}");

        // Listen / whisper / barge explain in words what is missing or what Asterisk answered.
        Reply noPhone = call("POST", "/api/agents/1004/listen", tara, "{\"endpoint\":\"\"}");
        assertThat(noPhone.status()).isEqualTo(400);
        assertThat(noPhone.json().get("detail").asText()).startsWith("choose your phone first");
        assertThat(noPhone.json().get("field").asText()).isEqualTo("endpoint");
        Reply unknownPhone = call("POST", "/api/agents/1004/listen", tara, "{\"endpoint\":\"PJSIP/2999\"}");
        assertThat(unknownPhone.status()).isEqualTo(502);
        assertThat(unknownPhone.json().get("detail").asText()).isEqualTo("your phone PJSIP/2999 was not connected"
                + " to listen to agent 1004: Asterisk could not call it (no such phone, or it is not registered)");

        // A supervisor of another team may not; this one whispers through Asterisk, and it is audited.
        Reply refused = call("POST", "/api/agents/1004/listen", login("sam"), "{\"endpoint\":\"PJSIP/2001\"}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        Reply whisper = call("POST", "/api/agents/1004/whisper", tara, "{\"endpoint\":\"PJSIP/2001\"}");
        assertThat(whisper.status()).as(whisper.text()).isEqualTo(200);
        assertThat(spied.get(10, TimeUnit.SECONDS)).isEqualTo("whisper PJSIP/1004");
        assertThat(gateway.audit().recent()).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("tara");
            assertThat(e.action()).isEqualTo("agent.whisper");
            assertThat(e.target()).isEqualTo("1004");
            assertThat(e.detail()).contains("PJSIP/2001");
        });

        Reply transfer = call("POST", "/api/agents/me/transfer", daniel, "{\"target\":\"0612000000\"}");
        assertThat(transfer.status()).as(transfer.text()).isEqualTo(200);
        assertThat(transferredTo.get(10, TimeUnit.SECONDS)).isEqualTo("0612000000");
        assertThat(desk.next("ended", m -> m.get("callId").asText().equals(callId)).get("hungUpFirst").asText())
                .isEqualTo("transfer");
        board.next("agent", m -> m.get("agent").get("state").asText().equals("wrap-up"));
        Reply hangup = call("POST", "/api/agents/me/hangup", daniel, "{}");
        assertThat(hangup.status()).as(hangup.text()).isEqualTo(409);

        // The wrap-up knows its call: a form bound to another call is refused, this one's is recorded.
        JsonNode last = call("GET", "/api/agents/me", daniel, null).json().get("lastCall");
        assertThat(last.get("callId").asText()).isEqualTo(callId);
        assertThat(last.get("caller").asText()).isEqualTo("0612345678");
        Reply stale = call("POST", "/api/agents/me/disposition", daniel,
                "{\"code\":\"repair\",\"callId\":\"1700000000.99\"}");
        assertThat(stale.status()).as(stale.text()).isEqualTo(409);
        assertThat(stale.json().get("detail").asText()).contains("not agent 1004's last call");
        Reply disposition = call("POST", "/api/agents/me/disposition", daniel,
                "{\"code\":\"repair\",\"notes\":\"replaced the router\",\"callId\":\"" + callId + "\"}");
        assertThat(disposition.status()).as(disposition.text()).isEqualTo(200);
        assertThat(disposition.json().get("callId").asText()).isEqualTo(callId);
        // The wrap-up over (1 s), the not ready asked for during the call applies.
        JsonNode lunch = desk.next("agent", m -> m.get("agent").get("state").asText().equals("not-ready")).get("agent");
        assertThat(lunch.get("reason").asText()).isEqualTo("lunch");
        assertThat(lunch.get("next").isNull()).isTrue();
        var records = world.engine().records();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<dev.hotline.records.model.CallRecord> stored = List.of();
        while (System.nanoTime() < end) {
            records.writer().awaitStored(Duration.ofSeconds(5));
            stored = records.store().calls(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60),
                    Duration.ofHours(1));
            if (!stored.isEmpty() && stored.get(0).disposition().isPresent()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(stored).singleElement().satisfies(r -> {
            assertThat(r.disposition()).contains("repair");
            assertThat(r.notes()).isEqualTo("replaced the router");
        });
        JsonNode queues = board.next("queues", m -> m.get("queues").findValues("answered").stream()
                .anyMatch(n -> n.asInt() == 1));
        assertThat(queues.get("queues").findValuesAsText("name")).contains("support");
        deskWs.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        boardWs.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
}
