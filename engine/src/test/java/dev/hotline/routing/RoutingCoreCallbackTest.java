package dev.hotline.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The routing core's callbacks: {@link Command.KeepAsCallback} and {@code Enqueue(call, since, callback)}. Fake clock. */
class RoutingCoreCallbackTest {

    private final FakeClock clock = new FakeClock();
    private final RoutingCore core = new RoutingCore(clock);

    private List<Decision> send(Command command) {
        return core.handle(command);
    }

    /** The agent logs in and becomes ready; the decisions of that and of a tick right after. */
    private List<Decision> ready(String id) {
        send(new Command.DefineAgent(Agent.of(id, Map.of())));
        send(new Command.LogIn(id));
        List<Decision> out = new java.util.ArrayList<>(send(new Command.SetReady(id)));
        out.addAll(core.tick());
        return out;
    }

    private static List<Decision.Offer> offers(List<Decision> decisions) {
        return decisions.stream().filter(Decision.Offer.class::isInstance).map(Decision.Offer.class::cast).toList();
    }

    @Test
    void aCallKeptAsCallbackKeepsItsPlaceAndIgnoresMaxWaitAndEscalation() {
        send(new Command.DefineQueue(QueueSpec.builder("q").maxWait(Duration.ofSeconds(60))
                .escalate(new EscalationStep.RaisePriority(Duration.ofSeconds(30), 5)).build()));
        send(new Command.Enqueue(Call.of("first", "q")));
        clock.advanceSeconds(10);
        send(new Command.Enqueue(Call.of("cb", "q")));
        clock.advanceSeconds(10);
        send(new Command.Enqueue(Call.of("later", "q")));
        assertThat(send(new Command.KeepAsCallback("cb"))).noneMatch(d -> d instanceof Decision.CommandRejected);
        assertThat(core.position("cb")).hasValue(2);

        clock.advanceSeconds(120);
        List<Decision> ticked = core.tick();
        assertThat(ticked).as("the live callers reach max wait / escalate; the callback does not")
                .noneMatch(d -> d instanceof Decision.MaxWaitReached m && m.callId().equals("cb"))
                .noneMatch(d -> d instanceof Decision.Escalated e && e.callId().equals("cb"))
                .anyMatch(d -> d instanceof Decision.MaxWaitReached m && m.callId().equals("later"));
        assertThat(core.position("cb")).as("still waiting").isPresent();

        assertThat(core.position("first")).as("live caller left at max wait").isEmpty();
        assertThat(core.position("cb")).hasValue(1);

        List<Decision.Offer> offered = offers(ready("a"));
        assertThat(offered).extracting(Decision.Offer::callId).containsExactly("cb");
    }

    @Test
    void aCallbackEnqueuedWithItsOriginalTimeIsOfferedAheadOfLaterCallers() {
        send(new Command.DefineQueue(QueueSpec.builder("q").build()));
        Instant promised = clock.instant();
        clock.advanceSeconds(300);
        send(new Command.Enqueue(Call.of("live", "q")));
        clock.advanceSeconds(5);
        send(new Command.Enqueue(Call.of("cb", "q"), Optional.of(promised), true));
        assertThat(core.position("cb")).hasValue(1);
        assertThat(core.position("live")).hasValue(2);

        List<Decision.Offer> offered = offers(ready("a"));
        assertThat(offered).extracting(Decision.Offer::callId).containsExactly("cb");
    }

    @Test
    void aFullQueueAdmitsACallbackButRefusesALiveCaller() {
        send(new Command.DefineQueue(QueueSpec.builder("q").maxLength(1).build()));
        send(new Command.Enqueue(Call.of("c1", "q")));
        assertThat(send(new Command.Enqueue(Call.of("c2", "q"))))
                .containsExactly(new Decision.QueueFull("c2", "q", 1, 1));
        List<Decision> cb = send(new Command.Enqueue(Call.of("cb", "q"), Optional.of(clock.instant()), true));
        assertThat(cb).noneMatch(d -> d instanceof Decision.QueueFull);
        assertThat(core.position("cb")).isPresent();
    }

    @Test
    void aCallbackWithAnOwnerWindowGoesToTheOwnerAloneWhateverTheStrategyThenToAnyone() {
        send(new Command.DefineQueue(QueueSpec.builder("q").strategy(new Strategy.LongestIdle()).build()));
        ready("idle-longest");
        clock.advanceSeconds(10);
        ready("owner");
        send(new Command.SetNotReady("owner", "lunch"));
        Call cb = Call.of("cb", "q").withPreferredAgent("owner");
        List<Decision> enq = send(new Command.Enqueue(cb, Optional.of(clock.instant()), true,
                Optional.of(Duration.ofSeconds(60))));
        assertThat(offers(enq)).as("the owner is not ready; the longest-idle agent must not get it").isEmpty();
        clock.advanceSeconds(30);
        assertThat(offers(core.tick())).isEmpty();
        assertThat(offers(send(new Command.SetReady("owner")))).as("owner ready within the window")
                .extracting(Decision.Offer::agentId).containsExactly("owner");
    }

    @Test
    void whenTheOwnerWindowEndsTheCallbackIsOfferedToTheTeam() {
        send(new Command.DefineQueue(QueueSpec.builder("q").build()));
        ready("other");
        send(new Command.DefineAgent(Agent.of("owner", Map.of())));
        Call cb = Call.of("cb", "q").withPreferredAgent("owner");
        assertThat(offers(send(new Command.Enqueue(cb, Optional.of(clock.instant()), true,
                Optional.of(Duration.ofSeconds(60)))))).isEmpty();
        clock.advanceSeconds(59);
        assertThat(offers(core.tick())).isEmpty();
        clock.advanceSeconds(1);
        assertThat(offers(core.tick())).extracting(Decision.Offer::callId, Decision.Offer::agentId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cb", "other"));
    }

    @Test
    void aWindowAlreadyOverAtEnqueueMeansAnyoneAtOnce() {
        send(new Command.DefineQueue(QueueSpec.builder("q").build()));
        ready("other");
        Instant due = clock.instant();
        clock.advanceSeconds(120);
        Call cb = Call.of("cb", "q").withPreferredAgent("owner");
        assertThat(offers(send(new Command.Enqueue(cb, Optional.of(due), true, Optional.of(Duration.ofSeconds(60))))))
                .extracting(Decision.Offer::agentId).containsExactly("other");
    }
}
