package dev.hotline.e2e;

import dev.hotline.acd.Acd;
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
 * And AMI goes down while a call talks: the agent is not taken for one who did not answer. In every case the agents
 * are released by their calls' ends, not by the ACD's invariant watch (BENCHMARKS.md, soak runs 5 and 6).
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

    /** The shipped queues ringing {@code ring}; the core's ring safety net is {@code ring} + {@code announce} + 5 s. */
    private static HotlineConfig config(Duration ring, Duration announce) throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        HotlineConfig c = loader.load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(5), q.maxLength(), Duration.ofSeconds(1),
                ring, q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                false)).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(java.nio.file.Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", announce, ""), c.agentsFile());
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
        // Phones ring 6 s before they answer, and talk for minutes.
        EndpointBehaviour phones = new EndpointBehaviour(new Distribution.Fixed(Duration.ofSeconds(6)), 1.0,
                new Distribution.Fixed(Duration.ofMinutes(5)));
        start(Duration.ofSeconds(20), Duration.ofSeconds(30), phones);
        world.engine().acd().loginAllReady();

        List<String> calls = aCallTalkingAndOneRinging();
        String talking = calls.get(0);
        String ringing = calls.get(1);
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
        assertNothingToRepair();
    }

    /** Places a call an agent answers, then one offered to the other agent: their ids, in that order. */
    private List<String> aCallTalkingAndOneRinging() throws InterruptedException {
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0611111111").hangUpAfter(Duration.ofMinutes(10))
                .build());
        String talking = await(CallEvent.Answered.class, e -> true).callId();
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0622222222").hangUpAfter(Duration.ofMinutes(10))
                .build());
        return List.of(talking, await(CallEvent.Offered.class, e -> !e.callId().equals(talking)).callId());
    }

    private void start(Duration ring, Duration announce, EndpointBehaviour phones) throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> List.of("1004", "1005").contains(a.id())).toList();
        world = DemoWorld.start(config(ring, announce), agents, phones, Media.everyFile(Duration.ofMillis(100)), 11,
                "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
    }

    private Acd acd() {
        return world.engine().acd();
    }

    private boolean noAgentHeld() {
        return acd().agentStates().values().stream()
                .noneMatch(s -> s instanceof AgentState.Reserved || s instanceof AgentState.OnCall);
    }

    /** Two checks in a row: what the watch would count and repair. */
    private void assertNothingToRepair() {
        acd().checkInvariants();
        assertThat(acd().checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));
        assertThat(acd().watchRepairs()).as("agents the invariant watch had to release").isZero();
    }

    @Test
    void aCallAnsweredWhileAmiIsDownAndTalkingPastTheRingSafetyNetReleasesItsAgentAndNoOther() throws Exception {
        // Phones answer after 1 s and talk 12 s: longer than the core's ring safety net (2 s ring + 5 s).
        start(Duration.ofSeconds(2), Duration.ZERO, new EndpointBehaviour(
                new Distribution.Fixed(Duration.ofSeconds(1)), 1.0, new Distribution.Fixed(Duration.ofSeconds(12))));
        acd().login("1004");
        acd().login("1005");
        world.asterisk().placeCall("from-pstn", Calls.toSupport("0611111111").hangUpAfter(Duration.ofMinutes(2))
                .build());
        String id = await(CallEvent.Queued.class, e -> true).callId();

        world.asterisk().amiDown();
        try {
            await("AMI down", () -> world.engine().ami().values().stream().noneMatch(a -> a.isUp()));
            acd().ready("1004");   // no redirect can reach the waiting session: it dials 1004 itself
            await(CallEvent.Offered.class, e -> e.callId().equals(id) && e.agentId().equals("1004"));
            acd().ready("1005");   // free when the safety net would have taken the offer back from 1004
            Thread.sleep(9_000);   // 1004 talks; AMI could not report the answer
            assertThat(acd().agentStates().get("1005")).as("not offered the call 1004 talks on")
                    .isEqualTo(new AgentState.Ready());
        } finally {
            world.asterisk().amiUp();
        }
        assertThat(world.awaitAmi(Duration.ofSeconds(30))).as("AMI back").isTrue();

        CallEvent.Ended ended = await(CallEvent.Ended.class, e -> e.callId().equals(id));
        assertThat(ended.agentId()).isEqualTo("1004");
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Answered a && a.callId().equals(id))
                .singleElement().extracting(e -> ((CallEvent.Answered) e).agentId()).isEqualTo("1004");
        await("1004 free after wrap-up", () -> acd().agentStates().get("1004") instanceof AgentState.Ready);
        assertThat(acd().agentStates().get("1005")).isEqualTo(new AgentState.Ready());
        await("no call left", () -> acd().activeCalls() == 0);
        assertNothingToRepair();
    }

    @Test
    void connectSessionsCutByAnAsteriskKillWhileRingingAndTalkingReleaseTheirAgents() throws Exception {
        // Phones ring 4 s, then talk for minutes.
        start(Duration.ofSeconds(20), Duration.ZERO, new EndpointBehaviour(
                new Distribution.Fixed(Duration.ofSeconds(4)), 1.0, new Distribution.Fixed(Duration.ofMinutes(5))));
        acd().loginAllReady();
        List<String> calls = aCallTalkingAndOneRinging();
        String talking = calls.get(0);
        String ringing = calls.get(1);
        Thread.sleep(1500);   // redirected, and the second agent's phone rings (4 s before it would answer)
        String talker = ((CallEvent.Answered) events.stream().filter(e -> e instanceof CallEvent.Answered)
                .findFirst().orElseThrow()).agentId();

        // Killed: every FastAGI socket closes; the engine learns nothing else until the new Asterisk lists its
        // channels. The watch is not given the time to act (it checks every 5 s, twice before a repair).
        world.restartAsterisk(Duration.ofSeconds(2), 12);
        await("both calls ended by their sessions", () -> acd().activeCalls() == 0);
        await("both agents free", this::noAgentHeld);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended x && x.callId().equals(talking))
                .singleElement().satisfies(e -> {
                    assertThat(((CallEvent.Ended) e).agentId()).isEqualTo(talker);
                    assertThat(((CallEvent.Ended) e).hungUpFirst()).isEqualTo("system");
                });
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned x && x.callId().equals(ringing))
                .hasSize(1);
        assertThat(acd().agentStates().values()).as("no agent paused for a ring the kill cut")
                .noneMatch(s -> s instanceof AgentState.NotReady n && n.reason().equals("no answer"));
        assertNothingToRepair();
    }
}
