package dev.hotline.handoff;

import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.ami.AmiEvent;
import dev.hotline.ami.LiveChannel;
import dev.hotline.routing.AgentState;
import dev.hotline.routing.StateChange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** How an unfinished record is closed, and what happens to the agent of a talking call followed to its end. */
class ReconcilerTest {

    private static final Instant T0 = Instant.parse("2026-12-07T20:00:00Z");
    private static final CallId ID = new CallId("pbx1", "1796660136.11106");

    private static CallRecord.Builder started() {
        return CallRecord.builder(ID, T0).caller("0612345678", "").dialled("5551000")
                .ivr(new IvrStep("main-menu/main", T0.plusSeconds(1), "2", IvrStep.Exit.OPTION));
    }

    @Test
    void aWaitingCallWhoseCallerWasGoneIsClosedAsLostByTheEngineWhenLastJournaled() {
        CallRecord waiting = started().visit(QueueVisit.unanswered("support", T0.plusSeconds(5), T0.plusSeconds(5),
                QueueVisit.Result.WAITING)).ended(T0.plusSeconds(5), CallOutcome.IN_PROGRESS).build();
        CallRecord closed = Reconciler.closed(waiting, waiting.endedAt(), CallOutcome.ENGINE_FAILED,
                QueueVisit.Result.ENGINE_FAILED, HangupParty.UNKNOWN);
        assertThat(closed.outcome()).isEqualTo(CallOutcome.ENGINE_FAILED);
        assertThat(closed.callId()).isEqualTo(ID);
        assertThat(closed.ivrPath()).isEqualTo(waiting.ivrPath());
        assertThat(closed.queueVisits()).singleElement().satisfies(v -> {
            assertThat(v.result()).isEqualTo(QueueVisit.Result.ENGINE_FAILED);
            assertThat(v.enqueuedAt()).isEqualTo(T0.plusSeconds(5));
        });
        assertThat(closed.endedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aTalkingCallFollowedToItsEndIsAnsweredWithTheTalkUpToTheHangUp() {
        CallRecord talking = started()
                .offer(new Offer("support", "1004", T0.plusSeconds(6), T0.plusSeconds(8), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", T0.plusSeconds(5), T0.plusSeconds(8), "1004", Duration.ZERO,
                        Duration.ZERO, Duration.ZERO))
                .ended(T0.plusSeconds(8), CallOutcome.IN_PROGRESS).build();
        CallRecord closed = Reconciler.closed(talking, T0.plusSeconds(68), CallOutcome.ANSWERED,
                QueueVisit.Result.ABANDONED, HangupParty.UNKNOWN);
        assertThat(closed.outcome()).isEqualTo(CallOutcome.ANSWERED);
        assertThat(closed.queueVisits()).singleElement().satisfies(v -> {
            assertThat(v.agentId()).contains("1004");
            assertThat(v.talk()).isEqualTo(Duration.ofSeconds(60));
        });
        assertThat(closed.offers()).isEqualTo(talking.offers());
        assertThat(closed.endedAt()).isEqualTo(T0.plusSeconds(68));
    }

    @Test
    void aCallerWhoHungUpWhileWaitingForAnEngineIsAnAbandon() {
        CallRecord waiting = started().visit(QueueVisit.unanswered("support", T0.plusSeconds(5), T0.plusSeconds(5),
                QueueVisit.Result.WAITING)).ended(T0.plusSeconds(5), CallOutcome.IN_PROGRESS).build();
        CallRecord closed = Reconciler.closed(waiting, T0.plusSeconds(40), CallOutcome.ABANDONED,
                QueueVisit.Result.ABANDONED, HangupParty.CALLER);
        assertThat(closed.queueVisits().getFirst().result()).isEqualTo(QueueVisit.Result.ABANDONED);
        assertThat(closed.queueVisits().getFirst().waited()).isEqualTo(Duration.ofSeconds(35));
        assertThat(closed.hangupBy()).isEqualTo(HangupParty.CALLER);
    }

    // ---- followed calls, their agents ----

    private static final String CALLER = ID.linkedId();
    private static final String AGENT_LEG = "1796660136.11107";

    /** The ACD as the reconciler sees it: what it was told, in order. */
    private static final class FakeAcd implements Reconciler.Agents {
        final List<String> told = new CopyOnWriteArrayList<>();
        final List<Predicate<String>> held = new CopyOnWriteArrayList<>();

        @Override
        public void adopt(String agentId, String callId, String queue, Instant answeredAt) {
            told.add("adopt " + agentId + " " + callId + " " + queue + " " + answeredAt);
        }

        @Override
        public void adoptedEnded(String agentId, String callId) {
            told.add("ended " + agentId + " " + callId);
        }

        @Override
        public void heldElsewhere(Predicate<String> h) {
            held.add(h);
        }

        boolean holds(String callId) {
            return held.stream().anyMatch(h -> h.test(callId));
        }
    }

    /** One Asterisk whose channel list the test sets. */
    private static final class FakeSwitch implements Reconciler.Switch {
        volatile List<LiveChannel> channels = List.of();

        @Override
        public boolean isUp() {
            return true;
        }

        @Override
        public CompletableFuture<List<LiveChannel>> channels() {
            return CompletableFuture.completedFuture(channels);
        }
    }

    private final FakeAcd acd = new FakeAcd();
    private final FakeSwitch pbx = new FakeSwitch();
    private final List<CallRecord> submitted = new CopyOnWriteArrayList<>();
    private Instant now = T0.plusSeconds(100);

    private Reconciler reconciler(CallRecord... unfinished) {
        Reconciler r = new Reconciler(null, submitted::add, Map.of("pbx1", pbx), new InstantSource() {
            @Override
            public Instant instant() {
                return now;
            }
        }, Duration.ofSeconds(15)).agents(acd);
        for (CallRecord c : unfinished) {
            r.add(c);
        }
        return r;
    }

    private static CallRecord talking() {
        return started()
                .offer(new Offer("support", "1004", T0.plusSeconds(6), T0.plusSeconds(8), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", T0.plusSeconds(5), T0.plusSeconds(8), "1004", Duration.ZERO,
                        Duration.ZERO, Duration.ZERO))
                .ended(T0.plusSeconds(8), CallOutcome.IN_PROGRESS).build();
    }

    private static CallRecord waitingRecord() {
        return started().visit(QueueVisit.unanswered("support", T0.plusSeconds(5), T0.plusSeconds(5),
                QueueVisit.Result.WAITING)).ended(T0.plusSeconds(5), CallOutcome.IN_PROGRESS).build();
    }

    private static LiveChannel channel(String name, String uniqueId) {
        return new LiveChannel("pbx1", name, uniqueId, CALLER, "Dial");
    }

    private static AmiEvent.ChannelHungUp hangUp(String name, String uniqueId) {
        return new AmiEvent.ChannelHungUp("pbx1", name, uniqueId, CALLER, 16, "Normal Clearing");
    }

    @Test
    void theAgentOfATalkingCallStillUpIsKeptOnCallAndReleasedWhenTheConversationEnds() {
        pbx.channels = List.of(channel("PJSIP/trunk-1", CALLER), channel("PJSIP/1004-2", AGENT_LEG));
        Reconciler r = reconciler(talking());
        r.reconcile(Duration.ofSeconds(1));

        assertThat(acd.told).containsExactly("adopt 1004 " + CALLER + " support " + T0.plusSeconds(8));
        assertThat(acd.holds(CALLER)).as("the ACD's watch leaves the agent on call").isTrue();
        assertThat(submitted).isEmpty();

        now = T0.plusSeconds(128);
        r.onAmiEvent(hangUp("PJSIP/1004-2", AGENT_LEG));   // the agent hangs up first
        assertThat(acd.told).last().isEqualTo("ended 1004 " + CALLER);
        assertThat(acd.holds(CALLER)).isFalse();
        assertThat(submitted).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(c.queueVisits().getLast().talk()).isEqualTo(Duration.ofSeconds(120));
            assertThat(c.endedAt()).isEqualTo(T0.plusSeconds(128));
        });
        r.onAmiEvent(hangUp("PJSIP/trunk-1", CALLER));   // then the caller: nothing more
        assertThat(submitted).hasSize(1);
        assertThat(acd.told).hasSize(2);
        assertThat(r.pending()).isEmpty();
    }

    @Test
    void theWrapUpAfterAnAdoptedCallGoesOnItsRecord() {
        pbx.channels = List.of(channel("PJSIP/trunk-1", CALLER));
        Reconciler r = reconciler(talking());
        r.reconcile(Duration.ofSeconds(1));
        now = T0.plusSeconds(128);
        r.onAmiEvent(hangUp("PJSIP/trunk-1", CALLER));
        r.onAgentChange(new StateChange("1004", new AgentState.OnCall(CALLER),
                new AgentState.WrapUp(Optional.empty()), now, "call ended"));
        r.onAgentChange(new StateChange("1005", new AgentState.WrapUp(Optional.empty()), new AgentState.Ready(),
                now.plusSeconds(3), "agent ended wrap-up"));   // someone else's wrap-up
        assertThat(submitted).hasSize(1);
        r.onAgentChange(new StateChange("1004", new AgentState.WrapUp(Optional.empty()), new AgentState.Ready(),
                now.plusSeconds(25), "agent ended wrap-up"));
        assertThat(submitted).hasSize(2);
        assertThat(submitted.getLast().callId()).isEqualTo(ID);
        assertThat(submitted.getLast().queueVisits().getLast().wrapUp()).isEqualTo(Duration.ofSeconds(25));
        assertThat(submitted.getLast().queueVisits().getLast().talk()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void aWaitingCallEndsWithItsCallersHangUpNotWithThatOfAPhoneThatRangForIt() {
        pbx.channels = List.of(channel("PJSIP/trunk-1", CALLER), channel("PJSIP/1005-3", AGENT_LEG));
        Reconciler r = reconciler(waitingRecord());
        r.reconcile(Duration.ofSeconds(1));
        assertThat(acd.told).as("no agent talks on a waiting call").isEmpty();

        r.onAmiEvent(hangUp("PJSIP/1005-3", AGENT_LEG));   // the ring went unanswered
        assertThat(submitted).isEmpty();
        assertThat(r.pending()).contains(ID);

        now = T0.plusSeconds(40);
        r.onAmiEvent(hangUp("PJSIP/trunk-1", CALLER));
        assertThat(submitted).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(CallOutcome.ABANDONED);
            assertThat(c.hangupBy()).isEqualTo(HangupParty.CALLER);
        });
    }

    @Test
    void aHangUpAmiDidNotReportIsFoundByTheNextListingAndTheAgentReleased() throws Exception {
        pbx.channels = List.of(channel("PJSIP/trunk-1", CALLER));
        Reconciler r = reconciler(talking());
        r.reconcile(Duration.ofSeconds(1));
        r.recheck();
        assertThat(submitted).as("still up").isEmpty();

        pbx.channels = List.of();   // gone while AMI was away
        now = T0.plusSeconds(70);
        r.recheck();
        assertThat(submitted).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(CallOutcome.ANSWERED);
            assertThat(c.queueVisits().getLast().talk()).isEqualTo(Duration.ofSeconds(62));
        });
        assertThat(acd.told).last().isEqualTo("ended 1004 " + CALLER);
    }

    @Test
    void aCallGoneAtStartIsClosedAsEngineFailedAndNoAgentIsTouched() {
        Reconciler r = reconciler(talking());
        r.reconcile(Duration.ofSeconds(1));
        assertThat(submitted).singleElement().extracting(CallRecord::outcome).isEqualTo(CallOutcome.ENGINE_FAILED);
        assertThat(acd.told).isEmpty();
    }

    @Test
    void aFollowedCallTakenBackByResumeReleasesItsAgentHere() {
        pbx.channels = List.of(channel("PJSIP/trunk-1", CALLER));
        Reconciler r = reconciler(talking());
        r.reconcile(Duration.ofSeconds(1));
        assertThat(r.take(ID)).isPresent();
        assertThat(acd.told).last().isEqualTo("ended 1004 " + CALLER);
        r.onAmiEvent(hangUp("PJSIP/trunk-1", CALLER));
        assertThat(submitted).as("the resumed call's own session records it").isEmpty();
    }
}
