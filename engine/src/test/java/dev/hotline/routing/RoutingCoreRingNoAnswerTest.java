package dev.hotline.routing;

import dev.hotline.routing.Decision.AgentStateChanged;
import dev.hotline.routing.Decision.Offer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's ring-no-answer policy: what becomes of an agent who lets an offer ring out. */
class RoutingCoreRingNoAnswerTest {

    private final FakeClock clock = new FakeClock();
    private final RoutingCore core = new RoutingCore(clock);

    private List<Decision> send(Command command) {
        return core.handle(command);
    }

    private void setUp(RingNoAnswer policy) {
        send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1).ringNoAnswer(policy).build()));
        for (String id : List.of("1001", "1002")) {
            send(new Command.DefineAgent(Agent.of(id, Map.of("sales", 5))));
            send(new Command.LogIn(id));
        }
        send(new Command.SetReady("1001"));
    }

    private AgentState state(String agentId) {
        return core.agent(agentId).orElseThrow().state();
    }

    private static List<StateChange> changes(List<Decision> decisions, String agentId) {
        return decisions.stream().filter(d -> d instanceof AgentStateChanged c && c.change().agentId().equals(agentId))
                .map(d -> ((AgentStateChanged) d).change()).toList();
    }

    private static List<Offer> offers(List<Decision> decisions) {
        return decisions.stream().filter(Offer.class::isInstance).map(Offer.class::cast).toList();
    }

    @Test
    void pauseMakesTheAgentNotReadyWithTheReasonOnceAndReadyAgainWhenThePauseIsOver() {
        setUp(new RingNoAnswer.Pause(Duration.ofSeconds(30)));
        send(new Command.Enqueue(Call.of("c1", "sales")));
        List<Decision> missed = send(new Command.OfferRejected("c1", "1001", Optional.of("busy")));

        assertThat(changes(missed, "1001")).as("one row: reserved → not ready (busy)").singleElement()
                .satisfies(c -> assertThat(c.to()).isEqualTo(new AgentState.NotReady("busy",
                        Optional.of(clock.instant().plusSeconds(30)))));
        clock.advanceSeconds(29);
        assertThat(changes(core.tick(), "1001")).isEmpty();
        clock.advanceSeconds(1);
        List<Decision> back = core.tick();
        assertThat(changes(back, "1001")).first().satisfies(c -> {
            assertThat(c.to()).isEqualTo(new AgentState.Ready());
            assertThat(c.cause()).isEqualTo("no-answer pause over");
        });
        assertThat(offers(back)).as("the waiting call is offered to the agent back").singleElement()
                .satisfies(o -> assertThat(o.agentId()).isEqualTo("1001"));
    }

    @Test
    void skipKeepsTheAgentReadyButOffersThemNothingForAWhile() {
        setUp(new RingNoAnswer.Skip(Duration.ofSeconds(20)));
        send(new Command.Enqueue(Call.of("c1", "sales")));
        List<Decision> missed = send(new Command.OfferRejected("c1", "1001", Optional.of("no answer")));
        assertThat(state("1001")).isEqualTo(new AgentState.Ready());
        assertThat(offers(missed)).as("not offered the same call again at once").isEmpty();

        send(new Command.SetReady("1002"));
        assertThat(state("1002")).as("another agent takes it").isEqualTo(new AgentState.Reserved("c1"));
        send(new Command.OfferRejected("c1", "1002", Optional.of("no answer")));

        clock.advanceSeconds(20);
        List<Decision> later = core.tick();
        assertThat(offers(later)).as("1001's skip is over").singleElement()
                .satisfies(o -> assertThat(o.agentId()).isEqualTo("1001"));
    }

    @Test
    void untilAgentLeavesTheAgentNotReadyUntilTheyAct() {
        setUp(new RingNoAnswer.UntilAgent());
        send(new Command.Enqueue(Call.of("c1", "sales")));
        send(new Command.OfferRejected("c1", "1001", Optional.of("no answer")));
        clock.advance(Duration.ofHours(1));
        core.tick();
        assertThat(state("1001")).isEqualTo(new AgentState.NotReady("no answer"));
    }

    @Test
    void theCoresOwnRingTimeoutFollowsThePolicyToo() {
        setUp(new RingNoAnswer.Pause(Duration.ofSeconds(10)));
        send(new Command.Enqueue(Call.of("c1", "sales")));
        clock.advanceSeconds(15);   // the queue's ring timeout (builder default 15 s)
        core.tick();
        assertThat(state("1001")).isInstanceOf(AgentState.NotReady.class);
        clock.advanceSeconds(10);
        core.tick();
        assertThat(state("1001")).isEqualTo(new AgentState.Reserved("c1"));
    }

    @Test
    void aRingTheSessionReportsHasNoRingDeadlineAndEndsAsTheSessionSays() {
        setUp(new RingNoAnswer.Pause(Duration.ofSeconds(30)));
        send(new Command.Enqueue(Call.of("c1", "sales")));
        assertThat(state("1001")).isEqualTo(new AgentState.Reserved("c1"));
        assertThat(send(new Command.OfferRinging("c1", "1002"))).as("not the agent the call rings")
                .singleElement().isInstanceOf(Decision.CommandRejected.class);
        assertThat(send(new Command.OfferRinging("c1", "1001"))).isEmpty();

        clock.advanceSeconds(3600);   // far past the ring time-out: the agent talks, AMI did not say so
        assertThat(core.tick()).as("no time-out while the session reports the ring")
                .noneMatch(d -> d instanceof Decision.OfferTimedOut);
        assertThat(state("1001")).isEqualTo(new AgentState.Reserved("c1"));
        send(new Command.OfferAnswered("c1", "1001"));
        assertThat(state("1001")).isEqualTo(new AgentState.OnCall("c1"));
    }

    @Test
    void aReportedRingThatEndsUnansweredAppliesThePolicyAndTheNextOfferHasItsDeadlineAgain() {
        setUp(new RingNoAnswer.Pause(Duration.ofSeconds(30)));
        send(new Command.Enqueue(Call.of("c1", "sales")));
        send(new Command.OfferRinging("c1", "1001"));
        send(new Command.OfferRejected("c1", "1001", Optional.of("no answer")));
        assertThat(state("1001")).isInstanceOf(AgentState.NotReady.class);

        send(new Command.SetReady("1002"));
        assertThat(state("1002")).isEqualTo(new AgentState.Reserved("c1"));
        clock.advanceSeconds(3600);
        assertThat(core.tick()).as("an offer nobody reports rings out")
                .anyMatch(d -> d instanceof Decision.OfferTimedOut t && t.agentId().equals("1002"));
    }
}
