package dev.hotline.records.testing;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.Transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Sample records for storage, writer and benchmark tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");

    private Fixtures() {
    }

    /**
     * A call with every field filled: IVR menu, a no-answer offer, an answer, a transfer to another queue answered
     * by a second agent, disposition, notes in Chinese and an emoji (utf8mb4), survey, recording.
     */
    public static CallRecord fullCall(String linkedId, Instant start) {
        Instant q1 = start.plusSeconds(20);
        return CallRecord.builder(new CallId("pbx1", linkedId), start)
                .caller("+8613800138000", "张三 😀")
                .dialled("95598")
                .language("zh")
                .ivr(new IvrStep("main.welcome", start, "", IvrStep.Exit.NEXT))
                .ivr(new IvrStep("main.menu", start.plusSeconds(5), "2", IvrStep.Exit.OPTION))
                .offer(new Offer("support", "1001", q1.plusSeconds(2), q1.plusSeconds(17), Offer.Outcome.NO_ANSWER))
                .offer(new Offer("support", "1002", q1.plusSeconds(17), q1.plusSeconds(21), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", q1, q1.plusSeconds(21), "1002", Duration.ofSeconds(120),
                        Duration.ofSeconds(30), Duration.ofSeconds(15)))
                .transfer(new Transfer(q1.plusSeconds(171), Optional.of("1002"), Transfer.Kind.QUEUE, "billing",
                        false))
                .offer(new Offer("billing", "2001", q1.plusSeconds(175), q1.plusSeconds(180),
                        Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("billing", q1.plusSeconds(171), q1.plusSeconds(180), "2001",
                        Duration.ofSeconds(60), Duration.ZERO, Duration.ofSeconds(10)))
                .disposition("repair", "断电报修 ⚡ street light out")
                .survey(5)
                .hangup(HangupParty.CALLER, 16)
                .recording("2025/03/03/pbx1-" + linkedId + ".wav")
                .ended(q1.plusSeconds(240), CallOutcome.ANSWERED)
                .build();
    }

    /** A small call: IVR then abandoned in the queue after {@code waitSeconds}. */
    public static CallRecord abandoned(String linkedId, Instant start, String queue, long waitSeconds) {
        Instant q = start.plusSeconds(10);
        return CallRecord.builder(new CallId("pbx1", linkedId), start)
                .caller("5551234", "")
                .dialled("100")
                .ivr(new IvrStep("main.menu", start, "1", IvrStep.Exit.OPTION))
                .visit(QueueVisit.unanswered(queue, q, q.plusSeconds(waitSeconds), QueueVisit.Result.ABANDONED))
                .hangup(HangupParty.CALLER, 16)
                .ended(q.plusSeconds(waitSeconds), CallOutcome.ABANDONED)
                .build();
    }

    public static AgentStateChange change(String agent, AgentPhase from, AgentPhase to, Instant at) {
        return new AgentStateChange(UUID.randomUUID(), agent, "team-a", from, to, "", at, Optional.empty());
    }
}
