package dev.hotline.routing;

import dev.hotline.routing.AgentState.LoggedOut;
import dev.hotline.routing.AgentState.NotReady;
import dev.hotline.routing.AgentState.OnCall;
import dev.hotline.routing.AgentState.Ready;
import dev.hotline.routing.AgentState.Reserved;
import dev.hotline.routing.AgentState.WrapUp;
import dev.hotline.routing.Decision.AgentStateChanged;
import dev.hotline.routing.Decision.Offer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingCoreTest {

    private final FakeClock clock = new FakeClock();
    private final RoutingCore core = new RoutingCore(clock);

    private List<Decision> send(Command command) {
        return core.handle(command);
    }

    private void queue(QueueSpec.Builder builder) {
        assertThat(send(new Command.DefineQueue(builder.build()))).isEmpty();
    }

    private void readyAgent(String id, Map<String, Integer> skills, String... languages) {
        send(new Command.DefineAgent(Agent.of(id, skills, languages)));
        send(new Command.LogIn(id));
        send(new Command.SetReady(id));
    }

    private AgentState state(String agentId) {
        return core.agent(agentId).orElseThrow().state();
    }

    private static <T extends Decision> List<T> only(List<Decision> decisions, Class<T> type) {
        return decisions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static Offer offer(List<Decision> decisions) {
        List<Offer> offers = only(decisions, Offer.class);
        assertThat(offers).as("offers in %s", decisions).hasSize(1);
        return offers.getFirst();
    }

    private List<Decision> enqueue(Call call) {
        return send(new Command.Enqueue(call));
    }

    /** Answers and ends the call at once, leaving the agent (with no wrap-up) ready again. */
    private List<Decision> serve(Offer offer) {
        send(new Command.OfferAnswered(offer.callId(), offer.agentId()));
        return send(new Command.CallEnded(offer.agentId()));
    }

    /** A call an engine that stopped had connected, adopted by this one after a restart (docs/OPERATIONS.md). */
    @Nested
    class AdoptedCalls {

        @Test
        void aReadyAgentTalkingOnAnAdoptedCallIsOfferedNothingUntilItEndsThenWrapsUpByTheQueueRules() {
            queue(QueueSpec.builder("sales").wrapUp(Duration.ofSeconds(30)));
            readyAgent("1001", Map.of());
            Instant answered = clock.instant().minusSeconds(40);

            List<Decision> adopted = send(new Command.AdoptCall("1001", "old-1", "sales", answered));
            assertThat(only(adopted, AgentStateChanged.class)).singleElement()
                    .satisfies(c -> assertThat(c.change().to()).isEqualTo(new OnCall("old-1")));
            assertThat(only(enqueue(Call.of("c1", "sales")), Offer.class)).as("no offer while talking").isEmpty();

            clock.advanceSeconds(5);
            List<Decision> ended = send(new Command.AdoptedCallEnded("1001", "old-1"));
            assertThat(state("1001")).isEqualTo(new WrapUp(Optional.of(clock.instant().plusSeconds(30))));
            assertThat(only(ended, Offer.class)).isEmpty();
            clock.advanceSeconds(30);
            assertThat(offer(core.tick()).callId()).as("ready after the wrap-up: the waiting call").isEqualTo("c1");
        }

        @Test
        void anAgentLoggedOutOrNotReadyComesOutOfTheAdoptedCallNotReady() {
            queue(QueueSpec.builder("sales"));
            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            send(new Command.DefineAgent(Agent.of("1002", Map.of())));
            send(new Command.LogIn("1002"));
            send(new Command.SetNotReady("1002", "lunch"));

            send(new Command.AdoptCall("1001", "old-1", "sales", clock.instant()));
            send(new Command.AdoptCall("1002", "old-2", "sales", clock.instant()));
            assertThat(state("1001")).isEqualTo(new OnCall("old-1"));
            assertThat(state("1002")).isEqualTo(new OnCall("old-2"));
            assertThat(only(send(new Command.LogIn("1001")), Decision.CommandRejected.class)).hasSize(1);

            send(new Command.AdoptedCallEnded("1001", "old-1"));
            send(new Command.AdoptedCallEnded("1002", "old-2"));
            assertThat(state("1001")).isEqualTo(new NotReady("login"));
            assertThat(state("1002")).isEqualTo(new NotReady("lunch"));
        }

        @Test
        void anAgentWhoAsksForReadyDuringTheAdoptedCallIsReadyAfterIt() {
            queue(QueueSpec.builder("sales"));
            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            send(new Command.AdoptCall("1001", "old-1", "sales", clock.instant()));
            send(new Command.SetReady("1001"));
            send(new Command.AdoptedCallEnded("1001", "old-1"));
            assertThat(state("1001")).isEqualTo(new Ready());
        }

        @Test
        void anAdoptionThatDoesNotFitIsRefusedWithTheReason() {
            queue(QueueSpec.builder("sales"));
            readyAgent("1001", Map.of());
            offer(enqueue(Call.of("c1", "sales")));
            assertThat(only(send(new Command.AdoptCall("1001", "old-1", "sales", clock.instant())),
                    Decision.CommandRejected.class)).singleElement().extracting(Decision.CommandRejected::reason)
                    .isEqualTo("agent 1001 has call c1 ringing");
            assertThat(only(send(new Command.AdoptCall("1001", "old-1", "nowhere", clock.instant())),
                    Decision.CommandRejected.class)).singleElement().extracting(Decision.CommandRejected::reason)
                    .isEqualTo("unknown queue nowhere");
            send(new Command.OfferAnswered("c1", "1001"));
            assertThat(only(send(new Command.AdoptedCallEnded("1001", "old-1")), Decision.CommandRejected.class))
                    .singleElement().extracting(Decision.CommandRejected::reason)
                    .isEqualTo("agent 1001 is not on call old-1 (state: OnCall[callId=c1])");
            assertThat(state("1001")).as("this engine's own call goes on").isEqualTo(new OnCall("c1"));
        }
    }

    @Nested
    class AgentStateMachine {

        @Test
        void everyTransitionIsTimestampedWithItsCause() {
            queue(QueueSpec.builder("sales"));
            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            Instant loginAt = clock.instant();
            List<Decision> login = send(new Command.LogIn("1001"));
            clock.advanceSeconds(30);
            List<Decision> ready = send(new Command.SetReady("1001"));
            clock.advanceSeconds(60);
            List<Decision> pause = send(new Command.SetNotReady("1001", "lunch"));
            clock.advanceSeconds(5);
            List<Decision> logout = send(new Command.LogOut("1001"));

            assertThat(only(login, AgentStateChanged.class)).extracting(AgentStateChanged::change)
                    .containsExactly(new StateChange("1001", new LoggedOut(), new NotReady("login"), loginAt, "login"));
            assertThat(only(ready, AgentStateChanged.class).getFirst().change())
                    .isEqualTo(new StateChange("1001", new NotReady("login"), new Ready(), loginAt.plusSeconds(30),
                            "agent ready"));
            assertThat(only(pause, AgentStateChanged.class).getFirst().change().to()).isEqualTo(new NotReady("lunch"));
            assertThat(only(logout, AgentStateChanged.class).getFirst().change())
                    .isEqualTo(new StateChange("1001", new NotReady("lunch"), new LoggedOut(), loginAt.plusSeconds(95),
                            "logout"));
            assertThat(core.agent("1001").orElseThrow().since()).isEqualTo(loginAt.plusSeconds(95));
        }

        @Test
        void commandsThatDoNotFitTheStateAreRejectedWithTheReason() {
            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            assertThat(send(new Command.SetReady("1001")))
                    .containsExactly(new Decision.CommandRejected(new Command.SetReady("1001"),
                            "agent 1001 is logged out (expected: log in first)"));
            send(new Command.LogIn("1001"));
            assertThat(only(send(new Command.LogIn("1001")), Decision.CommandRejected.class).getFirst().reason())
                    .isEqualTo("agent 1001 is already logged in (state: NotReady[reason=login])");
            assertThat(only(send(new Command.SetReady("2002")), Decision.CommandRejected.class).getFirst().reason())
                    .isEqualTo("unknown agent 2002");
            assertThat(only(send(new Command.EndWrapUp("1001")), Decision.CommandRejected.class)).hasSize(1);
        }

        @Test
        void anAgentOnACallCannotLogOutButASupervisorCanForceIt() {
            queue(QueueSpec.builder("sales"));
            readyAgent("1001", Map.of());
            Offer offer = offer(enqueue(Call.of("c1", "sales")));
            send(new Command.OfferAnswered("c1", "1001"));

            assertThat(only(send(new Command.LogOut("1001")), Decision.CommandRejected.class).getFirst().reason())
                    .isEqualTo("agent 1001 is on call c1 (expected: end the call first, or a supervisor's Force)");
            List<Decision> forced = send(new Command.Force("1001", new LoggedOut(), "lead-7"));
            assertThat(only(forced, AgentStateChanged.class).getFirst().change().cause()).isEqualTo("forced by lead-7");
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            assertThat(offer.agentId()).isEqualTo("1001");
        }

        @Test
        void forcingAnAgentWithAnOfferRingingPutsTheCallBackForOthers() {
            queue(QueueSpec.builder("sales"));
            readyAgent("1001", Map.of());
            enqueue(Call.of("c1", "sales"));
            send(new Command.DefineAgent(Agent.of("1002", Map.of())));
            send(new Command.LogIn("1002"));
            send(new Command.SetReady("1002"));

            List<Decision> forced = send(new Command.Force("1001", new NotReady("coaching"), "lead-7"));

            assertThat(state("1001")).isEqualTo(new NotReady("coaching"));
            assertThat(forced).anySatisfy(d -> assertThat(d).isInstanceOf(Decision.CallRequeued.class));
            assertThat(offer(forced).agentId()).isEqualTo("1002");
        }

        @Test
        void supervisorsCannotForceStatesThatNeedACall() {
            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            assertThat(only(send(new Command.Force("1001", new OnCall("x"), "lead")), Decision.CommandRejected.class))
                    .hasSize(1);
        }

        @Test
        void notReadyAskedDuringACallTakesEffectWhenItEnds() {
            queue(QueueSpec.builder("sales"));
            readyAgent("1001", Map.of());
            enqueue(Call.of("c1", "sales"));
            send(new Command.OfferAnswered("c1", "1001"));
            assertThat(send(new Command.SetNotReady("1001", "break"))).isEmpty();
            assertThat(state("1001")).isEqualTo(new OnCall("c1"));

            send(new Command.CallEnded("1001"));

            assertThat(state("1001")).isEqualTo(new NotReady("break"));
        }

        @Test
        void wrapUpEndsByTimerThenTheAgentTakesTheNextCall() {
            queue(QueueSpec.builder("sales").wrapUp(Duration.ofSeconds(30)));
            readyAgent("1001", Map.of());
            serve(offer(enqueue(Call.of("c1", "sales"))));
            assertThat(state("1001")).isEqualTo(new WrapUp(Optional.of(clock.instant().plusSeconds(30))));
            assertThat(core.nextDeadline()).contains(clock.instant().plusSeconds(30));
            assertThat(enqueue(Call.of("c2", "sales"))).singleElement().isInstanceOf(Decision.CallQueued.class);

            clock.advanceSeconds(29);
            assertThat(core.tick()).isEmpty();
            clock.advanceSeconds(1);
            List<Decision> decisions = core.tick();

            assertThat(only(decisions, AgentStateChanged.class).getFirst().change().cause())
                    .isEqualTo("wrap-up time over");
            assertThat(offer(decisions).callId()).isEqualTo("c2");
            assertThat(state("1001")).isEqualTo(new Reserved("c2"));
        }

        @Test
        void manualWrapUpLastsUntilTheAgentEndsIt() {
            queue(QueueSpec.builder("sales").manualWrapUp());
            readyAgent("1001", Map.of());
            serve(offer(enqueue(Call.of("c1", "sales"))));
            clock.advanceSeconds(3600);
            core.tick();
            assertThat(state("1001")).isEqualTo(new WrapUp(Optional.empty()));

            send(new Command.EndWrapUp("1001"));

            assertThat(state("1001")).isEqualTo(new Ready());
        }

        @Test
        void handleTimeFeedsTheQueuesMeanAndTalkTimeIsCountedPerAgent() {
            queue(QueueSpec.builder("sales").wrapUp(Duration.ofSeconds(20)).assumedHandleTime(Duration.ofSeconds(100)));
            readyAgent("1001", Map.of());
            enqueue(Call.of("c1", "sales"));
            send(new Command.OfferAnswered("c1", "1001"));
            clock.advanceSeconds(180);
            send(new Command.CallEnded("1001"));
            clock.advanceSeconds(20);
            core.tick();

            // 100 + 0.1 * (200 - 100)
            assertThat(core.queue("sales").orElseThrow().meanHandleTime()).isEqualTo(Duration.ofSeconds(110));
            assertThat(core.agent("1001").orElseThrow().talkToday()).isEqualTo(Duration.ofSeconds(180));
            assertThat(core.agent("1001").orElseThrow().callsToday()).isEqualTo(1);
        }
    }

    @Nested
    class Strategies {

        @Test
        void longestIdleOffersTheAgentReadyLongestAndExplainsTheChoice() {
            queue(QueueSpec.builder("billing").require("billing", 3));
            readyAgent("a", Map.of("billing", 5));
            clock.advanceSeconds(10);
            readyAgent("b", Map.of("billing", 9));
            clock.advanceSeconds(10);
            readyAgent("low", Map.of("billing", 2));
            clock.advanceSeconds(10);

            Offer offer = offer(enqueue(Call.of("c1", "billing")));

            assertThat(offer.agentId()).isEqualTo("a");
            assertThat(offer.ringDeadline()).isEqualTo(clock.instant().plusSeconds(15));
            Explanation why = offer.explanation();
            assertThat(why.rule()).isEqualTo("longest-idle");
            assertThat(why.scoreName()).isEqualTo("idle seconds");
            assertThat(why.pool()).isEqualTo(3);
            assertThat(why.examined()).isEqualTo(3);
            assertThat(why.scores()).containsExactly(new Explanation.Score("a", 30), new Explanation.Score("b", 20));
        }

        @Test
        void mostSkilledOffersTheHighestLevelInThePrimarySkill() {
            queue(QueueSpec.builder("tech").require("network", 1).strategy(new Strategy.MostSkilled()));
            readyAgent("a", Map.of("network", 4));
            readyAgent("b", Map.of("network", 8));
            readyAgent("c", Map.of("network", 6));

            Offer offer = offer(enqueue(Call.of("c1", "tech")));

            assertThat(offer.agentId()).isEqualTo("b");
            assertThat(offer.explanation().scores()).extracting(Explanation.Score::value)
                    .containsExactly(8.0, 6.0, 4.0);
        }

        @Test
        void leastOccupiedOffersTheAgentWithFewestCallsToday() {
            queue(QueueSpec.builder("q").strategy(new Strategy.LeastOccupied()));
            readyAgent("busy", Map.of());
            serve(offer(enqueue(Call.of("c1", "q"))));
            serve(offer(enqueue(Call.of("c2", "q"))));
            readyAgent("fresh", Map.of());
            clock.advanceSeconds(5);

            assertThat(offer(enqueue(Call.of("c3", "q"))).agentId()).isEqualTo("fresh");

            send(new Command.ResetDailyCounters());
            assertThat(core.agent("busy").orElseThrow().callsToday()).isZero();
        }

        @Test
        void roundRobinWalksAgentsInOrderFromTheLastOneOffered() {
            queue(QueueSpec.builder("q").strategy(new Strategy.RoundRobin()));
            readyAgent("a", Map.of());
            readyAgent("b", Map.of());
            readyAgent("c", Map.of());

            Offer first = offer(enqueue(Call.of("c1", "q")));
            serve(first);
            Offer second = offer(enqueue(Call.of("c2", "q")));
            serve(second);
            Offer third = offer(enqueue(Call.of("c3", "q")));
            serve(third);
            Offer fourth = offer(enqueue(Call.of("c4", "q")));

            assertThat(List.of(first.agentId(), second.agentId(), third.agentId(), fourth.agentId()))
                    .containsExactly("a", "b", "c", "a");
            assertThat(fourth.explanation().rule()).isEqualTo("round-robin");
        }

        @Test
        void preferredAgentOnlyUntilTheFallbackThenAnyone() {
            queue(QueueSpec.builder("accounts")
                    .strategy(new Strategy.Preferred(Duration.ofSeconds(20), new Strategy.LongestIdle())));
            readyAgent("other", Map.of());
            send(new Command.DefineAgent(Agent.of("owner", Map.of())));
            send(new Command.LogIn("owner"));

            assertThat(enqueue(Call.of("c1", "accounts").withPreferredAgent("owner")))
                    .singleElement().isInstanceOf(Decision.CallQueued.class);
            assertThat(core.nextDeadline()).contains(clock.instant().plusSeconds(20));
            clock.advanceSeconds(19);
            assertThat(core.tick()).isEmpty();
            clock.advanceSeconds(1);

            Offer offer = offer(core.tick());

            assertThat(offer.agentId()).isEqualTo("other");
            assertThat(offer.explanation().rule()).isEqualTo("longest-idle");
        }

        @Test
        void preferredAgentGetsTheCallWhenReadyWithinTheWindow() {
            queue(QueueSpec.builder("accounts")
                    .strategy(new Strategy.Preferred(Duration.ofSeconds(20), new Strategy.LongestIdle())));
            readyAgent("other", Map.of());
            send(new Command.DefineAgent(Agent.of("owner", Map.of())));
            send(new Command.LogIn("owner"));
            enqueue(Call.of("c1", "accounts").withPreferredAgent("owner"));
            clock.advanceSeconds(10);

            Offer offer = offer(send(new Command.SetReady("owner")));

            assertThat(offer.agentId()).isEqualTo("owner");
        }

        @Test
        void callsNeedEverySkillAtItsLevelAndTheCallersLanguage() {
            queue(QueueSpec.builder("billing").require("billing", 5));
            readyAgent("weak", Map.of("billing", 4), "en");
            readyAgent("french", Map.of("billing", 7), "fr");
            readyAgent("noVat", Map.of("billing", 9), "en");
            readyAgent("fits", Map.of("billing", 6, "vat", 3), "en");

            Offer offer = offer(enqueue(Call.of("c1", "billing").withLanguage("en").withSkill("vat", 2)));

            assertThat(offer.agentId()).isEqualTo("fits");
            assertThat(offer.explanation().examined()).isEqualTo(4);
        }
    }

    @Nested
    class Ordering {

        @Test
        void higherPriorityFirstThenLongerWait() {
            queue(QueueSpec.builder("q"));
            enqueue(Call.of("old", "q"));
            clock.advanceSeconds(5);
            enqueue(Call.of("vip", "q").withPriority(5));
            clock.advanceSeconds(5);
            enqueue(Call.of("new", "q"));
            assertThat(core.position("vip")).hasValue(1);
            assertThat(core.position("old")).hasValue(2);
            assertThat(core.position("new")).hasValue(3);

            readyAgent("a", Map.of());
            assertThat(state("a")).isEqualTo(new Reserved("vip"));
            readyAgent("b", Map.of());
            assertThat(state("b")).isEqualTo(new Reserved("old"));
        }

        @Test
        void anAgentServingSeveralQueuesTakesTheCallMostAtRiskOfMissingItsServiceLevel() {
            queue(QueueSpec.builder("fast").require("x", 1).serviceLevel(0.8, Duration.ofSeconds(20)));
            queue(QueueSpec.builder("slow").require("y", 1).serviceLevel(0.8, Duration.ofSeconds(60)));
            enqueue(Call.of("slowCall", "slow"));
            clock.advanceSeconds(25);
            enqueue(Call.of("fastCall", "fast"));
            clock.advanceSeconds(25);
            // slowCall waited 50 s of 60 (0.83), fastCall 25 s of 20 (1.25): fastCall is more at risk.

            readyAgent("both", Map.of("x", 1, "y", 1));

            assertThat(state("both")).isEqualTo(new Reserved("fastCall"));
        }

        @Test
        void riskExplanationListsTheCandidateCallsWithTheirScores() {
            queue(QueueSpec.builder("fast").require("x", 1).serviceLevel(0.8, Duration.ofSeconds(20)));
            queue(QueueSpec.builder("slow").require("y", 1).serviceLevel(0.8, Duration.ofSeconds(60)));
            enqueue(Call.of("slowCall", "slow"));
            clock.advanceSeconds(30);
            enqueue(Call.of("fastCall", "fast"));
            clock.advanceSeconds(30);
            send(new Command.DefineAgent(Agent.of("both", Map.of("x", 1, "y", 1))));
            send(new Command.LogIn("both"));

            Explanation why = offer(send(new Command.SetReady("both"))).explanation();

            assertThat(why.rule()).isEqualTo("service-level-risk");
            assertThat(why.scores()).containsExactly(new Explanation.Score("fastCall", 1.5),
                    new Explanation.Score("slowCall", 1.0));
        }

        @Test
        void priorityBeatsRiskAcrossQueues() {
            queue(QueueSpec.builder("fast").require("x", 1).serviceLevel(0.8, Duration.ofSeconds(10)));
            queue(QueueSpec.builder("vip").require("y", 1).defaultPriority(10));
            enqueue(Call.of("atRisk", "fast"));
            clock.advanceSeconds(100);
            enqueue(Call.of("vipCall", "vip"));

            readyAgent("both", Map.of("x", 1, "y", 1));

            assertThat(state("both")).isEqualTo(new Reserved("vipCall"));
        }

        @Test
        void positionAwareEstimateGrowsWithPositionAndShrinksWithStaff() {
            queue(QueueSpec.builder("q").assumedHandleTime(Duration.ofSeconds(120)));
            send(new Command.DefineAgent(Agent.of("a", Map.of())));
            send(new Command.DefineAgent(Agent.of("b", Map.of())));
            for (int i = 1; i <= 4; i++) {
                enqueue(Call.of("c" + i, "q"));
            }
            assertThat(core.estimatedWait("c1")).isEmpty();

            send(new Command.LogIn("a"));
            send(new Command.SetNotReady("a", "x"));
            assertThat(core.estimatedWait("c1")).as("not-ready agents do not staff the queue").isEmpty();
            send(new Command.Force("a", new WrapUp(Optional.empty()), "lead"));
            assertThat(core.estimatedWait("c1")).contains(Duration.ofSeconds(120));
            assertThat(core.estimatedWait("c4")).contains(Duration.ofSeconds(480));

            send(new Command.LogIn("b"));
            send(new Command.Force("b", new WrapUp(Optional.empty()), "lead"));
            assertThat(core.estimatedWait("c4")).contains(Duration.ofSeconds(240));
        }

        @Test
        void aFullQueueRefusesTheCall() {
            queue(QueueSpec.builder("q").maxLength(2));
            enqueue(Call.of("c1", "q"));
            enqueue(Call.of("c2", "q"));

            assertThat(enqueue(Call.of("c3", "q"))).containsExactly(new Decision.QueueFull("c3", "q", 2, 2));
            assertThat(core.position("c3")).isEmpty();
        }
    }

    @Nested
    class Offers {

        @Test
        void anUnansweredOfferMakesTheAgentNotReadyAndPutsTheCallBackAtTheHeadWithItsWait() {
            queue(QueueSpec.builder("q").ringTimeout(Duration.ofSeconds(15)).noAnswerReason("missed"));
            readyAgent("a", Map.of());
            Instant start = clock.instant();
            enqueue(Call.of("first", "q"));
            clock.advanceSeconds(1);
            enqueue(Call.of("second", "q"));
            clock.advanceSeconds(15);

            List<Decision> decisions = core.tick();

            assertThat(decisions).startsWith(new Decision.OfferTimedOut("first", "a"));
            assertThat(state("a")).isEqualTo(new NotReady("missed"));
            assertThat(only(decisions, AgentStateChanged.class).getFirst().change().at())
                    .isEqualTo(start.plusSeconds(15));
            assertThat(core.position("first")).hasValue(1);
            assertThat(core.position("second")).hasValue(2);

            readyAgent("b", Map.of());
            List<Decision> answered = send(new Command.OfferAnswered("first", "b"));
            assertThat(only(answered, Decision.CallAnswered.class).getFirst().waited())
                    .isEqualTo(Duration.ofSeconds(16));
        }

        @Test
        void aRequeuedCallGoesAheadOfCallsThatWaitedLonger() {
            queue(QueueSpec.builder("q"));
            enqueue(Call.of("older", "q"));
            clock.advanceSeconds(5);
            readyAgent("a", Map.of());
            assertThat(state("a")).isEqualTo(new Reserved("older"));
            clock.advanceSeconds(1);
            enqueue(Call.of("new", "q"));
            send(new Command.OfferRejected("older", "a"));

            assertThat(state("a")).isEqualTo(new NotReady("rejected"));
            assertThat(core.position("older")).hasValue(1);
        }

        @Test
        void aRejectedOfferGoesStraightToTheNextReadyAgent() {
            queue(QueueSpec.builder("q"));
            readyAgent("a", Map.of());
            clock.advanceSeconds(1);
            readyAgent("b", Map.of());
            enqueue(Call.of("c1", "q"));

            List<Decision> decisions = send(new Command.OfferRejected("c1", "a"));

            assertThat(decisions).anySatisfy(d -> assertThat(d)
                    .isEqualTo(new Decision.CallRequeued("c1", "q", "offer rejected")));
            assertThat(offer(decisions).agentId()).isEqualTo("b");
        }

        @Test
        void aLateAnswerFromTheFirstAgentIsRejected() {
            queue(QueueSpec.builder("q").ringTimeout(Duration.ofSeconds(10)));
            readyAgent("a", Map.of());
            readyAgent("b", Map.of());
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(10);
            core.tick();

            List<Decision> late = send(new Command.OfferAnswered("c1", "a"));

            assertThat(only(late, Decision.CommandRejected.class).getFirst().reason())
                    .isEqualTo("call c1 is not ringing agent a (it is ringing agent b)");
        }

        @Test
        void aCallerHangingUpDuringTheOfferFreesTheAgentForTheNextCall() {
            queue(QueueSpec.builder("q"));
            readyAgent("a", Map.of());
            enqueue(Call.of("c1", "q"));
            enqueue(Call.of("c2", "q"));

            List<Decision> decisions = send(new Command.Leave("c1", "abandoned"));

            assertThat(decisions.getFirst()).isEqualTo(new Decision.CallLeft("c1", "q", Duration.ZERO, "abandoned"));
            assertThat(offer(decisions).callId()).isEqualTo("c2");
            assertThat(core.queueOf("c1")).isEmpty();
        }
    }

    @Nested
    class Escalation {

        @Test
        void loweringTheMinimumLevelLetsAWeakerAgentTakeTheCallWhenDue() {
            queue(QueueSpec.builder("q").require("billing", 7)
                    .escalate(new EscalationStep.LowerMinLevel(Duration.ofSeconds(30), "billing", 3)));
            readyAgent("junior", Map.of("billing", 4));
            enqueue(Call.of("c1", "q"));
            assertThat(core.nextDeadline()).contains(clock.instant().plusSeconds(30));
            clock.advanceSeconds(30);

            List<Decision> decisions = core.tick();

            assertThat(decisions.getFirst()).isInstanceOf(Decision.Escalated.class);
            assertThat(offer(decisions).agentId()).isEqualTo("junior");
        }

        @Test
        void addingASkillWidensThePoolToAnotherTeam() {
            queue(QueueSpec.builder("q").require("billing", 5)
                    .escalate(new EscalationStep.AddSkill(Duration.ofSeconds(60), "general", 2)));
            readyAgent("generalist", Map.of("general", 6));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(59);
            assertThat(core.tick()).isEmpty();
            clock.advanceSeconds(1);

            assertThat(offer(core.tick()).agentId()).isEqualTo("generalist");
        }

        @Test
        void anAgentBecomingReadyTakesAnEscalatedCallThroughTheAddedSkill() {
            queue(QueueSpec.builder("q").require("billing", 5)
                    .escalate(new EscalationStep.AddSkill(Duration.ofSeconds(60), "general", 2)));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(60);
            core.tick();

            readyAgent("generalist", Map.of("general", 6));

            assertThat(state("generalist")).isEqualTo(new Reserved("c1"));
        }

        @Test
        void raisingPriorityMovesTheCallAheadAndEqualPrioritiesOrderByWaitAgain() {
            queue(QueueSpec.builder("q").maxWait(Duration.ofHours(1))
                    .escalate(new EscalationStep.RaisePriority(Duration.ofSeconds(60), 2)));
            enqueue(Call.of("normal", "q"));
            clock.advanceSeconds(30);
            enqueue(Call.of("vip", "q").withPriority(1));
            assertThat(core.position("vip")).hasValue(1);

            clock.advanceSeconds(30);
            assertThat(core.tick()).containsExactly(new Decision.Escalated("normal", "q",
                    new EscalationStep.RaisePriority(Duration.ofSeconds(60), 2)));
            assertThat(core.position("normal")).hasValue(1);

            clock.advanceSeconds(30);
            core.tick();
            assertThat(core.position("vip")).as("vip now at priority 3").hasValue(1);
            assertThat(core.position("normal")).hasValue(2);
        }

        @Test
        void movingToAnotherQueueKeepsTheOriginalWait() {
            queue(QueueSpec.builder("overflow"));
            queue(QueueSpec.builder("main").require("sales", 1)
                    .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(45), "overflow")));
            enqueue(Call.of("overflowCall", "overflow"));
            clock.advanceSeconds(10);
            enqueue(Call.of("moved", "main"));
            clock.advanceSeconds(45);
            core.tick();

            assertThat(core.queueOf("moved")).contains("overflow");
            assertThat(core.position("moved")).hasValue(2);
            readyAgent("a", Map.of());
            readyAgent("b", Map.of());
            List<Decision> answered = send(new Command.OfferAnswered("moved", "b"));
            assertThat(only(answered, Decision.CallAnswered.class).getFirst().waited())
                    .isEqualTo(Duration.ofSeconds(45));
        }

        @Test
        void aQueueMayOnlyMoveCallsToQueuesDefinedBeforeIt() {
            List<Decision> decisions = send(new Command.DefineQueue(QueueSpec.builder("main")
                    .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(45), "later")).build()));

            assertThat(only(decisions, Decision.CommandRejected.class).getFirst().reason())
                    .isEqualTo("queue main escalates to unknown queue later (expected: a queue defined before it)");
        }

        @Test
        void callbackIsOfferedWithPositionAndEstimateAndTheCallKeepsWaiting() {
            queue(QueueSpec.builder("q").assumedHandleTime(Duration.ofSeconds(60))
                    .escalate(new EscalationStep.OfferCallback(Duration.ofSeconds(90))));
            send(new Command.DefineAgent(Agent.of("a", Map.of())));
            send(new Command.LogIn("a"));
            send(new Command.Force("a", new WrapUp(Optional.empty()), "lead"));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(5);
            enqueue(Call.of("c2", "q"));
            clock.advanceSeconds(90);

            List<Decision> decisions = core.tick();

            assertThat(decisions).containsExactly(
                    new Decision.CallbackOffered("c1", "q", 1, Optional.of(Duration.ofSeconds(60))),
                    new Decision.CallbackOffered("c2", "q", 2, Optional.of(Duration.ofSeconds(120))));
            assertThat(core.position("c1")).hasValue(1);
            send(new Command.Leave("c1", "callback accepted"));
            assertThat(core.position("c2")).hasValue(1);
        }

        @Test
        void anExitStepSendsTheCallerToVoicemail() {
            queue(QueueSpec.builder("q").escalate(new EscalationStep.Exit(Duration.ofSeconds(120), "voicemail")));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(200);

            assertThat(core.tick()).containsExactly(
                    new Decision.ExitedQueue("c1", "q", "voicemail", Duration.ofSeconds(120)));
            assertThat(core.nextDeadline()).isEmpty();
        }

        @Test
        void theMaximumWaitEndsQueueing() {
            queue(QueueSpec.builder("q").maxWait(Duration.ofSeconds(180)));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(179);
            assertThat(core.tick()).isEmpty();
            clock.advanceSeconds(1);

            assertThat(core.tick()).containsExactly(new Decision.MaxWaitReached("c1", "q", Duration.ofSeconds(180)));
            assertThat(core.waitingCalls()).isZero();
        }

        @Test
        void dueDeadlinesFireBeforeTheCommandThatFollowsThem() {
            queue(QueueSpec.builder("q").maxWait(Duration.ofSeconds(60)));
            enqueue(Call.of("c1", "q"));
            clock.advanceSeconds(61);

            List<Decision> decisions = send(new Command.DefineAgent(Agent.of("a", Map.of())));

            assertThat(decisions).containsExactly(new Decision.MaxWaitReached("c1", "q", Duration.ofSeconds(60)));
        }
    }
}
