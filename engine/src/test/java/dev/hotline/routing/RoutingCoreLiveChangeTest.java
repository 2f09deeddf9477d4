package dev.hotline.routing;

import dev.hotline.routing.AgentState.LoggedOut;
import dev.hotline.routing.AgentState.OnCall;
import dev.hotline.routing.AgentState.Ready;
import dev.hotline.routing.Decision.CallReprioritised;
import dev.hotline.routing.Decision.CommandRejected;
import dev.hotline.routing.Decision.Offer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Live changes of the directory: profiles, queue definitions, disabling, and a supervisor's re-prioritising. */
class RoutingCoreLiveChangeTest {

    private final FakeClock clock = new FakeClock();
    private final RoutingCore core = new RoutingCore(clock);

    private List<Decision> send(Command command) {
        return core.handle(command);
    }

    private void readyAgent(Agent agent) {
        send(new Command.DefineAgent(agent));
        send(new Command.LogIn(agent.id()));
        send(new Command.SetReady(agent.id()));
    }

    private static <T extends Decision> List<T> only(List<Decision> decisions, Class<T> type) {
        return decisions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private AgentState state(String agentId) {
        return core.agent(agentId).orElseThrow().state();
    }

    private List<String> waitingIds(String queue) {
        return core.waiting().stream().filter(w -> w.queue().equals(queue)).map(RoutingCore.WaitingCall::callId)
                .toList();
    }

    @Nested
    class Reprioritise {

        @Test
        void aRaisedCallJumpsAheadKeepsItsWaitAndIsReported() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1).build()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            clock.advanceSeconds(10);
            send(new Command.Enqueue(Call.of("c2", "sales")));
            clock.advanceSeconds(10);
            send(new Command.Enqueue(Call.of("c3", "sales")));
            assertThat(waitingIds("sales")).containsExactly("c1", "c2", "c3");

            clock.advanceSeconds(5);
            List<Decision> out = send(new Command.Reprioritise("c3", 5, "sam"));

            CallReprioritised r = only(out, CallReprioritised.class).getFirst();
            assertThat(r).isEqualTo(new CallReprioritised("c3", "sales", 0, 5, 1, Duration.ofSeconds(5), "sam"));
            assertThat(waitingIds("sales")).containsExactly("c3", "c1", "c2");
            assertThat(core.position("c3")).hasValue(1);

            // Lowered again: it goes back to its place by wait (last), not to the tail after newer calls.
            send(new Command.Enqueue(Call.of("c4", "sales")));
            send(new Command.Reprioritise("c3", 0, "sam"));
            assertThat(waitingIds("sales")).containsExactly("c1", "c2", "c3", "c4");

            // Its wait still counts from when it joined: the ready agent takes the highest priority first.
            send(new Command.Reprioritise("c2", 3, "sam"));
            clock.advanceSeconds(1);
            readyAgent(Agent.of("1001", Map.of("sales", 5)));
            assertThat(state("1001")).isEqualTo(new AgentState.Reserved("c2"));
        }

        @Test
        void unknownRingingOrAnsweredCallsAreRejectedWithTheReason() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            CommandRejected unknown = only(send(new Command.Reprioritise("nope", 3, "sam")), CommandRejected.class)
                    .getFirst();
            assertThat(unknown.reason()).contains("call nope is not in routing");

            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            CommandRejected ringing = only(send(new Command.Reprioritise("c1", 3, "sam")), CommandRejected.class)
                    .getFirst();
            assertThat(ringing.reason()).contains("is ringing agent 1001").contains("expected: a waiting call");

            send(new Command.OfferAnswered("c1", "1001"));
            assertThat(only(send(new Command.Reprioritise("c1", 3, "sam")), CommandRejected.class)).hasSize(1);
        }
    }

    @Nested
    class AgentProfile {

        @Test
        void aReadyAgentWhoGainsTheSkillIsOfferedTheWaitingCallAtOnce() {
            send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 3).build()));
            readyAgent(Agent.of("1001", Map.of("sales", 5)));
            send(new Command.Enqueue(Call.of("c1", "billing")));
            assertThat(core.position("c1")).hasValue(1);

            List<Decision> out = send(new Command.DefineAgent(Agent.of("1001", Map.of("sales", 5, "billing", 2))));
            assertThat(only(out, Offer.class)).as("level 2 is below the queue's 3").isEmpty();

            out = send(new Command.DefineAgent(Agent.of("1001", Map.of("sales", 5, "billing", 3))));
            assertThat(only(out, Offer.class)).extracting(Offer::callId).containsExactly("c1");
            assertThat(only(out, Decision.ProfileChanged.class)).hasSize(1);
            assertThat(core.queue("billing").orElseThrow().staffed()).isEqualTo(1);
        }

        @Test
        void anAgentLosingTheSkillMidCallKeepsTheCallAndThenStopsServingTheQueue() {
            send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 1).build()));
            readyAgent(Agent.of("1001", Map.of("billing", 5)));
            send(new Command.Enqueue(Call.of("c1", "billing")));
            send(new Command.OfferAnswered("c1", "1001"));

            List<Decision> out = send(new Command.DefineAgent(Agent.of("1001", Map.of("sales", 5))));
            assertThat(only(out, CommandRejected.class)).isEmpty();
            assertThat(state("1001")).isEqualTo(new OnCall("c1"));
            assertThat(core.queue("billing").orElseThrow().staffed()).isZero();

            send(new Command.Enqueue(Call.of("c2", "billing")));
            send(new Command.CallEnded("1001"));   // no wrap-up: ready again, but not for billing any more
            assertThat(state("1001")).isEqualTo(new Ready());
            assertThat(core.position("c2")).hasValue(1);
        }

        @Test
        void explicitQueueMembershipNarrowsWhatTheSkillsAllow() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1).build()));
            send(new Command.DefineQueue(QueueSpec.builder("vip").require("sales", 1).build()));
            Agent agent = Agent.of("1001", Map.of("sales", 5)).withQueues(Set.of("vip"));
            readyAgent(agent);
            assertThat(core.queuesOf("1001")).containsExactly("vip");
            assertThat(core.queue("sales").orElseThrow().staffed()).isZero();

            assertThat(only(send(new Command.Enqueue(Call.of("c1", "sales"))), Offer.class)).isEmpty();
            assertThat(only(send(new Command.Enqueue(Call.of("c2", "vip"))), Offer.class))
                    .extracting(Offer::callId).containsExactly("c2");
            send(new Command.OfferAnswered("c2", "1001"));
            send(new Command.CallEnded("1001"));
            assertThat(state("1001")).as("c1 is not theirs").isEqualTo(new Ready());

            // Empty membership: every queue their skills meet, so the waiting sales call is offered at once.
            List<Decision> out = send(new Command.DefineAgent(agent.withQueues(Set.of())));
            assertThat(only(out, Offer.class)).extracting(Offer::callId).containsExactly("c1");
            assertThat(core.queuesOf("1001")).containsExactly("sales", "vip");
        }

        @Test
        void aDisabledAgentIsLoggedOutCannotLogInAndIsEnabledByANewDefinition() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            readyAgent(Agent.of("1001", Map.of()));
            List<Decision> out = send(new Command.DisableAgent("1001", "root"));
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            assertThat(only(out, Decision.AgentStateChanged.class).getFirst().change().cause())
                    .isEqualTo("disabled by root");
            assertThat(core.agentDisabled("1001")).hasValue(true);
            assertThat(only(send(new Command.LogIn("1001")), CommandRejected.class).getFirst().reason())
                    .contains("disabled");
            assertThat(only(send(new Command.Enqueue(Call.of("c1", "sales"))), Offer.class)).isEmpty();
            assertThat(only(send(new Command.DisableAgent("1001", "root")), CommandRejected.class)).hasSize(1);

            send(new Command.DefineAgent(Agent.of("1001", Map.of())));
            assertThat(core.agentDisabled("1001")).hasValue(false);
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            send(new Command.LogIn("1001"));
            assertThat(only(send(new Command.SetReady("1001")), Offer.class)).extracting(Offer::callId)
                    .containsExactly("c1");
        }

        @Test
        void disablingAnAgentWithAnOfferRingingRequeuesItAndOnACallWaitsForTheCallToEnd() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            readyAgent(Agent.of("1001", Map.of()));
            readyAgent(Agent.of("1002", Map.of()));
            send(new Command.Enqueue(Call.of("c1", "sales")));   // rings 1001 (longest idle)
            send(new Command.OfferAnswered("c1", "1001"));
            send(new Command.Enqueue(Call.of("c2", "sales")));   // rings 1002
            send(new Command.SetNotReady("1001", "break"));       // pending, on a call

            List<Decision> out = send(new Command.DisableAgent("1002", "root"));
            assertThat(state("1002")).isEqualTo(new LoggedOut());
            assertThat(only(out, Decision.CallRequeued.class)).extracting(Decision.CallRequeued::callId)
                    .containsExactly("c2");
            assertThat(core.position("c2")).hasValue(1);

            send(new Command.DisableAgent("1001", "root"));
            assertThat(state("1001")).isEqualTo(new OnCall("c1"));
            out = send(new Command.CallEnded("1001"));
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            assertThat(only(out, Offer.class)).as("c2 still waits: nobody enabled is ready").isEmpty();
            assertThat(core.queue("sales").orElseThrow().staffed()).isZero();
        }
    }

    @Nested
    class QueueDefinition {

        @Test
        void redefiningRequiredSkillsMatchesWaitingCallsWithReadyAgentsAtOnce() {
            send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 5).build()));
            readyAgent(Agent.of("1001", Map.of("billing", 3)));
            send(new Command.Enqueue(Call.of("c1", "billing")));
            assertThat(core.position("c1")).hasValue(1);

            List<Decision> out = send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 3)
                    .build()));
            assertThat(only(out, CommandRejected.class)).isEmpty();
            assertThat(only(out, Offer.class)).extracting(Offer::callId, Offer::agentId)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", "1001"));
        }

        @Test
        void aNewRequirementStopsOfferingToAgentsWithoutIt() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            readyAgent(Agent.of("1001", Map.of("sales", 5)));
            assertThat(core.queue("sales").orElseThrow().staffed()).isEqualTo(1);
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("french", 1).build()));
            assertThat(core.queue("sales").orElseThrow().staffed()).isZero();
            assertThat(only(send(new Command.Enqueue(Call.of("c1", "sales"))), Offer.class)).isEmpty();
            assertThat(core.position("c1")).hasValue(1);
        }

        @Test
        void aShorterMaximumWaitAppliesToCallsAlreadyWaiting() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").maxWait(Duration.ofMinutes(10)).build()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            clock.advanceSeconds(90);
            send(new Command.DefineQueue(QueueSpec.builder("sales").maxWait(Duration.ofSeconds(60))
                    .serviceLevel(0.9, Duration.ofSeconds(10)).build()));
            assertThat(core.nextDeadline()).hasValue(clock.instant().minusSeconds(30));
            List<Decision> out = core.tick();
            assertThat(only(out, Decision.MaxWaitReached.class)).extracting(Decision.MaxWaitReached::callId)
                    .containsExactly("c1");
            assertThat(core.queue("sales").orElseThrow().spec().serviceLevel().threshold())
                    .isEqualTo(Duration.ofSeconds(10));
        }

        @Test
        void aNewStrategyRanksAgentsFromTheNextOffer() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1).build()));
            readyAgent(Agent.of("1001", Map.of("sales", 2)));
            clock.advanceSeconds(1);
            readyAgent(Agent.of("1002", Map.of("sales", 9)));
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1)
                    .strategy(new Strategy.MostSkilled()).build()));
            Offer offer = only(send(new Command.Enqueue(Call.of("c1", "sales"))), Offer.class).getFirst();
            assertThat(offer.agentId()).as("most skilled, not longest idle").isEqualTo("1002");
            assertThat(offer.explanation().rule()).isEqualTo("most-skilled");
        }

        @Test
        void escalationStepsAlreadyDueAreReplayedOnTheNewRequirements() {
            send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 8).build()));
            send(new Command.Enqueue(Call.of("c1", "billing")));
            clock.advanceSeconds(40);
            readyAgent(Agent.of("1001", Map.of("billing", 4)));
            List<Decision> out = send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 8)
                    .escalate(new EscalationStep.LowerMinLevel(Duration.ofSeconds(30), "billing", 4)).build()));
            assertThat(only(out, Offer.class)).extracting(Offer::callId).containsExactly("c1");
        }

        @Test
        void aDisabledQueueAdmitsNoNewCallsButServesTheWaitingOnesUntilEnabledAgain() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            send(new Command.DisableQueue("sales", "root"));
            assertThat(core.queueDisabled("sales")).hasValue(true);
            assertThat(only(send(new Command.Enqueue(Call.of("c2", "sales"))), CommandRejected.class).getFirst()
                    .reason()).contains("queue sales is disabled");
            readyAgent(Agent.of("1001", Map.of()));
            assertThat(state("1001")).isEqualTo(new AgentState.Reserved("c1"));

            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            assertThat(core.queueDisabled("sales")).hasValue(false);
            assertThat(only(send(new Command.Enqueue(Call.of("c3", "sales"))), CommandRejected.class)).isEmpty();
        }

        @Test
        void escalationDoesNotMoveCallsIntoADisabledQueue() {
            send(new Command.DefineQueue(QueueSpec.builder("overflow").build()));
            send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1)
                    .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(30), "overflow")).build()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            send(new Command.DisableQueue("overflow", "root"));
            clock.advanceSeconds(31);
            core.tick();
            assertThat(core.queueOf("c1")).hasValue("sales");
        }
    }

    /** Defects found by review: each test failed before its fix. */
    @Nested
    class ReviewFixes {

        @Test
        void aDisabledAgentInWrapUpWhoAsksForReadyIsLoggedOutAsPromised() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").manualWrapUp().build()));
            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            send(new Command.OfferAnswered("c1", "1001"));
            send(new Command.DisableAgent("1001", "root"));
            send(new Command.CallEnded("1001"));
            assertThat(state("1001")).isInstanceOf(AgentState.WrapUp.class);

            List<Decision> out = send(new Command.SetReady("1001"));
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            assertThat(only(out, Decision.AgentStateChanged.class).getLast().change().cause())
                    .contains("logged out: disabled");
            send(new Command.Enqueue(Call.of("c2", "sales")));
            assertThat(core.position("c2")).as("nobody offered the next call").hasValue(1);
        }

        @Test
        void aDisabledAgentInWrapUpWhoAsksForNotReadyIsLoggedOutAsPromised() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").wrapUp(Duration.ofSeconds(30)).build()));
            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.Enqueue(Call.of("c1", "sales")));
            send(new Command.OfferAnswered("c1", "1001"));
            send(new Command.DisableAgent("1001", "root"));
            send(new Command.CallEnded("1001"));

            send(new Command.SetNotReady("1001", "break"));
            assertThat(state("1001")).isEqualTo(new LoggedOut());
            assertThat(core.queue("sales").orElseThrow().staffed()).isZero();
            assertThat(only(send(new Command.SetReady("1001")), CommandRejected.class).getFirst().reason())
                    .contains("disabled");
        }

        /** Two calls in one queue: c1 needs french (nobody has it), so only c2 is offered, to 1001. */
        private void c2RequeuedAheadOfOlderC1() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            send(new Command.Enqueue(Call.of("c1", "sales").withSkill("french", 1)));
            clock.advanceSeconds(10);
            send(new Command.Enqueue(Call.of("c2", "sales")));
            clock.advanceSeconds(10);
            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.OfferRejected("c2", "1001"));
            assertThat(waitingIds("sales")).as("back at the head of its band").containsExactly("c2", "c1");
        }

        @Test
        void reprioritisingARequeuedCallPutsItInTheNewBandByItsWaitNotAheadOfOlderCalls() {
            c2RequeuedAheadOfOlderC1();
            send(new Command.Reprioritise("c1", 5, "sam"));
            send(new Command.Reprioritise("c2", 5, "sam"));
            assertThat(waitingIds("sales")).as("c1 waited longer").containsExactly("c1", "c2");
        }

        @Test
        void reprioritisingToTheSameBandKeepsTheHeadPlaceOfARequeuedCall() {
            c2RequeuedAheadOfOlderC1();
            send(new Command.Reprioritise("c2", 0, "sam"));
            assertThat(waitingIds("sales")).containsExactly("c2", "c1");
        }

        @Test
        void anEscalationPriorityRaiseAlsoPlacesARequeuedCallByItsWait() {
            send(new Command.DefineQueue(QueueSpec.builder("sales")
                    .escalate(new EscalationStep.RaisePriority(Duration.ofSeconds(30), 5)).build()));
            send(new Command.Enqueue(Call.of("c1", "sales").withSkill("french", 1)));
            clock.advanceSeconds(10);
            send(new Command.Enqueue(Call.of("c2", "sales")));
            clock.advanceSeconds(5);
            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.OfferRejected("c2", "1001"));
            assertThat(waitingIds("sales")).containsExactly("c2", "c1");
            clock.advanceSeconds(26);   // c1 raised at 30 s, c2 at 40 s
            core.tick();
            assertThat(core.waiting()).extracting(RoutingCore.WaitingCall::priority).containsOnly(5);
            assertThat(waitingIds("sales")).as("c1 waited longer").containsExactly("c1", "c2");
        }

        @Test
        void anEscalationMovePlacesARequeuedCallByItsWaitInTheTargetQueue() {
            send(new Command.DefineQueue(QueueSpec.builder("overflow").build()));
            send(new Command.DefineQueue(QueueSpec.builder("sales")
                    .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(60), "overflow")).build()));
            send(new Command.Enqueue(Call.of("c0", "sales").withSkill("french", 1)));   // nobody speaks French
            clock.advanceSeconds(5);
            send(new Command.Enqueue(Call.of("c1", "overflow").withSkill("french", 1)));
            clock.advanceSeconds(5);
            send(new Command.Enqueue(Call.of("c2", "sales")));
            readyAgent(Agent.of("1001", Map.of()).withQueues(Set.of("sales")));
            send(new Command.OfferRejected("c2", "1001"));
            assertThat(waitingIds("sales")).as("back at the head of its band").containsExactly("c2", "c0");

            clock.advanceSeconds(61);   // both moved to overflow (c0 at 60 s, c2 at 70 s)
            core.tick();
            assertThat(waitingIds("overflow")).as("in the order they joined").containsExactly("c0", "c1", "c2");
        }

        @Test
        void redefiningAQueueKeepsTheOwnerFirstWindowOfAScheduledCallback() {
            send(new Command.DefineQueue(QueueSpec.builder("sales").build()));
            readyAgent(Agent.of("1001", Map.of()));
            send(new Command.SetNotReady("1001", "lunch"));
            readyAgent(Agent.of("1002", Map.of()));
            List<Decision> out = send(new Command.Enqueue(Call.of("cb1", "sales").withPreferredAgent("1001"),
                    java.util.Optional.empty(), true, java.util.Optional.of(Duration.ofMinutes(10))));
            assertThat(only(out, Offer.class)).as("only the owner for 10 minutes").isEmpty();

            out = send(new Command.DefineQueue(QueueSpec.builder("sales").maxWait(Duration.ofMinutes(5)).build()));
            assertThat(only(out, Offer.class)).as("the owner's window survives the redefinition").isEmpty();
            assertThat(core.position("cb1")).hasValue(1);

            out = send(new Command.SetReady("1001"));
            assertThat(only(out, Offer.class)).extracting(Offer::agentId).containsExactly("1001");
        }

        @Test
        void aReprioritisingLimitedToSomeQueuesIsRejectedForACallThatMovedOutOfThemMeanwhile() {
            send(new Command.DefineQueue(QueueSpec.builder("overflow").build()));
            send(new Command.DefineQueue(QueueSpec.builder("billing").require("billing", 1)
                    .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(30), "overflow")).build()));
            send(new Command.Enqueue(Call.of("c1", "billing")));
            assertThat(only(send(new Command.Reprioritise("c1", 2, "tina", java.util.Optional.of(Set.of("billing")))),
                    CallReprioritised.class)).hasSize(1);

            clock.advanceSeconds(31);   // the move is due; the command fires it first, then checks
            List<Decision> out = send(new Command.Reprioritise("c1", 9, "tina",
                    java.util.Optional.of(Set.of("billing"))));
            assertThat(only(out, Decision.Escalated.class)).hasSize(1);
            assertThat(only(out, CommandRejected.class).getFirst().reason())
                    .contains("call c1 waits in queue overflow").contains("expected: a call in billing");
            assertThat(core.waiting()).extracting(RoutingCore.WaitingCall::priority).containsExactly(2);
        }
    }
}
