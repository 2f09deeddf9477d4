package dev.hotline.acd;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.RoutingCore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A call's life through a real {@link Acd} and routing core, with scripted FastAGI sessions ({@link FakeCallSession})
 * and a clock the test moves: every path out of a queue leaves nothing behind, and a waiting session is woken when
 * it must act.
 */
class AcdLifecycleTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    /** Queue sales: one caller at most, refusals go to voicemail 100. */
    static final QueueConfig SALES = new QueueConfig("sales", Map.of("sales", 1), 0, 80, Duration.ofSeconds(20),
            Duration.ofMinutes(3), 1, Duration.ZERO, Duration.ofSeconds(15), QueueConfig.Strategy.LONGEST_IDLE,
            new QueueTarget(QueueTarget.Kind.VOICEMAIL, "100"), Map.of(), List.of());
    static final AgentConfig AGENT = new AgentConfig("1001", "Agent 1001", List.of("PJSIP/1001"), Map.of("sales", 5),
            Set.of("team-a"), "hq", Set.of("en"));
    static final AgentConfig AGENT2 = new AgentConfig("1002", "Agent 1002", List.of("PJSIP/1002"),
            Map.of("sales", 5), Set.of("team-a"), "hq", Set.of("en"));
    /** No announcements, so a wait ends only by what the test does or by a wake. */
    static final AcdConfig QUIET = new AcdConfig("hotline-connect", "default", Duration.ZERO, "");

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    final ExecutorService sessions = Executors.newVirtualThreadPerTaskExecutor();
    Acd acd;

    @BeforeEach
    void open() {
        acd = new Acd(QUIET, List.of(SALES), List.of(AGENT, AGENT2), Map.of(), (InstantSource) now::get,
                new SimpleMeterRegistry()).start();
        acd.addListener(events::add);
        acd.login("1001");
    }

    @AfterEach
    void close() {
        sessions.shutdownNow();
        acd.close();
    }

    private Future<?> join(FakeCallSession s) {
        return sessions.submit(() -> {
            acd.join(s, SALES, Map.of(), OptionalInt.empty(), "", Map.of());
            return null;
        });
    }

    private List<String> waiting() throws Exception {
        return acd.waitingCalls().get(5, TimeUnit.SECONDS).stream().map(RoutingCore.WaitingCall::callId).toList();
    }

    private AgentState agent() throws Exception {
        waiting();   // everything posted so far was applied
        return acd.agentStates().get("1001");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void callersRefusedByAFullQueueLeaveNoCallBehindAndMayComeBack() throws Exception {
        FakeCallSession first = FakeCallSession.caller("1.1");
        join(first);
        first.awaitWaiting(1);

        List<FakeCallSession> refused = new ArrayList<>();
        for (int i = 2; i <= 5; i++) {
            FakeCallSession s = FakeCallSession.caller("1." + i);
            refused.add(s);
            join(s).get(10, TimeUnit.SECONDS);
            assertThat(s.variables()).as("refused caller 1.%d goes to voicemail", i)
                    .containsEntry("HOTLINE_OUTCOME", "voicemail").containsEntry("HOTLINE_TARGET", "100");
        }
        assertThat(acd.activeCalls()).as("only the waiting caller is held").isEqualTo(1);

        first.hangUp();
        await("the abandoned caller is gone", () -> acd.activeCalls() == 0);
        assertThat(waiting()).isEmpty();

        // A refused caller calls again with the same linkedid once there is room: taken in like anyone.
        FakeCallSession again = FakeCallSession.caller("1.2");
        join(again);
        again.awaitWaiting(1);
        assertThat(waiting()).containsExactly("1.2");
        assertThat(again.variables()).doesNotContainKey("HOTLINE_ERROR");
        again.hangUp();
        await("the caller who came back hung up", () -> acd.activeCalls() == 0);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.ExitedQueue).hasSize(4);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned).hasSize(2);
    }

    @Test
    void aWaitingSessionWhoseRedirectCannotBeMadeIsWokenAndDialsAtOnce() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("2.1").patient();
        join(caller);
        caller.awaitWaiting(1);

        acd.ready("1001");   // reserved for the caller; no AMI here, so no redirect can reach the session
        caller.awaitDialling();
        assertThat(caller.wokenCount()).isGreaterThanOrEqualTo(1);
        assertThat(caller.log()).anyMatch(l -> l.startsWith("EXEC Dial PJSIP/1001,15,"));
        assertThat(agent()).isEqualTo(new AgentState.Reserved("2.1"));

        caller.dialEnds("ANSWER");   // Dial returns when the conversation is over
        await("the call is over", () -> acd.activeCalls() == 0);
        await("answered", () -> events.stream().anyMatch(e -> e instanceof CallEvent.Answered));
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).hasSize(1);
        assertThat(agent()).as("no wrap-up in this queue").isEqualTo(new AgentState.Ready());
    }

    @Test
    void anAnswerAmiDidNotReportIsNotTakenForNoAnswerWhileTheAgentTalks() throws Exception {
        // No AMI here, as when it is down: the redirect fails, the session dials 1001 itself, and no DialEnd will
        // tell the core that 1001 answered. The talk outlasts the core's ring safety net (ring 15 s + 5 s).
        acd.login("1002");
        FakeCallSession caller = FakeCallSession.caller("2.2").patient();
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        assertThat(agent("1001")).isEqualTo(new AgentState.Reserved("2.2"));
        acd.ready("1002");

        now.set(now.get().plusSeconds(60));   // 1001 talks for a minute
        waiting();   // the loop wakes, answers, then fires the timers now due
        waiting();
        assertThat(agent("1001")).as("the ring is the session's to judge while Dial runs")
                .isEqualTo(new AgentState.Reserved("2.2"));
        assertThat(agent("1002")).as("the call is not offered to a second agent").isEqualTo(new AgentState.Ready());

        caller.dialEnds("ANSWER");   // the conversation is over
        await("the call is over", () -> acd.activeCalls() == 0);
        await("answered", () -> events.stream().anyMatch(e -> e instanceof CallEvent.Answered));
        assertThat(agent("1001")).as("no wrap-up in this queue").isEqualTo(new AgentState.Ready());
        assertThat(agent("1002")).isEqualTo(new AgentState.Ready());
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Answered a && a.agentId().equals("1001"))
                .hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).hasSize(1);
        assertNothingToRepair();
    }

    /** Two checks in a row (what the watch would count and repair) find nothing, and the watch repaired nothing. */
    private void assertNothingToRepair() {
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));
        assertThat(acd.watchRepairs()).as("agents the invariant watch had to release").isZero();
    }

    /** 1001 answers "call" (AMI's DialEnd), so the core has them on the call. */
    private FakeCallSession talking(String call) throws Exception {
        FakeCallSession caller = FakeCallSession.caller(call).patient();
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        acd.onAmiEvent(new AmiEvent.DialEnded("local", caller.environment().channel(), call, "PJSIP/1001-01",
                "ANSWER"));
        await("1001 talking", () -> new AgentState.OnCall(call).equals(acd.agentStates().get("1001")));
        return caller;
    }

    @Test
    void aConnectionLostWhileTheAgentTalksEndsTheCallAndTheAgentGoesOnByTheQueueRules() throws Exception {
        FakeCallSession caller = talking("2.3");
        caller.connectionLost();   // Asterisk killed: Dial fails, and so does reading DIALSTATUS
        await("the call is over", () -> acd.activeCalls() == 0);
        assertThat(agent()).as("no wrap-up in this queue: ready").isEqualTo(new AgentState.Ready());
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).singleElement()
                .satisfies(e -> assertThat(((CallEvent.Ended) e).hungUpFirst()).isEqualTo("system"));
        assertThat(events).noneMatch(e -> e instanceof CallEvent.Abandoned);
        assertNothingToRepair();
    }

    @Test
    void aConnectionLostWhileTheAgentRingsAbandonsTheCallAndFreesTheAgentWithoutAPause() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("2.4").patient();
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        caller.connectionLost();
        await("the call is over", () -> acd.activeCalls() == 0);
        assertThat(agent()).as("their phone did not fail: no missed-ring pause").isEqualTo(new AgentState.Ready());
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned).hasSize(1);
        assertNothingToRepair();
    }

    @Test
    void aCallerWhoHangsUpAfterAnAnswerAmiReportedEndsTheCallWhateverDialstatusSays() throws Exception {
        FakeCallSession caller = talking("2.5");
        caller.hangUp();   // Dial returns -1 with DIALSTATUS=CANCEL: AMI's answer is what counts
        await("the call is over", () -> acd.activeCalls() == 0);
        assertThat(agent()).isEqualTo(new AgentState.Ready());
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).singleElement()
                .satisfies(e -> assertThat(((CallEvent.Ended) e).hungUpFirst()).isEqualTo("caller"));
        assertNothingToRepair();
    }

    @Test
    void anAgentTakenOffARingingCallWhoAnswersAnywayIsTheOneOnTheCallAndTheNextOfferIsReleased() throws Exception {
        acd.login("1002");
        FakeCallSession caller = FakeCallSession.caller("2.6").patient();
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        acd.ready("1002");
        // A supervisor takes 1001 off while their phone rings: routing offers the call to 1002 instead.
        acd.callbackPort().post(new dev.hotline.routing.Command.Force("1001",
                new AgentState.NotReady("meeting"), "supervisor"));
        await("offered to 1002", () -> new AgentState.Reserved("2.6").equals(acd.agentStates().get("1002")));
        // 1001's phone was still ringing, and they answer.
        acd.onAmiEvent(new AmiEvent.DialEnded("local", caller.environment().channel(), "2.6", "PJSIP/1001-01",
                "ANSWER"));
        await("1002 released", () -> new AgentState.Ready().equals(acd.agentStates().get("1002")));
        caller.dialEnds("ANSWER");
        await("the call is over", () -> acd.activeCalls() == 0);
        assertThat(agent("1002")).as("never on a call it did not take").isEqualTo(new AgentState.Ready());
        assertThat(agent("1001")).isEqualTo(new AgentState.NotReady("meeting"));
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).singleElement()
                .satisfies(e -> assertThat(((CallEvent.Ended) e).agentId()).isEqualTo("1001"));
        assertNothingToRepair();
    }

    @Test
    void waitingSessionsAreWokenWhenAmiGoesDownOrComesBack() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("3.1").patient();
        join(caller);
        caller.awaitWaiting(1);
        acd.onAmiEvent(new AmiEvent.ConnectionChanged("local", new AmiEvent.AmiHealth("local",
                AmiEvent.AmiHealth.Status.DOWN, T0, "test")));
        caller.awaitWaiting(2);
        assertThat(caller.wokenCount()).isEqualTo(1);
        caller.hangUp();
        await("gone", () -> acd.activeCalls() == 0);
    }

    @Test
    void aDialEndWithoutACallingChannelIsIgnored() {
        // Every Originate's DialEnd has no calling channel (no Channel, no Uniqueid).
        assertThatCode(() -> acd.onAmiEvent(new AmiEvent.DialEnded("local", null, null, "PJSIP/1001-00000001",
                "ANSWER"))).doesNotThrowAnyException();
        assertThatCode(() -> acd.onAmiEvent(new AmiEvent.ChannelHungUp("local", "PJSIP/1001-00000001", null, null,
                16, "Normal Clearing"))).doesNotThrowAnyException();
    }

    @Test
    void anUnansweredOfferPutsTheCallBackAndTheSessionWaitsAgain() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("4.1");
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        caller.dialEnds("NOANSWER");
        caller.awaitWaiting(2);
        assertThat(waiting()).containsExactly("4.1");
        assertThat(agent()).isInstanceOf(AgentState.NotReady.class);
        caller.hangUp();
        await("gone", () -> acd.activeCalls() == 0);
    }

    @Test
    void aCallerWhoHangsUpWhileTheAgentRingsFreesTheAgent() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("5.1");
        join(caller);
        caller.awaitWaiting(1);
        acd.ready("1001");
        caller.awaitDialling();
        caller.hangUp();
        await("gone", () -> acd.activeCalls() == 0);
        assertThat(agent()).isEqualTo(new AgentState.Ready());
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned).hasSize(1);
    }

    @Test
    void callsWhoseChannelsAsteriskNoLongerHasEndAndTheirAgentsAreReleased() throws Exception {
        acd.login("1002");
        FakeCallSession talking = FakeCallSession.caller("6.1").patient();
        join(talking);
        acd.ready("1001");
        talking.awaitDialling();
        acd.onAmiEvent(new AmiEvent.DialEnded("local", talking.environment().channel(), "6.1", "PJSIP/1001-01",
                "ANSWER"));
        await("1001 talking", () -> new AgentState.OnCall("6.1").equals(acd.agentStates().get("1001")));

        FakeCallSession ringing = FakeCallSession.caller("6.2").patient();
        join(ringing);
        acd.ready("1002");
        ringing.awaitDialling();
        assertThat(agent("1002")).isEqualTo(new AgentState.Reserved("6.2"));

        FakeCallSession waiting = FakeCallSession.caller("6.3").patient();
        join(waiting);
        waiting.awaitWaiting(1);
        assertThat(acd.activeCalls()).isEqualTo(3);

        // Asterisk restarted: only the waiting caller's channel is there (say, another server kept it). A new channel
        // has the talking caller's old name (a restarted Asterisk counts from 1 again) but not its uniqueid.
        acd.onAmiEvent(new AmiEvent.ChannelSnapshot("local", Set.of(waiting.environment().channel(),
                talking.environment().channel()), Set.of("6.3", "9.1"), System.nanoTime(), "test"));

        assertThat(acd.activeCalls()).isEqualTo(1);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended ended && ended.callId().equals("6.1"))
                .singleElement().extracting(e -> ((CallEvent.Ended) e).hungUpFirst()).isEqualTo("system");
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned a && a.callId().equals("6.2")).hasSize(1);
        // The released agent takes the caller who is still there; the agent whose call ended is ready again.
        waiting.awaitDialling();
        assertThat(List.of(agent("1001"), agent("1002")))
                .containsExactlyInAnyOrder(new AgentState.Reserved("6.3"), new AgentState.Ready());

        // The dead sessions' Dials return late (the connection closing): nothing is recorded twice.
        talking.hangUp();
        ringing.hangUp();
        waiting.hangUp();
        await("all gone", () -> acd.activeCalls() == 0);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Abandoned).hasSize(2);
    }

    private AgentState agent(String id) throws Exception {
        waiting();
        return acd.agentStates().get(id);
    }

    @Test
    void invariantsHoldAfterTrafficAndCountWhatTwoChecksInARowSee() throws Exception {
        FakeCallSession caller = FakeCallSession.caller("7.1");
        join(caller);
        caller.awaitWaiting(1);
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(1, 0, 0, 0));
        caller.hangUp();
        await("gone", () -> acd.activeCalls() == 0);
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));

        // A call the routing core has but the ACD does not hold (as a leak would leave it): seen, then counted, and
        // removed, since nothing else would ever end it.
        acd.callbackPort().post(new dev.hotline.routing.Command.Enqueue(dev.hotline.routing.Call.of("ghost",
                "sales")));
        assertThat(acd.checkInvariants().phantomWaiting()).as("first sight: maybe a race").isZero();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 1));
        assertThat(acd.invariants().ok()).isFalse();
        waiting();
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).as("the phantom removed").isEqualTo(new Invariants(0, 0, 0, 0));

        // Offered to an agent before the watch saw it: the agent is reserved for a call that does not exist, counted,
        // then released.
        acd.callbackPort().post(new dev.hotline.routing.Command.Enqueue(dev.hotline.routing.Call.of("ghost2",
                "sales")));
        acd.ready("1001");
        assertThat(agent()).isEqualTo(new AgentState.Reserved("ghost2"));
        acd.checkInvariants();
        assertThat(acd.checkInvariants().agentsOnMissingCalls()).isEqualTo(1);
        await("the stranded agent released", () -> new AgentState.Ready().equals(acd.agentStates().get("1001")));
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));
        assertThat(agent()).isEqualTo(new AgentState.Ready());
        assertThat(acd.watchRepairs()).as("the phantom and the reserved agent").isEqualTo(2);
    }

    @Test
    void theWatchForcesReadyAnAgentTalkingOnACallHotlineDoesNotHold() throws Exception {
        List<dev.hotline.routing.StateChange> changes = new CopyOnWriteArrayList<>();
        acd.addAgentListener(changes::add);
        // A call the core connected to 1001 but the ACD does not hold (as a lost CallEnded would leave it).
        acd.callbackPort().post(new dev.hotline.routing.Command.Enqueue(dev.hotline.routing.Call.of("ghost3",
                "sales")));
        acd.ready("1001");
        assertThat(agent()).isEqualTo(new AgentState.Reserved("ghost3"));
        acd.callbackPort().post(new dev.hotline.routing.Command.OfferAnswered("ghost3", "1001"));
        assertThat(agent()).isEqualTo(new AgentState.OnCall("ghost3"));
        assertThat(acd.watchRepairs()).isZero();

        assertThat(acd.checkInvariants().agentsOnMissingCalls()).as("first sight: maybe a race").isZero();
        assertThat(agent()).as("not repaired on first sight").isEqualTo(new AgentState.OnCall("ghost3"));
        assertThat(acd.checkInvariants().agentsOnMissingCalls()).isEqualTo(1);
        await("the agent on a missing call forced ready",
                () -> new AgentState.Ready().equals(acd.agentStates().get("1001")));
        assertThat(changes).filteredOn(c -> c.agentId().equals("1001") && c.to() instanceof AgentState.Ready
                && c.from() instanceof AgentState.OnCall).singleElement()
                .extracting(dev.hotline.routing.StateChange::cause).asString().contains(CallWatch.REPAIRER);
        assertThat(acd.watchRepairs()).isEqualTo(1);
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).isEqualTo(new Invariants(0, 0, 0, 0));
        assertThat(acd.watchRepairs()).as("repaired once, not at every check").isEqualTo(1);
    }

    @Test
    void aCallerWithAFreeAgentIsDialledFromTheEntrySessionWithoutMusicOrRedirect() throws Exception {
        acd.ready("1001");
        FakeCallSession caller = FakeCallSession.caller("8.1");
        join(caller);
        caller.awaitDialling();
        assertThat(caller.log()).as("dialled in the same session, before any hold music")
                .noneMatch(l -> l.startsWith("SET MUSIC") || l.startsWith("WAIT"))
                .anyMatch(l -> l.startsWith("EXEC Dial PJSIP/1001,15,"));
        // The events are emitted on the ACD loop, which may still be at it when the session dials.
        await("Queued and Offered emitted", () -> events.stream().anyMatch(e -> e instanceof CallEvent.Offered));
        assertThat(events.stream().map(e -> e.getClass().getSimpleName()).toList())
                .as("Queued before Offered").containsSubsequence("Queued", "Offered");
        caller.dialEnds("ANSWER");
        await("the call is over", () -> acd.activeCalls() == 0);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).hasSize(1);
        assertThat(agent()).isEqualTo(new AgentState.Ready());
        assertThat(caller.variables()).as("the dialplan's variables and the hand-back, one command")
                .containsEntry("HOTLINE_AGENT", "1001").containsEntry("HOTLINE_CALL_ID", "8.1")
                .containsEntry("HOTLINE_HANDLED", "1");
        assertThat(caller.log()).filteredOn(l -> l.startsWith("EXEC MSet HOTLINE_CALL_ID=8.1,HOTLINE_AGENT=1001"))
                .hasSize(1);
        assertThat(caller.log()).as("Dial's outcome asked once (no AMI here)")
                .filteredOn(l -> l.equals("GET VARIABLE DIALSTATUS")).hasSize(1);
    }

    /** An Acd like the test's, with {@code wait} before hold music. */
    private Acd withOfferWait(Duration wait, List<CallEvent> into) {
        Acd a = new Acd(QUIET.withOfferWait(wait), List.of(SALES), List.of(AGENT, AGENT2), Map.of(),
                (InstantSource) now::get, new SimpleMeterRegistry()).start();
        a.addListener(into::add);
        a.login("1001");
        return a;
    }

    @Test
    void anAgentFreedDuringTheOfferWaitIsDialledBeforeAnyMusic() throws Exception {
        List<CallEvent> seen = new CopyOnWriteArrayList<>();
        Acd a = withOfferWait(Duration.ofMillis(500), seen);
        try {
            FakeCallSession caller = FakeCallSession.caller("9.1");
            sessions.submit(() -> {
                a.join(caller, SALES, Map.of(), OptionalInt.empty(), "", Map.of());
                return null;
            });
            await("queued", () -> seen.stream().anyMatch(e -> e instanceof CallEvent.Queued));
            a.ready("1001");
            caller.awaitDialling();
            assertThat(caller.log()).noneMatch(l -> l.startsWith("SET MUSIC") || l.startsWith("WAIT"));
            caller.dialEnds("ANSWER");
            await("the call is over", () -> a.activeCalls() == 0);
        } finally {
            a.close();
        }
    }

    @Test
    void aCallerWhoHangsUpDuringTheOfferWaitIsAbandonedOnceAndHoldsNoAgent() throws Exception {
        List<CallEvent> seen = new CopyOnWriteArrayList<>();
        Acd a = withOfferWait(Duration.ofMillis(500), seen);
        try {
            FakeCallSession caller = FakeCallSession.caller("9.2");
            Future<?> session = sessions.submit(() -> {
                a.join(caller, SALES, Map.of(), OptionalInt.empty(), "", Map.of());
                return null;
            });
            await("queued", () -> seen.stream().anyMatch(e -> e instanceof CallEvent.Queued));
            caller.hangUp();
            session.get(10, TimeUnit.SECONDS);
            await("gone", () -> a.activeCalls() == 0);
            assertThat(seen).filteredOn(e -> e instanceof CallEvent.Abandoned).hasSize(1);
            a.ready("1001");
            assertThat(a.waitingCalls().get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(a.agentStates().get("1001")).as("nothing offered to a gone caller")
                    .isEqualTo(new AgentState.Ready());
        } finally {
            a.close();
        }
    }

    @Test
    void theAgentsLegHangingUpFreesTheAgentBeforeTheCallersDialReturnsAndOnlyOnce() throws Exception {
        acd.login("1002");
        FakeCallSession first = FakeCallSession.caller("10.1").patient();
        join(first);
        acd.ready("1001");
        first.awaitDialling();
        acd.onAmiEvent(new AmiEvent.DialEnded("local", first.environment().channel(), "10.1", "PJSIP/1001-0a",
                "ANSWER"));
        await("1001 talking", () -> new AgentState.OnCall("10.1").equals(acd.agentStates().get("1001")));
        FakeCallSession second = FakeCallSession.caller("10.2").patient();
        join(second);
        second.awaitWaiting(1);

        // Another channel of the call hanging up, or an unknown call's agent leg, frees nobody.
        acd.onAmiEvent(new AmiEvent.ChannelHungUp("local", "PJSIP/1001-zz", "x.1", "10.1", 16, "Normal Clearing"));
        acd.onAmiEvent(new AmiEvent.ChannelHungUp("local", "PJSIP/1001-0a", "x.2", "99.9", 16, "Normal Clearing"));
        assertThat(agent()).isEqualTo(new AgentState.OnCall("10.1"));

        // The agent's leg hangs up: AMI frees the agent (no wrap-up here) and the waiting caller gets them at once,
        // while the first caller's Dial has not returned yet.
        acd.onAmiEvent(new AmiEvent.ChannelHungUp("local", "PJSIP/1001-0a", "x.3", "10.1", 16, "Normal Clearing"));
        second.awaitDialling();
        assertThat(agent()).isEqualTo(new AgentState.Reserved("10.2"));
        assertThat(first.log()).noneMatch(l -> l.startsWith("EXEC MSet HOTLINE_CALL_ID"));

        // The first caller's Dial returns: the call ends once, and the agent's new call is left alone.
        first.dialEnds("ANSWER");
        await("first call over", () -> acd.activeCalls() == 1);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended ended && ended.callId().equals("10.1"))
                .singleElement().extracting(e -> ((CallEvent.Ended) e).hungUpFirst()).isEqualTo("agent");
        assertThat(agent()).isEqualTo(new AgentState.Reserved("10.2"));
        assertThat(first.log()).as("no DIALSTATUS round trip once AMI said ANSWER")
                .noneMatch(l -> l.equals("GET VARIABLE DIALSTATUS"));

        second.hangUp();
        await("all gone", () -> acd.activeCalls() == 0);
        assertThat(agent()).isEqualTo(new AgentState.Ready());
    }

    @Test
    void aCallEndedAbruptlyAfterAmiFreedItsAgentReleasesTheAgentOnce() throws Exception {
        acd.login("1002");
        FakeCallSession talking = FakeCallSession.caller("11.1").patient();
        join(talking);
        acd.ready("1001");
        talking.awaitDialling();
        acd.onAmiEvent(new AmiEvent.DialEnded("local", talking.environment().channel(), "11.1", "PJSIP/1001-0b",
                "ANSWER"));
        await("1001 talking", () -> new AgentState.OnCall("11.1").equals(acd.agentStates().get("1001")));
        acd.onAmiEvent(new AmiEvent.ChannelHungUp("local", "PJSIP/1001-0b", "x.4", "11.1", 16, "Normal Clearing"));
        await("1001 free", () -> new AgentState.Ready().equals(acd.agentStates().get("1001")));

        FakeCallSession next = FakeCallSession.caller("11.2").patient();
        join(next);
        next.awaitDialling();
        acd.onAmiEvent(new AmiEvent.DialEnded("local", next.environment().channel(), "11.2", "PJSIP/1001-0c",
                "ANSWER"));
        await("1001 on the next call", () -> new AgentState.OnCall("11.2").equals(acd.agentStates().get("1001")));

        // Asterisk lists its channels (AMI came back): the first caller's is gone. Its end must not end 11.2.
        acd.onAmiEvent(new AmiEvent.ChannelSnapshot("local", Set.of(next.environment().channel()), Set.of("11.2"),
                System.nanoTime(), "test"));
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended ended && ended.callId().equals("11.1"))
                .hasSize(1);
        assertThat(agent()).isEqualTo(new AgentState.OnCall("11.2"));
        talking.hangUp();
        next.dialEnds("ANSWER");
        await("all gone", () -> acd.activeCalls() == 0);
        assertThat(events).filteredOn(e -> e instanceof CallEvent.Ended).hasSize(2);
        assertThat(agent()).isEqualTo(new AgentState.Ready());
    }

    @Test
    void anAgentOnACallAStoppedEngineConnectedIsOfferedNothingLeftAloneByTheWatchAndReleasedAtItsEnd()
            throws Exception {
        java.util.Set<String> followed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        acd.heldElsewhere(followed::contains);
        acd.ready("1001");
        followed.add("old.1");
        acd.adopt("1001", "old.1", "sales", T0.minusSeconds(30));
        assertThat(agent("1001")).isEqualTo(new AgentState.OnCall("old.1"));

        FakeCallSession caller = FakeCallSession.caller("7.2");
        join(caller);
        caller.awaitWaiting(1);
        acd.checkInvariants();
        assertThat(acd.checkInvariants()).as("the adopted call is held elsewhere: no violation")
                .isEqualTo(new Invariants(1, 0, 0, 0));
        assertThat(agent("1001")).as("not released, not offered the new caller")
                .isEqualTo(new AgentState.OnCall("old.1"));
        assertThat(waiting()).containsExactly("7.2");

        followed.remove("old.1");
        acd.adoptedEnded("1001", "old.1");
        await("the agent released and offered the waiting caller",
                () -> new AgentState.Reserved("7.2").equals(acd.agentStates().get("1001")));
        caller.hangUp();
    }
}
