package dev.hotline.handoff;

import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How an unfinished record is closed: the pure part of {@link Reconciler}. */
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
}
