package dev.hotline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.app.HotlineEngine;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.EscalationStep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which waiting calls a supervisor sees and may re-prioritise: those in queues their teams' enabled agents serve,
 * escalation alternatives included, checked in the same step as the change.
 */
@Tag("slow")
class SupervisorScopeTest {

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static GatewayClient api;

    private static QueueConfig queue(String name, Map<String, Integer> skills, EscalationStep... steps) {
        return new QueueConfig(name, skills, 0, 80, Duration.ofSeconds(20), Duration.ofMinutes(30), 100,
                Duration.ZERO, Duration.ofSeconds(15), QueueConfig.Strategy.LONGEST_IDLE,
                new QueueTarget(QueueTarget.Kind.HANGUP, ""), Map.of(), List.of(steps));
    }

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir)
                .queues(queue("sales", Map.of("sales", 1)),
                        queue("support", Map.of("support", 5),
                                new EscalationStep.AddSkill(Duration.ofMinutes(10), "sales", 4)),
                        queue("billing", Map.of("billing", 1)),
                        queue("triage", Map.of("support", 1),
                                new EscalationStep.MoveToQueue(Duration.ofSeconds(3), "sales")))
                .agents(agent("1001", "team-a", Map.of("sales", 5)), agent("1004", "team-b", Map.of("support", 6)),
                        agent("1006", "team-c", Map.of("billing", 4)))
                .supervisor("sam", "team-a").supervisor("tina", "team-b").supervisor("cara", "team-c").admin("root")
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

    /** A call waiting in {@code queue}, put straight into routing (no Asterisk in these tests). */
    static void waitingCall(String id, String queue) throws Exception {
        engine.acd().callbackPort().post(new Command.Enqueue(Call.of(id, queue)));
        String root = api.login("root");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!waitingIds(root).contains(id)) {
            assertThat(System.nanoTime()).as("call " + id + " never waited").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static List<String> waitingIds(String token) throws Exception {
        Reply r = api.call("GET", "/api/calls/waiting", token, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("calls").findValuesAsText("callId");
    }

    static JsonNode waiting(String callId) throws Exception {
        for (JsonNode c : api.call("GET", "/api/calls/waiting", api.login("root"), null).json().get("calls")) {
            if (c.get("callId").asText().equals(callId)) {
                return c;
            }
        }
        throw new AssertionError("call " + callId + " is not waiting");
    }

    @Test
    void aQueueTheTeamServesOnlyThroughAnEscalationAlternativeIsTheirs() throws Exception {
        String sam = api.login("sam");
        waitingCall("s-1", "support");
        assertThat(waitingIds(sam)).as("1001's sales 5 meets support's add_skill sales 4").contains("s-1");
        Reply r = api.call("POST", "/api/calls/s-1/priority", sam, "{\"priority\":4}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    @Test
    void aDisabledAgentServesNoQueueForTheirSupervisor() throws Exception {
        String cara = api.login("cara");
        waitingCall("b-1", "billing");
        assertThat(waitingIds(cara)).contains("b-1");
        Reply off = api.call("POST", "/api/directory/agents/1006/disable", api.login("root"), null);
        assertThat(off.status()).as(off.text()).isEqualTo(200);

        assertThat(waitingIds(cara)).as("1006, cara's only billing agent, is disabled").doesNotContain("b-1");
        Reply r = api.call("POST", "/api/calls/b-1/priority", cara, "{\"priority\":4}");
        assertThat(r.status()).as(r.text()).isEqualTo(403);
        assertThat(waiting("b-1").get("priority").asInt()).isZero();
    }

    @Test
    void aCallMovedByEscalationBetweenTheCheckAndTheChangeIsNotReprioritisedInItsNewQueue() throws Exception {
        String tina = api.login("tina");
        waitingCall("t-1", "triage");
        assertThat(waitingIds(tina)).contains("t-1");
        Instant moveDue = Instant.parse(waiting("t-1").get("since").asText()).plusSeconds(3);

        // Hold the ACD loop (a listener runs on it) until the move is due, with tina's request queued behind it.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        engine.acd().addRoutingListener(d -> {
            if (d instanceof Decision.ProfileChanged p && p.id().equals("1001") && once.compareAndSet(false, true)) {
                holding.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        engine.acd().defineAgent(agent("1001", "team-a", Map.of("sales", 5)), false);
        assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Reply> answer = api.send("POST", "/api/calls/t-1/priority", tina, "{\"priority\":9}");
        while (!Instant.now().isAfter(moveDue.plusMillis(200))) {
            Thread.sleep(50);
        }
        release.countDown();

        Reply r = answer.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).as("tina's teams do not serve sales, where t-1 is now: " + r.text()).isEqualTo(409);
        assertThat(r.json().get("detail").asText()).contains("call t-1 waits in queue sales");
        JsonNode now = waiting("t-1");
        assertThat(now.get("queue").asText()).isEqualTo("sales");
        assertThat(now.get("priority").asInt()).isZero();
    }
}
