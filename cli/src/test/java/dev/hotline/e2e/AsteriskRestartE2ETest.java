package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.acd.Invariants;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asterisk dies (kill -9: no Hangup events) with calls talking, ringing and waiting, and comes back empty: the engine
 * ends every call, frees every agent, offers nothing for a call that no longer exists, and records each call once.
 */
@Tag("slow")
class AsteriskRestartE2ETest {

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

    private static HotlineConfig config() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        HotlineConfig c = loader.load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(5), q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(20), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                false)).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(java.nio.file.Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private <T extends CallEvent> T await(Class<T> type, java.util.function.Predicate<T> match)
            throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(30));
    }

    @Test
    void callsInEveryPhaseEndAndAgentsAreFreedWhenAsteriskRestarts() throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> List.of("1004", "1005").contains(a.id())).toList();
        // Phones ring 6 s before they answer, and talk for minutes.
        EndpointBehaviour phones = new EndpointBehaviour(new Distribution.Fixed(Duration.ofSeconds(6)), 1.0,
                new Distribution.Fixed(Duration.ofMinutes(5)));
        world = DemoWorld.start(config(), agents, phones, Media.everyFile(Duration.ofMillis(100)), 11, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().loginAllReady();

        world.asterisk().placeCall("from-pstn", Calls.toSupport("0611111111").hangUpAfter(Duration.ofMinutes(10))
                .build());
        String talking = await(CallEvent.Answered.class, e -> true).callId();
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0622222222").hangUpAfter(Duration.ofMinutes(10))
                .build());
        String ringing = await(CallEvent.Offered.class, e -> !e.callId().equals(talking)).callId();
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0633333333").hangUpAfter(Duration.ofMinutes(10))
                .build());
        String waiting = await(CallEvent.Queued.class, e -> !List.of(talking, ringing).contains(e.callId()))
                .callId();
        assertThat(world.engine().acd().activeCalls()).isEqualTo(3);

        int up = world.restartAsterisk(Duration.ofSeconds(2), 12);
        assertThat(up).isGreaterThanOrEqualTo(3);
        int seenBefore = events.size();
        assertThat(world.awaitAmi(Duration.ofSeconds(30))).as("AMI back").isTrue();

        await("no call left", () -> world.engine().acd().activeCalls() == 0);
        await("both agents free", () -> world.engine().acd().agentStates().values().stream()
                .noneMatch(s -> s instanceof AgentState.Reserved || s instanceof AgentState.OnCall));
        for (String id : List.of(talking, ringing, waiting)) {
            assertThat(events).as("call %s ends once", id)
                    .filteredOn(e -> e.callId().equals(id)
                            && (e instanceof CallEvent.Ended || e instanceof CallEvent.Abandoned)).hasSize(1);
        }
        assertThat(events.subList(seenBefore, events.size())).as("no offer for a call that is gone")
                .noneMatch(e -> e instanceof CallEvent.Offered);
        world.engine().acd().checkInvariants();
        assertThat(world.engine().acd().checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));
        assertThat(world.engine().acd().watchRepairs()).as("agents freed by their calls' ends, not by the watch")
                .isZero();
    }
}
