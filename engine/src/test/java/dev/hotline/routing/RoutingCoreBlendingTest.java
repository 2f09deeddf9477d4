package dev.hotline.routing;

import dev.hotline.routing.Decision.Offer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The blending rule inside the routing core: agents holding inbound and outbound skills (docs/OUTBOUND.md). */
class RoutingCoreBlendingTest {

    private final FakeClock clock = new FakeClock();
    private final RoutingCore core = new RoutingCore(clock);

    private List<Decision> send(Command command) {
        return core.handle(command);
    }

    private static List<Offer> offers(List<Decision> decisions) {
        return decisions.stream().filter(Offer.class::isInstance).map(Offer.class::cast).toList();
    }

    private void blend(BlendRule rule) {
        send(new Command.SetBlending(rule, Set.of("renewals")));
    }

    /** An outbound attempt as the dialler enqueues it: no max wait, priority {@code priority}. */
    private List<Decision> outbound(String id, int priority) {
        return send(new Command.Enqueue(Call.of(id, "renewals").withPriority(priority), Optional.empty(), true));
    }

    private List<Decision> inbound(String id) {
        return send(new Command.Enqueue(Call.of(id, "sales")));
    }

    /** A French caller: no agent here speaks French, so they wait whoever is ready. */
    private List<Decision> inboundNobodyCanTake(String id) {
        return send(new Command.Enqueue(new Call(id, "sales", OptionalInt.empty(), List.of(), Optional.of("fr"),
                Optional.empty(), Map.of())));
    }

    private void agent(String id) {
        send(new Command.DefineAgent(Agent.of(id, Map.of("sales", 5, "renew", 5), "en")));
        send(new Command.LogIn(id));
    }

    /** An inbound call answered after {@code waitSeconds}; agent {@code id} ends it and is ready again. */
    private void inboundAnsweredAfter(String callId, String id, long waitSeconds) {
        send(new Command.SetNotReady(id, "busy"));
        inbound(callId);
        clock.advanceSeconds(waitSeconds);
        Offer o = offers(send(new Command.SetReady(id))).getFirst();
        assertThat(o.callId()).isEqualTo(callId);
        send(new Command.OfferAnswered(callId, id));
        send(new Command.CallEnded(id));   // no wrap-up: ready again
        assertThat(core.agent(id).orElseThrow().state()).isEqualTo(new AgentState.Ready());
    }

    @BeforeEach
    void queues() {
        send(new Command.DefineQueue(QueueSpec.builder("sales").require("sales", 1)
                .serviceLevel(0.8, Duration.ofSeconds(20)).maxWait(Duration.ofHours(1)).build()));
        send(new Command.DefineQueue(QueueSpec.builder("renewals").require("renew", 1)
                .maxWait(Duration.ofHours(1)).build()));
    }

    @Test
    void anAgentWithBothSkillsTakesTheWaitingInboundCallFirstWhateverThePriorityAndTheOfferSaysWhy() {
        blend(BlendRule.DEFAULT);
        agent("1001");
        assertThat(outbound("ob-1-1", 50)).extracting(Object::getClass).contains(Decision.CallQueued.class);
        inbound("in-1");
        Offer o = offers(send(new Command.SetReady("1001"))).getFirst();
        assertThat(o.callId()).isEqualTo("in-1");
        assertThat(o.explanation().blending())
                .isEqualTo("inbound first: in-1 of queue sales before the outbound work waiting in renewals");
    }

    @Test
    void withTheRuleOffTheOutboundCallWinsByPrioritySoTheRuleIsWhatDecides() {
        blend(new BlendRule(BlendRule.Mode.PRIORITY, Duration.ofHours(1), 1));
        agent("1001");
        outbound("ob-1-1", 50);
        inbound("in-1");
        Offer o = offers(send(new Command.SetReady("1001"))).getFirst();
        assertThat(o.callId()).isEqualTo("ob-1-1");
        assertThat(o.explanation().blending()).startsWith("outbound allowed: blending rule priority");
    }

    @Test
    void whileAnInboundQueueMissesItsServiceLevelNoAgentTakesOutboundWorkAndTheDiallerIsToldWhy() {
        blend(BlendRule.DEFAULT);
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundAnsweredAfter("in-1", "1001", 30);   // 0 % in 20 s (target 80 %)

        assertThat(offers(outbound("ob-1-1", 0))).isEmpty();
        RoutingCore.OutboundVerdict v = core.outbound("renewals");
        assertThat(v.allowed()).isFalse();
        assertThat(v.readyAgents()).isZero();
        assertThat(v.why()).isEqualTo("inbound first: queue sales at service level 0% over 1 h (target 80%)");

        // An hour later the late call has left the window: the dialler's next SetBlending lets the call through.
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        Offer o = offers(send(new Command.SetBlending(BlendRule.DEFAULT, Set.of("renewals")))).getFirst();
        assertThat(o.callId()).isEqualTo("ob-1-1");
        assertThat(o.explanation().blending()).isEqualTo("outbound allowed: agent 1001: every inbound queue meets"
                + " its service level: sales 0 call(s) over 1 h");
    }

    @Test
    void aCallerWaitingAtTheServiceLevelTimeHoldsOutboundBackEvenFromAnAgentWhoCannotTakeThatCaller() {
        blend(new BlendRule(BlendRule.Mode.SERVICE_LEVEL, Duration.ofHours(1), 5));   // one abandon is not judged
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundNobodyCanTake("in-fr");
        clock.advanceSeconds(19);
        blend(new BlendRule(BlendRule.Mode.SERVICE_LEVEL, Duration.ofHours(1), 5));
        assertThat(core.outbound("renewals").allowed()).as("19 s: within 20 s").isTrue();
        clock.advanceSeconds(1);
        assertThat(offers(outbound("ob-1-1", 0))).isEmpty();
        assertThat(core.outbound("renewals").why())
                .isEqualTo("inbound first: queue sales has a caller waiting 20 s (service-level time 20 s)");

        // The caller hangs up: the held outbound call goes to the agent at once.
        List<Decision> left = send(new Command.Leave("in-fr", "caller hung up"));
        assertThat(offers(left)).extracting(Offer::callId).containsExactly("ob-1-1");
    }

    @Test
    void aLoggedInAgentOnABreakStillSharesTheirInboundQueuesButALoggedOutOneDoesNot() {
        blend(BlendRule.DEFAULT);
        agent("1001");   // logged in, not ready
        inbound("in-1");
        clock.advanceSeconds(20);
        blend(BlendRule.DEFAULT);   // as the dialler does before it asks: the core's time moves with its commands
        RoutingCore.OutboundVerdict v = core.outbound("renewals");
        assertThat(v.allowed()).isFalse();
        assertThat(v.readyAgents()).isZero();
        assertThat(v.why()).isEqualTo("inbound first: queue sales has a caller waiting 20 s (service-level time 20 s)");
        send(new Command.LogOut("1001"));
        assertThat(core.outbound("renewals").why()).isEqualTo("no inbound queue shares the agents of renewals");
    }

    @Test
    void anAbandonedInboundCallCountsAgainstTheServiceLevel() {
        blend(BlendRule.DEFAULT);
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundNobodyCanTake("in-fr");
        clock.advanceSeconds(3);
        assertThat(offers(send(new Command.Leave("in-fr", "caller hung up")))).isEmpty();
        assertThat(offers(outbound("ob-1-1", 0))).isEmpty();
        assertThat(core.outbound("renewals").why())
                .isEqualTo("inbound first: queue sales at service level 0% over 1 h (target 80%)");
    }

    @Test
    void whenEveryInboundQueueMeetsItsServiceLevelOutboundIsAllowedAndTheOfferSaysWhy() {
        blend(BlendRule.DEFAULT);
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundAnsweredAfter("in-1", "1001", 5);
        inboundAnsweredAfter("in-2", "1001", 25);
        inboundAnsweredAfter("in-3", "1001", 5);
        inboundAnsweredAfter("in-4", "1001", 5);
        inboundAnsweredAfter("in-5", "1001", 5);   // 4 of 5 in time: 80 %, the target

        RoutingCore.OutboundVerdict v = core.outbound("renewals");
        assertThat(v.allowed()).isTrue();
        assertThat(v.readyAgents()).isEqualTo(1);
        assertThat(v.why()).isEqualTo("every inbound queue meets its service level: sales 80% (target 80%)");
        Offer o = offers(outbound("ob-1-1", 0)).getFirst();
        assertThat(o.agentId()).isEqualTo("1001");
        assertThat(o.explanation().blending()).isEqualTo("outbound allowed: agent 1001: every inbound queue meets"
                + " its service level: sales 80% (target 80%)");
    }

    @Test
    void minCallsKeepsOneEarlyMissFromStoppingOutbound() {
        blend(new BlendRule(BlendRule.Mode.SERVICE_LEVEL, Duration.ofHours(1), 3));
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundAnsweredAfter("in-1", "1001", 30);
        assertThat(core.outbound("renewals").allowed()).isTrue();
        inboundAnsweredAfter("in-2", "1001", 5);
        inboundAnsweredAfter("in-3", "1001", 5);   // 2 of 3: 67 % < 80 %
        assertThat(core.outbound("renewals").why()).isEqualTo(
                "inbound first: queue sales at service level 67% over 1 h (target 80%)");
    }

    @Test
    void inboundIdleHoldsOutboundBackWhileAnyInboundCallerWaits() {
        blend(new BlendRule(BlendRule.Mode.INBOUND_IDLE, Duration.ofHours(1), 1));
        agent("1001");
        send(new Command.SetReady("1001"));
        inboundNobodyCanTake("in-fr");
        assertThat(offers(outbound("ob-1-1", 0))).isEmpty();
        assertThat(core.outbound("renewals").why()).isEqualTo("inbound first: queue sales has a caller waiting (0 s)");
        assertThat(offers(send(new Command.Leave("in-fr", "caller hung up")))).extracting(Offer::callId)
                .containsExactly("ob-1-1");
    }

    @Test
    void anAgentWhoServesNoInboundQueueTakesOutboundWorkWhateverTheInboundQueuesDo() {
        blend(BlendRule.DEFAULT);
        send(new Command.DefineAgent(Agent.of("2001", Map.of("renew", 5), "en")));
        send(new Command.LogIn("2001"));
        send(new Command.SetReady("2001"));
        Offer o = offers(outbound("ob-1-1", 0)).getFirst();
        assertThat(o.agentId()).isEqualTo("2001");
        assertThat(o.explanation().blending()).isEqualTo("outbound allowed: agent 2001 serves no inbound queue");
        assertThat(core.outbound("renewals").why()).isEqualTo("no inbound queue shares the agents of renewals");
    }

    @Test
    void aQueueTheDiallerDoesNotNameIsInboundAndAnUnknownOneIsRefused() {
        blend(BlendRule.DEFAULT);
        assertThat(core.outbound("nope").allowed()).isFalse();
        assertThat(core.outbound("nope").why()).isEqualTo("unknown queue nope");
        send(new Command.SetBlending(BlendRule.DEFAULT, Set.of()));
        agent("1001");
        send(new Command.SetReady("1001"));
        Offer o = offers(outbound("ob-1-1", 0)).getFirst();
        assertThat(o.explanation().blending()).as("no outbound work in play").isEmpty();
    }
}
