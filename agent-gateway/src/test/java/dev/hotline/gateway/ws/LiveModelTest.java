package dev.hotline.gateway.ws;

import dev.hotline.api.AgentChange;
import dev.hotline.api.AgentControl;
import dev.hotline.api.AgentStatus;
import dev.hotline.api.LiveBoard;
import dev.hotline.api.WaitingCall;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.events.CallEvent;
import dev.hotline.events.CallEventListener;
import dev.hotline.ivr.runtime.IvrCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The live model and its views, fed events by hand: no engine, no HTTP, no threads. */
class LiveModelTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final QueueConfig SALES = QueueConfig.simple("sales", Map.of());
    static final AgentConfig ANNA = new AgentConfig("1001", "Anna", List.of("PJSIP/1001"), Map.of(), Set.of("red"),
            "", Set.of());

    final LiveModel model = new LiveModel(List.of(SALES), LocalDate.of(2026, 3, 2));

    static AgentStatus onCall(String callId) {
        return new AgentStatus(AgentStatus.Kind.ON_CALL, Optional.empty(), Optional.empty(), Optional.of(callId));
    }

    @Test
    void aCallIsFollowedFromQueueToItsEndAndBecomesTheAgentsLastCall() {
        model.on(new CallEvent.Queued("c1", T0, "sales", "5551234", "u1", "PJSIP/t-1", Map.of("account", "42")));
        assertThat(model.waitingIn("sales")).extracting(LiveModel.Call::id).containsExactly("c1");

        model.on(new CallEvent.Offered("c1", T0.plusSeconds(5), "sales", "1001", "longest idle"));
        assertThat(model.call("c1").orElseThrow().agentId()).contains("1001");
        model.on(new CallEvent.OfferFailed("c1", T0.plusSeconds(20), "1001", "NOANSWER"));
        assertThat(model.call("c1").orElseThrow().agentId()).isEmpty();

        model.on(new CallEvent.Offered("c1", T0.plusSeconds(21), "sales", "1001", "longest idle"));
        model.on(new CallEvent.Answered("c1", T0.plusSeconds(25), "sales", "1001", Duration.ofSeconds(25)));
        assertThat(model.waitingIn("sales")).isEmpty();   // answered: no longer waiting
        assertThat(model.call("c1").orElseThrow().answeredAt()).contains(T0.plusSeconds(25));

        Optional<LiveModel.Call> ended = model.on(new CallEvent.Ended("c1", T0.plusSeconds(85), "1001", "caller",
                Duration.ofSeconds(60)));
        assertThat(ended).isPresent();
        assertThat(model.call("c1")).isEmpty();
        LiveModel.EndedCall last = model.lastCall("1001").orElseThrow();
        assertThat(last.callId()).isEqualTo("c1");
        assertThat(last.talk()).isEqualTo(Duration.ofSeconds(60));
        assertThat(last.call().orElseThrow().data()).containsEntry("account", "42");
        assertThat(model.counters().getFirst().answered()).isEqualTo(1);
    }

    @Test
    void anEventForACallNeverSeenQueuingChangesNoCall() {
        assertThat(model.on(new CallEvent.Answered("ghost", T0, "sales", "1001", Duration.ZERO))).isEmpty();
        assertThat(model.call("ghost")).isEmpty();
        model.on(new CallEvent.Abandoned("ghost", T0, "sales", Duration.ofSeconds(3)));
        assertThat(model.lastCall("1001")).isEmpty();
    }

    @Test
    void aChangeWinsOverTheSnapshotTakenAfterIt() {
        model.on(new AgentChange("1001", AgentStatus.LOGGED_OUT, AgentStatus.of(AgentStatus.Kind.READY),
                T0.plusSeconds(1), "login"));
        model.agentsBefore(Map.of("1001", AgentStatus.LOGGED_OUT, "1002", AgentStatus.of(AgentStatus.Kind.READY)),
                T0.plusSeconds(2));
        assertThat(model.observed("1001").orElseThrow())
                .isEqualTo(new LiveModel.Observed(AgentStatus.of(AgentStatus.Kind.READY), T0.plusSeconds(1)));
        assertThat(model.observed("1002").orElseThrow().since()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aPendingNotReadyLastsThroughTheCallAndWrapUpAndGoesWhenTheAgentIsFree() {
        model.on(new AgentChange("1001", AgentStatus.of(AgentStatus.Kind.READY), onCall("c1"), T0, "answered"));
        model.notReadyRequested("1001", "lunch");
        model.on(new AgentChange("1001", onCall("c1"), AgentStatus.of(AgentStatus.Kind.WRAP_UP), T0.plusSeconds(60),
                "ended"));
        assertThat(model.pendingNotReady("1001")).contains("lunch");
        model.on(new AgentChange("1001", AgentStatus.of(AgentStatus.Kind.WRAP_UP),
                new AgentStatus(AgentStatus.Kind.NOT_READY, Optional.of("lunch"), Optional.empty(), Optional.empty()),
                T0.plusSeconds(90), "wrap-up over"));
        assertThat(model.pendingNotReady("1001")).isEmpty();
        assertThat(model.notReadyCancelled("1001")).isFalse();
    }

    @Test
    void theWaitingListCountsAsChangedOnlyWhenACallMovesNotWhenWaitsGrow() {
        WaitingCall first = new WaitingCall("c1", "sales", 0, 1, T0, false, Optional.of(Duration.ofSeconds(90)));
        WaitingCall second = new WaitingCall("c2", "sales", 0, 2, T0, false, Optional.of(Duration.ofSeconds(180)));
        assertThat(model.waiting(List.of(first, second))).isTrue();
        assertThat(model.waiting(List.of(first, second))).isFalse();
        assertThat(model.estimatedWait("sales")).contains(Duration.ofSeconds(180));   // the last in line
        assertThat(model.estimatedWait("support")).contains(Duration.ZERO);          // nobody waits

        WaitingCall unstaffed = new WaitingCall("c2", "sales", 5, 1, T0, false, Optional.empty());
        assertThat(model.waiting(List.of(unstaffed))).isTrue();   // a new priority moved it
        assertThat(model.estimatedWait("sales")).isEmpty();       // nobody staffs the queue
    }

    @Test
    void samplesKeepTheLastHourAndANewDayStartsTheCountersAgain() {
        model.on(new CallEvent.Queued("c1", T0, "sales", "5551234", "u1", "PJSIP/t-1"));
        for (int i = 0; i < LiveModel.SAMPLES + 5; i++) {
            model.sample(T0.plusSeconds(10L * i));
        }
        List<LiveModel.Sample> h = model.history("sales");
        assertThat(h).hasSize(LiveModel.SAMPLES);
        assertThat(h.getFirst().at()).isEqualTo(T0.plusSeconds(50));
        assertThat(h.getFirst().offered()).isEqualTo(1);

        assertThat(model.newDay(LocalDate.of(2026, 3, 2), List.of(SALES))).isFalse();
        assertThat(model.newDay(LocalDate.of(2026, 3, 3), List.of(SALES))).isTrue();
        assertThat(model.counters().getFirst().offered()).isZero();
    }

    @Test
    void theQueueViewShowsTheRoutingCoresEstimateAndTheAgentViewThePendingNotReady() {
        LiveViews views = new LiveViews(model, new FixedBoard(), new FixedAgents(), InstantSource.fixed(T0.plusSeconds(30)),
                () -> IvrCatalog.EMPTY, Optional::empty, () -> null);
        model.on(new CallEvent.Queued("c1", T0, "sales", "5551234", "u1", "PJSIP/t-1"));
        model.waiting(List.of(new WaitingCall("c1", "sales", 0, 1, T0, false, Optional.of(Duration.ofSeconds(75)))));
        Map<String, Object> sales = views.queueViews().getFirst();
        assertThat(sales).containsEntry("waiting", 1).containsEntry("longestWaitSeconds", 30L)
                .containsEntry("estimatedWaitSeconds", 75L);

        model.waiting(List.of(new WaitingCall("c1", "sales", 0, 1, T0, false, Optional.empty())));
        assertThat(views.queueViews().getFirst()).containsEntry("estimatedWaitSeconds", null);

        model.on(new AgentChange("1001", AgentStatus.of(AgentStatus.Kind.READY), onCall("c1"), T0, "answered"));
        model.notReadyRequested("1001", "lunch");
        LiveJson.Agent anna = views.agentView("1001");
        assertThat(anna.state()).isEqualTo("on-call");
        assertThat(anna.next()).isEqualTo(new LiveJson.Next("not-ready", "lunch"));
        assertThat(anna.call().callId()).isEqualTo("c1");
        assertThat(anna.call().caller()).isEqualTo("5551234");
        assertThat(anna.call().talkingSeconds()).as("not answered yet").isNull();
    }

    /** The engine's board with the sales queue and nothing else. */
    static final class FixedBoard implements LiveBoard {
        @Override
        public void addCallListener(CallEventListener listener) {
        }

        @Override
        public void addAgentListener(Consumer<AgentChange> listener) {
        }

        @Override
        public void addWaitingListener(Runnable listener) {
        }

        @Override
        public Map<String, AgentStatus> agentStates() {
            return Map.of();
        }

        @Override
        public Map<String, QueueConfig> queues() {
            return Map.of("sales", SALES);
        }

        @Override
        public Set<String> disabledQueues() {
            return Set.of();
        }

        @Override
        public boolean mayServe(AgentConfig agent, QueueConfig queue) {
            return true;
        }

        @Override
        public CompletableFuture<List<WaitingCall>> waitingCalls() {
            return CompletableFuture.completedFuture(List.of());
        }
    }

    /** Agent 1001, enabled; no commands expected. */
    static final class FixedAgents implements AgentControl {
        @Override
        public Map<String, AgentConfig> all() {
            return Map.of("1001", ANNA);
        }

        @Override
        public Set<String> disabled() {
            return Set.of();
        }

        @Override
        public void login(String agentId) {
            throw new AssertionError("no command expected");
        }

        @Override
        public void logout(String agentId) {
            throw new AssertionError("no command expected");
        }

        @Override
        public void ready(String agentId) {
            throw new AssertionError("no command expected");
        }

        @Override
        public void notReady(String agentId, String reason) {
            throw new AssertionError("no command expected");
        }

        @Override
        public void endWrapUp(String agentId) {
            throw new AssertionError("no command expected");
        }

        @Override
        public CompletableFuture<List<String>> queuesOf(String agentId) {
            return CompletableFuture.completedFuture(List.of("sales"));
        }
    }
}
