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
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller who asks for a callback while their queue's max wait runs out: the routing core drops the call during
 * the number confirmation, and the callback confirmed afterwards must still be made.
 */
@Tag("slow")
class CallbackMaxWaitE2ETest {

    private static final Path HOME = Path.of("..");
    private static final String CUSTOMER = "0612345678";
    /** Shorter than the time the caller takes to confirm their number. */
    private static final Duration MAX_WAIT = Duration.ofMillis(1500);

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    private static HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), MAX_WAIT, q.maxLength(), Duration.ofMillis(300),
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(),
                Map.of('2', new QueueTarget(QueueTarget.Kind.CALLBACK, "")), List.of())).toList();
        CallbackConfig callback = new CallbackConfig("hotline-callback", "PJSIP/{number}", Duration.ofSeconds(1), 3,
                Duration.ofMillis(300), Optional.empty(), Duration.ofHours(1), "");
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), "", callback), c.agentsFile());
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private <T extends CallEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(20));
    }

    @Test
    void aCallbackConfirmedAfterTheMaxWaitRanOutIsStillMade() throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        world = DemoWorld.start(config(), agents, new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(150)),
                1.0, new Distribution.Fixed(Duration.ofSeconds(6))), Media.everyFile(Duration.ofMillis(50)), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().login("1004");   // logged in, not ready: the caller waits
        world.asterisk().pbx().endpoints().add("PJSIP/" + CUSTOMER, new EndpointBehaviour(
                new Distribution.Fixed(Duration.ofMillis(150)), 1.0, new Distribution.Fixed(Duration.ofMillis(300))),
                true);

        // The callback key at 200 ms; the confirmation only 2.5 s into its prompt: the max wait (1.5 s) runs out
        // in between.
        world.asterisk().placeCall("from-pstn", CallerScript.calling("5551234").from(CUSTOMER, "Test Caller")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .whileWaiting(new Reaction.Press("2", Duration.ofMillis(200)))
                .atPrompt("hotline/callback-confirm", new Reaction.Press("1", Duration.ofMillis(2500)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.CallbackRequested requested = await(CallEvent.CallbackRequested.class, e -> true);
        assertThat(requested.waited()).as("confirmed after the max wait").isGreaterThan(MAX_WAIT);

        world.engine().acd().ready("1004");
        CallEvent.CallbackAttempted attempt = await(CallEvent.CallbackAttempted.class,
                e -> e.callId().equals(requested.callId()));
        assertThat(attempt.status()).isEqualTo("COMPLETED");
        Callback stored = world.engine().callbacks().orElseThrow().store().find(requested.callId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Callback.Status.COMPLETED);
    }
}
