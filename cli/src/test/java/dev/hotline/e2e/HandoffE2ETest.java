package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.routing.RoutingCore;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.model.CallTrace;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dialplan handshake end to end (issue 15): the engine is killed as kill -9 would (FastAGI sockets cut, record
 * writer stopped unflushed) with callers in its hands; the simulated Asterisk applies the shipped dialplan's rules
 * (no HOTLINE_HANDLED: resume, round after round, then the fallback queue) and a new engine takes the calls back.
 */
@Tag("slow")
class HandoffE2ETest {

    private static final Path HOME = Path.of("..");

    @org.junit.jupiter.api.io.TempDir
    static Path data;
    private DemoWorld world;
    private final List<CallEvent> events = new CopyOnWriteArrayList<>();

    private static HotlineConfig config() throws Exception {
        return config(Duration.ofMinutes(3), Duration.ofSeconds(30));
    }

    private static HotlineConfig config(Duration maxWait, Duration announceInterval) throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), maxWait, q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(3), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                q.record())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(java.nio.file.Files.createTempDirectory(data, "db")), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", announceInterval, ""), c.agentsFile());
    }

    /** The prompts the configuration plays, all but {@code missing}: what an Asterisk short of one file has. */
    private static Media soundsWithout(HotlineConfig config, String missing) {
        java.util.Set<String> names = new java.util.TreeSet<>(dev.hotline.cli.demo.DemoSounds.names(config));
        assertThat(names.remove(missing)).as("%s is a prompt the configuration plays", missing).isTrue();
        return Media.files(names, Duration.ofMillis(100));
    }

    private static List<AgentConfig> agents(String... ids) throws Exception {
        List<AgentConfig> all = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml"));
        return all.stream().filter(a -> List.of(ids).contains(a.id())).toList();
    }

    private void start(EndpointBehaviour phones, String... agents) throws Exception {
        world = DemoWorld.start(config(), agents(agents), phones, Media.everyFile(Duration.ofMillis(100)), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
    }

    private void restart() throws Exception {
        world.startEngineAgain().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(15))).as("AMI up again").isTrue();
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private static EndpointBehaviour answering(Duration talk) {
        return new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(200)), 1.0, new Distribution.Fixed(talk));
    }

    private <T extends CallEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        return Calls.await(events, type, match, Duration.ofSeconds(30));
    }

    private static Optional<String> variable(SimulatedCall call, String name) throws Exception {
        return call.variable(name).get(5, TimeUnit.SECONDS);
    }

    @Test
    void anEngineUnreachableWhenTheCallArrivesSendsTheCallerToTheFallbackQueueAtOnce() throws Exception {
        start(answering(Duration.ofSeconds(1)), "1004");
        world.killEngine();
        SimulatedCall call = world.asterisk().placeCall("from-pstn", Calls.toSupport("0611111111")
                .hangUpAfter(Duration.ofSeconds(20)).build());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!call.trace().routes().contains("fallback") && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        // Straight to the fallback: no resume rounds for a call no engine ever held.
        assertThat(call.trace().routes()).containsExactly("fallback");
        assertThat(variable(call, "AGISTATUS")).contains("FAILURE");
        assertThat(call.ended()).isNotDone();   // waiting in the fallback queue, not hung up
    }

    @Test
    void waitingCallersKeepTheirPlaceAndWaitedTimeAcrossAnEngineKill() throws Exception {
        start(answering(Duration.ofMillis(300)), "1004", "1005");
        // Agents logged in but not ready: the callers wait.
        world.engine().acd().login("1004");
        world.engine().acd().login("1005");
        List<SimulatedCall> calls = new ArrayList<>();
        List<CallEvent.Queued> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            calls.add(world.asterisk().placeCall("from-pstn", Calls.toSupport("061000000" + i)
                    .hangUpAfter(Duration.ofMinutes(2)).build()));
            int n = i;
            queued.add(await(CallEvent.Queued.class, q -> queued.stream().noneMatch(e -> e.callId().equals(q.callId()))
                    && q.caller().endsWith(Integer.toString(n))));
        }
        Thread.sleep(500);   // waited time to keep (not synchronisation: the calls are all queued)
        world.killEngine();
        restart();

        // Back in the queue, in their original order, with their original join time.
        List<RoutingCore.WaitingCall> waiting = List.of();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            waiting = world.engine().acd().waitingCalls().get(5, TimeUnit.SECONDS);
            if (waiting.size() == 3) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(waiting).extracting(RoutingCore.WaitingCall::callId)
                .containsExactlyElementsOf(queued.stream().map(CallEvent.Queued::callId).toList());
        for (int i = 0; i < 3; i++) {
            assertThat(waiting.get(i).since()).isEqualTo(queued.get(i).at().truncatedTo(ChronoUnit.MILLIS));
        }
        for (SimulatedCall c : calls) {
            assertThat(c.trace().routes()).as("resumed; no fallback, no hang-up by the dialplan").contains("resume")
                    .doesNotContain("fallback", "hangup");
            assertThat(c.ended()).isNotDone();
        }

        // One agent serves them in that order; each waited at least from their first join.
        world.engine().acd().login("1004");
        world.engine().acd().ready("1004");
        for (int i = 0; i < 3; i++) {
            String id = queued.get(i).callId();
            CallEvent.Answered answered = await(CallEvent.Answered.class, a -> a.callId().equals(id));
            assertThat(answered.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            await(CallEvent.Ended.class, e -> e.callId().equals(id));
        }
        List<String> answeredOrder = events.stream().filter(e -> e instanceof CallEvent.Answered)
                .map(CallEvent::callId).toList();
        assertThat(answeredOrder).containsExactlyElementsOf(queued.stream().map(CallEvent.Queued::callId).toList());

        // One record per call, answered, its queue visit from the first join.
        var records = world.engine().records();
        assertThat(records.writer().awaitStored(Duration.ofSeconds(10))).isTrue();
        List<CallRecord> stored = records.store().calls(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60),
                Duration.ofHours(1));
        assertThat(stored).hasSize(3).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(r.queueVisits()).singleElement().satisfies(v -> assertThat(v.enqueuedAt())
                    .isEqualTo(queued.stream().filter(q -> q.callId().equals(r.callId().linkedId())).findFirst()
                            .orElseThrow().at().truncatedTo(ChronoUnit.MILLIS)));
        });
    }

    /**
     * The "done when": one kill with callers in every state — in the IVR (C), waiting (E1, E2; D hangs up
     * while no engine runs), ringing (B) and talking (A) — and a new engine: the waiting callers back in their order
     * with their waited time, the talking agent kept on call (offered nothing) until the conversation ends and then
     * released, every call recorded once, to its end, and nobody hung up or sent to the fallback by the dialplan.
     */
    @Test
    void callsInTheIvrRingingTalkingAndWaitingAreAllAccountedForAfterAKill() throws Exception {
        start(answering(Duration.ofMinutes(2)), "1004", "1005");
        world.engine().acd().loginAllReady();
        // C is in the IVR at the kill: it presses 2 at the main menu only after 4 s (a digit lost, as no command
        // reads it), and goes through the menu again when the next engine starts it over.
        SimulatedCall inIvr = world.asterisk().placeCall("from-pstn", CallerScript.calling("5551234")
                .from("0630000003", "C")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofSeconds(4)))
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(3)).build());
        // A talks to an agent.
        SimulatedCall talking = world.asterisk().placeCall("from-pstn", Calls.toSupport("0630000001")
                .hangUpAfter(Duration.ofMinutes(3)).build());
        CallEvent.Answered a = await(CallEvent.Answered.class, e -> true);
        String other = a.agentId().equals("1004") ? "1005" : "1004";
        // B rings the other agent, who does not pick up this time.
        world.asterisk().endpoint("PJSIP/" + other).ignoreNext();
        SimulatedCall ringing = world.asterisk().placeCall("from-pstn", Calls.toSupport("0630000002")
                .hangUpAfter(Duration.ofMinutes(3)).build());
        CallEvent.Offered b = await(CallEvent.Offered.class, e -> !e.callId().equals(a.callId()));
        CallEvent.Queued bQueued = await(CallEvent.Queued.class, e -> e.callId().equals(b.callId()));
        // D waits (both agents busy), and will hang up while no engine holds the call; E1 and E2 wait through it.
        SimulatedCall waiting = world.asterisk().placeCall("from-pstn", Calls.toSupport("0630000004")
                .hangUpAfter(Duration.ofMinutes(3)).build());
        CallEvent.Queued d = await(CallEvent.Queued.class, e -> e.caller().equals("0630000004"));
        List<SimulatedCall> staying = new ArrayList<>();
        List<CallEvent.Queued> stayingQueued = new ArrayList<>();
        for (String from : List.of("0630000005", "0630000006")) {
            staying.add(world.asterisk().placeCall("from-pstn", Calls.toSupport(from)
                    .hangUpAfter(Duration.ofMinutes(3)).build()));
            stayingQueued.add(await(CallEvent.Queued.class, e -> e.caller().equals(from)));
        }
        String c = inIvr.uniqueid();
        assertThat(events).noneMatch(e -> e.callId().equals(c));   // still in the IVR
        assertThat(world.engine().acd().agentStates().get(a.agentId()))
                .isEqualTo(new dev.hotline.routing.AgentState.OnCall(a.callId()));

        // What was journaled a moment ago is on disk, as it would be by the time anyone kills an engine.
        assertThat(world.engine().records().writer().awaitDurable(Duration.ofSeconds(5))).isTrue();
        world.killEngine();
        waiting.hangUp();
        waiting.ended().get(10, TimeUnit.SECONDS);
        int sinceRestart = events.size();
        restart();

        // A's conversation went on; the new engine follows it: its agent is on call for routing.
        var acd = world.engine().acd();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!new dev.hotline.routing.AgentState.OnCall(a.callId()).equals(acd.agentStates().get(a.agentId()))
                && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(acd.agentStates().get(a.agentId())).as("the talking agent, on call in the new engine")
                .isEqualTo(new dev.hotline.routing.AgentState.OnCall(a.callId()));
        var reconciler = world.engine().reconciler();
        assertThat(reconciler.pending()).extracting(dev.hotline.records.model.CallId::linkedId).contains(a.callId());

        // B (its ring went on in Asterisk unanswered), E1 and E2 are back in the queue in their original order with
        // their original join times.
        List<String> expected = List.of(b.callId(), stayingQueued.get(0).callId(), stayingQueued.get(1).callId());
        List<RoutingCore.WaitingCall> back = List.of();
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            back = acd.waitingCalls().get(5, TimeUnit.SECONDS).stream()
                    .filter(w -> expected.contains(w.callId())).toList();
            if (back.size() == expected.size()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(back).extracting(RoutingCore.WaitingCall::callId).containsExactlyElementsOf(expected);
        assertThat(back.get(0).since()).isEqualTo(bQueued.at().truncatedTo(ChronoUnit.MILLIS));
        for (int i = 0; i < 2; i++) {
            assertThat(back.get(i + 1).since()).isEqualTo(stayingQueued.get(i).at().truncatedTo(ChronoUnit.MILLIS));
        }

        // The shift goes on: both agents log in and are ready. The talking one is offered nothing; the other serves
        // B, E1, E2 and C (through the menu again from its start) in that order.
        acd.loginAllReady();
        List<String> served = new ArrayList<>(expected);
        served.add(c);
        List<SimulatedCall> servedCalls = List.of(ringing, staying.get(0), staying.get(1), inIvr);
        for (int i = 0; i < served.size(); i++) {
            String id = served.get(i);
            CallEvent.Answered answered = await(CallEvent.Answered.class, e -> e.callId().equals(id)
                    && !e.equals(a));
            assertThat(answered.agentId()).as("call %s", id).isEqualTo(other);
            if (i < 3) {
                assertThat(answered.waited()).as("call %s waited from its first join", id)
                        .isGreaterThanOrEqualTo(Duration.between(i == 0 ? bQueued.at()
                                : stayingQueued.get(i - 1).at(), answered.at()).minusMillis(1));
            }
            assertThat(acd.agentStates().get(a.agentId())).as("the talking agent, while serving %s", id)
                    .isEqualTo(new dev.hotline.routing.AgentState.OnCall(a.callId()));
            servedCalls.get(i).hangUp();
            await(CallEvent.Ended.class, e -> e.callId().equals(id));
        }
        // The watch leaves the agent on call: the call is held, by the reconciler.
        acd.checkInvariants();
        assertThat(acd.checkInvariants().agentsOnMissingCalls()).isZero();
        assertThat(acd.agentStates().get(a.agentId()))
                .isEqualTo(new dev.hotline.routing.AgentState.OnCall(a.callId()));
        assertThat(talking.ended()).isNotDone();
        assertThat(events.subList(sinceRestart, events.size()))
                .noneMatch(e -> e instanceof CallEvent.Offered o && o.agentId().equals(a.agentId()));

        // A's caller hangs up: the record is closed with the talk time to now, the agent released (wrap-up, ready).
        Instant hungUp = Instant.now();
        talking.hangUp();
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acd.agentStates().get(a.agentId()) instanceof dev.hotline.routing.AgentState.OnCall
                && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(acd.agentStates().get(a.agentId())).as("released by the queue's rules")
                .satisfiesAnyOf(st -> assertThat(st).isInstanceOf(dev.hotline.routing.AgentState.Ready.class),
                        st -> assertThat(st).isInstanceOf(dev.hotline.routing.AgentState.WrapUp.class));

        for (SimulatedCall call : List.of(inIvr, ringing, staying.get(0), staying.get(1))) {
            assertThat(call.trace().routes()).as("nobody sent to the fallback or hung up by the dialplan")
                    .contains("resume").doesNotContain("fallback", "hangup");
        }
        assertThat(talking.trace().routes()).doesNotContain("fallback", "hangup");

        var records = world.engine().records();
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<CallRecord> stored = List.of();
        while (System.nanoTime() < end) {
            assertThat(records.writer().awaitStored(Duration.ofSeconds(10))).isTrue();
            stored = records.store().calls(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60),
                    Duration.ofHours(1));
            if (stored.size() == 6 && stored.stream().noneMatch(r -> r.outcome() == CallOutcome.IN_PROGRESS)) {
                break;
            }
            Thread.sleep(100);
        }
        Map<String, CallRecord> byCall = new java.util.HashMap<>();
        stored.forEach(r -> byCall.put(r.callId().linkedId(), r));
        assertThat(stored).as("one record per call").hasSize(6);
        assertThat(byCall).containsOnlyKeys(a.callId(), b.callId(), c, d.callId(), stayingQueued.get(0).callId(),
                stayingQueued.get(1).callId());
        assertThat(byCall.get(a.callId())).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(r.queueVisits().getLast().agentId()).contains(a.agentId());
            assertThat(r.endedAt()).isAfterOrEqualTo(hungUp.truncatedTo(ChronoUnit.MILLIS));
            assertThat(r.queueVisits().getLast().talk()).isGreaterThanOrEqualTo(
                    Duration.between(a.at(), hungUp).minusMillis(1));
        });
        assertThat(byCall.get(b.callId())).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(r.queueVisits().getLast().enqueuedAt()).isEqualTo(bQueued.at().truncatedTo(ChronoUnit.MILLIS));
            assertThat(r.queueVisits().getLast().agentId()).contains(other);
            assertThat(r.ivrPath()).as("the record continued: the IVR path from before the kill").isNotEmpty();
        });
        for (CallEvent.Queued e : stayingQueued) {
            assertThat(byCall.get(e.callId())).satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
                assertThat(r.queueVisits()).singleElement().satisfies(v -> assertThat(v.enqueuedAt())
                        .isEqualTo(e.at().truncatedTo(ChronoUnit.MILLIS)));
            });
        }
        assertThat(byCall.get(c)).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(r.ivrPath()).isNotEmpty();
        });
        assertThat(byCall.get(d.callId())).satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CallOutcome.ENGINE_FAILED);
            assertThat(r.queueVisits()).singleElement().satisfies(v ->
                    assertThat(v.result()).isEqualTo(dev.hotline.records.model.QueueVisit.Result.ENGINE_FAILED));
        });
    }

    @Test
    void aMissingPromptInTheIvrNeverSendsACallerHotlineServedToTheFallback() throws Exception {
        HotlineConfig config = config();
        world = DemoWorld.start(config, agents("1004"), answering(Duration.ofMillis(300)),
                soundsWithout(config, "en/welcome"), 7, "test");
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        world.engine().acd().loginAllReady();
        SimulatedCall call = world.asterisk().placeCall("from-pstn", Calls.toSupport("0640000001")
                .hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.Answered answered = await(CallEvent.Answered.class, e -> true);
        await(CallEvent.Ended.class, e -> e.callId().equals(answered.callId()));
        call.ended().get(20, TimeUnit.SECONDS);
        // Asterisk's sticky FAILURE after the missing prompt; the marker, not AGISTATUS, decides.
        assertThat(call.trace().sessions()).extracting(s -> s.script().split("\\?")[0] + " " + s.agiStatus())
                .contains("main-menu FAILURE");
        assertThat(call.trace().routes()).doesNotContain("fallback", "resume");
    }

    @Test
    void aMissingQueueAnnouncementStillLetsMaxWaitSendTheCallerToVoicemail() throws Exception {
        HotlineConfig config = config(Duration.ofSeconds(3), Duration.ofSeconds(1));
        world = DemoWorld.start(config, agents("1008"), answering(Duration.ofMillis(300)),
                soundsWithout(config, "queue-youarenext"), 7, "test");   // a billing agent: nobody serves support
        world.engine().acd().addListener(events::add);
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).isTrue();
        SimulatedCall call = world.asterisk().placeCall("from-pstn", Calls.toSupport("0640000002")
                .hangUpAfter(Duration.ofMinutes(1)).build());
        CallEvent.ExitedQueue exit = await(CallEvent.ExitedQueue.class, e -> true);
        assertThat(exit.destination()).isEqualTo("voicemail:support");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (call.trace().routes().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(call.trace().routes()).containsExactly("voicemail:support@hotline");
        assertThat(call.trace().sessions()).extracting(CallTrace.Session::agiStatus).contains("FAILURE");
    }
}
