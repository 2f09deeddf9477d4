package dev.hotline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.events.CallEvent;
import dev.hotline.cli.demo.DemoSounds;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.Handshake;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import dev.hotline.simulator.model.CallTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Why the handshake exists: the simulator fails a missing file as Asterisk does (asterisk-22-failure-transcripts,
 * missing-prompt-agistatus-failure.txt and missing-queue-announcement.txt), and with the dialplan shipped before the
 * marker (AGISTATUS decides) the engine serves the caller past the missing prompt, yet the dialplan sends them to the
 * "Hotline unreachable" fallback queue because AGISTATUS is FAILURE. The shipped dialplan's marker serves them:
 * {@link HandoffE2ETest}.
 */
@Tag("slow")
class MissingPromptE2ETest {

    private static final Path HOME = Path.of("..");

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void withTheOldAgistatusDialplanACallerServedPastAMissingWelcomeEndsInTheFallbackQueue() throws Exception {
        HotlineConfig config = config();
        Set<String> sounds = new TreeSet<>(DemoSounds.names(config));
        assertThat(sounds).contains("en/welcome", "en/main-menu", "lang/choose", "queue-youarenext");
        sounds.remove("en/welcome");
        List<AgentConfig> billingOnly = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml"))
                .stream().filter(a -> a.id().equals("1008")).toList();   // nobody serves support: max wait
        world = DemoWorld.start(config, billingOnly, new EndpointBehaviour(Distribution.fixed(Duration.ofMillis(200)),
                1.0, Distribution.fixed(Duration.ofSeconds(1))), Media.files(sounds, Duration.ofMillis(100)), 7,
                "test", Handshake.shipped().withFallbackWait(Duration.ofSeconds(2)));
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();

        SimulatedCall call = world.asterisk().placeCall("from-pstn",
                Calls.toSupport("0612345678").hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.ExitedQueue exit = Calls.await(events, CallEvent.ExitedQueue.class, e -> true,
                Duration.ofSeconds(30));
        assertThat(exit.destination()).as("the engine went on past the missing prompt and handed the call back")
                .isEqualTo("voicemail:support");
        call.ended().get(20, TimeUnit.SECONDS);
        CallTrace trace = call.trace();
        assertThat(trace.sessions()).extracting(CallTrace.Session::agiStatus).containsExactly("FAILURE");
        assertThat(call.variable("HOTLINE_OUTCOME").get(5, TimeUnit.SECONDS)).contains("voicemail");
        assertThat(trace.routes()).as("the old dialplan reads AGISTATUS, not the outcome")
                .containsExactly("fallback");
        assertThat(trace.endedBy()).contains(CallTrace.EndedBy.DIALPLAN);
    }

    private static HotlineConfig config() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        HotlineConfig c = loader.load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofSeconds(2), q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(2), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                q.record())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile());
    }
}
