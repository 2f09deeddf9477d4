package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.callbacks.Callback;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.Endpoint;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Queued callbacks through engine + simulator: key, confirmation, agent-first call back, retry, restart. */
@Tag("slow")
class CallbackE2ETest {

    private static final Path HOME = Path.of("..");
    private static final String CUSTOMER = "0612345678";

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    private static HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofMillis(300),
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(),
                Map.of('2', new QueueTarget(QueueTarget.Kind.CALLBACK, "")), List.of())).toList();
        CallbackConfig callback = new CallbackConfig("hotline-callback", "PJSIP/{number}", Duration.ofSeconds(1), 3,
                Duration.ofMillis(300), Optional.empty(), Duration.ofHours(1), "");
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), "", callback), c.agentsFile());
    }

    private Endpoint start() throws Exception {
        return start(1.0);
    }

    /** Engine + simulator with agent 1004 logged in (not ready) and the customer's phone answering with that probability. */
    private Endpoint start(double customerAnswers) throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        world = DemoWorld.start(config(), agents, new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(150)),
                1.0, new Distribution.Fixed(Duration.ofSeconds(6))), Media.everyFile(Duration.ofMillis(50)), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().login("1004");   // logged in, not ready: callers wait
        return world.asterisk().pbx().endpoints().add("PJSIP/" + CUSTOMER, new EndpointBehaviour(
                new Distribution.Fixed(Duration.ofMillis(150)), customerAnswers,
                new Distribution.Fixed(Duration.ofMillis(300))), true);
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private CallEvent.CallbackRequested requestCallback() throws InterruptedException {
        world.asterisk().placeCall("from-pstn", Calls.toSupport(CUSTOMER)
                .whileWaiting(new Reaction.Press("2", Duration.ofMillis(200)))
                .atPrompt("hotline/callback-confirm", new Reaction.Press("1", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        return await(CallEvent.CallbackRequested.class, e -> true);
    }

    private <T extends CallEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(20));
    }

    @Test
    void callbackKeepsItsPlaceAheadOfLaterCallers() throws Exception {
        Endpoint customer = start();
        CallEvent.CallbackRequested requested = requestCallback();
        assertThat(requested.number()).isEqualTo(CUSTOMER);
        assertThat(requested.queue()).isEqualTo("support");
        // A later caller waits behind the callback.
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0699999999").hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Queued later = await(CallEvent.Queued.class, e -> !e.callId().equals(requested.callId()));
        world.engine().acd().ready("1004");
        CallEvent.CallbackAttempted second = await(CallEvent.CallbackAttempted.class, e -> e.attempts() == 1);
        assertThat(second.status()).isEqualTo("COMPLETED");
        assertThat(second.agentId()).isEqualTo("1004");
        // Only then the later caller: the callback was ahead of them both times.
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> e.callId().equals(later.callId()));
        assertThat(answered.at()).isAfter(second.at());
        assertThat(events.stream().filter(e -> e instanceof CallEvent.Abandoned a
                && a.callId().equals(requested.callId()))).isEmpty();

        Callback stored = world.engine().callbacks().orElseThrow().store().find(requested.callId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Callback.Status.COMPLETED);
        assertThat(stored.attempts()).isEqualTo(1);

        // The caller's call record: outcome CALLBACK, not an abandon.
        assertThat(world.engine().records().writer().awaitStored(Duration.ofSeconds(10))).isTrue();
        var records = world.engine().records().store().calls(Instant.now().minusSeconds(600),
                Instant.now().plusSeconds(60), Duration.ofHours(1));
        assertThat(records).anySatisfy(r -> assertThat(r.outcome())
                .isEqualTo(dev.hotline.records.model.CallOutcome.CALLBACK));
    }

    @Test
    void aPendingCallbackSurvivesAnEngineRestartOnceAndOnlyOnce() throws Exception {
        start();
        CallEvent.CallbackRequested requested = requestCallback();
        var engine = world.restartEngine();
        engine.acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.callbacks().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(engine.callbacks().orElseThrow().pending()).extracting(Callback::id)
                .containsExactly(requested.callId());
        engine.acd().login("1004");
        engine.acd().ready("1004");
        CallEvent.CallbackAttempted done = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()));
        assertThat(done.status()).isEqualTo("COMPLETED");
        assertThat(engine.callbacks().orElseThrow().store().requested(Instant.EPOCH, Instant.now().plusSeconds(60)))
                .singleElement().satisfies(c -> assertThat(c.attempts()).isEqualTo(1));
    }

    @Test
    void aCustomerWhoNeverAnswersIsRetriedAfterTheRetryDelayUpToMaxAttemptsThenTheCallbackFails() throws Exception {
        start(0.0);
        CallEvent.CallbackRequested requested = requestCallback();
        world.engine().acd().ready("1004");
        List<CallEvent.CallbackAttempted> attempts = new java.util.ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            int attempt = n;
            attempts.add(await(CallEvent.CallbackAttempted.class,
                    e -> e.callId().equals(requested.callId()) && e.attempts() == attempt));
        }
        assertThat(attempts).extracting(CallEvent.CallbackAttempted::status)
                .containsExactly("PENDING", "PENDING", "FAILED");
        assertThat(attempts).extracting(CallEvent.CallbackAttempted::result).containsOnly("no answer");
        // Each retry waited at least retry_delay (300 ms) plus the customer's ring time (1 s) of the next attempt.
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.between(attempts.get(i - 1).at(), attempts.get(i).at()))
                    .as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(Duration.ofMillis(1300));
        }
        Thread.sleep(500);
        assertThat(events.stream().filter(e -> e instanceof CallEvent.CallbackAttempted a
                && a.callId().equals(requested.callId()))).as("no attempt after max_attempts").hasSize(3);

        var callbacks = world.engine().callbacks().orElseThrow();
        Callback stored = callbacks.store().find(requested.callId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Callback.Status.FAILED);
        assertThat(stored.attempts()).isEqualTo(3);
        assertThat(stored.lastResult()).isEqualTo("no answer");
        assertThat(stored.finishedAt()).isPresent();
        assertThat(callbacks.pending()).isEmpty();
        var report = callbacks.store().report(Instant.EPOCH, Instant.now().plusSeconds(60), Instant.now(),
                Duration.ofHours(1));
        assertThat(report).containsOnlyKeys("support");
        assertThat(report.get("support")).satisfies(r -> {
            assertThat(r.requested()).isEqualTo(1);
            assertThat(r.failed()).isEqualTo(1);
            assertThat(r.completed()).isZero();
            assertThat(r.pending()).isZero();
        });
    }
}
