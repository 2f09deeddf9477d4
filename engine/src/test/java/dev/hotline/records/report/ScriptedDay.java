package dev.hotline.records.report;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.Transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The scripted morning the KPI tests compute by hand (all times UTC, 2025-03-03). Queue support: service level
 * 20 s, short abandon 5 s; billing: 30 s, 5 s.
 *
 * <pre>
 * c1 support  enq 09:00:00 answered +10s by a1  talk 100 hold 20 wrap 30  survey 5 inquiry
 * c2 support  enq 09:05:00 a1 rings 09:05:02-17 (no answer); answered +20s (= SL time) by a2 talk 200 wrap 10,
 *             survey 3, repair
 * c3 support  enq 09:10:00 abandoned +5s (= short threshold: not short)
 * c4 support  enq 09:12:00 abandoned +4.999s (short)
 * c5 support  enq 09:29:50 answered 09:30:10 (+20s, spans two intervals) by a1 talk 60; a1 transfers at 09:31:10
 *    billing  enq 09:31:10 answered +30s by b1 talk 50 wrap 10, survey 4, complaint
 * c6 support  enq 09:20:00 answered +21s by a2 talk 40 wrap 20
 * c7          IVR only, 09:15:00 main.menu "9" then info.hours; IVR_COMPLETED
 * c8 support  enq 09:40:00 timeout +180s
 * c9          09:16:00 main.menu hang-up (drop-out)
 * </pre>
 */
final class ScriptedDay {

    static final Instant DAY = Instant.parse("2025-03-03T00:00:00Z");

    private ScriptedDay() {
    }

    static Instant at(String hhmmss) {
        return Instant.parse("2025-03-03T" + hhmmss + "Z");
    }

    static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static CallRecord.Builder call(String id, Instant start) {
        return CallRecord.builder(new CallId("pbx1", id), start).caller("555" + id, "").dialled("100");
    }

    static List<CallRecord> calls() {
        List<CallRecord> out = new ArrayList<>();
        out.add(call("c1", at("08:59:40"))
                .ivr(new IvrStep("main.menu", at("08:59:40"), "1", IvrStep.Exit.OPTION))
                .offer(new Offer("support", "a1", at("09:00:00"), at("09:00:10"), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", at("09:00:00"), at("09:00:10"), "a1", s(100), s(20), s(30)))
                .disposition("inquiry", "").survey(5).ended(at("09:02:10"), CallOutcome.ANSWERED).build());
        out.add(call("c2", at("09:04:50"))
                .offer(new Offer("support", "a1", at("09:05:02"), at("09:05:17"), Offer.Outcome.NO_ANSWER))
                .offer(new Offer("support", "a2", at("09:05:17"), at("09:05:20"), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", at("09:05:00"), at("09:05:20"), "a2", s(200), s(0), s(10)))
                .disposition("repair", "").survey(3).ended(at("09:08:40"), CallOutcome.ANSWERED).build());
        out.add(call("c3", at("09:09:50"))
                .ivr(new IvrStep("main.menu", at("09:09:50"), "2", IvrStep.Exit.OPTION))
                .visit(QueueVisit.unanswered("support", at("09:10:00"), at("09:10:05"), QueueVisit.Result.ABANDONED))
                .ended(at("09:10:05"), CallOutcome.ABANDONED).build());
        out.add(call("c4", at("09:11:50"))
                .visit(QueueVisit.unanswered("support", at("09:12:00"), at("09:12:00").plus(s(4.999)),
                        QueueVisit.Result.ABANDONED))
                .ended(at("09:12:05"), CallOutcome.SHORT_ABANDONED).build());
        out.add(call("c5", at("09:29:40"))
                .visit(QueueVisit.answered("support", at("09:29:50"), at("09:30:10"), "a1", s(60), s(0), s(0)))
                .transfer(new Transfer(at("09:31:10"), Optional.of("a1"), Transfer.Kind.QUEUE, "billing", false))
                .visit(QueueVisit.answered("billing", at("09:31:10"), at("09:31:40"), "b1", s(50), s(0), s(10)))
                .disposition("complaint", "").survey(4).ended(at("09:32:30"), CallOutcome.ANSWERED).build());
        out.add(call("c6", at("09:19:50"))
                .visit(QueueVisit.answered("support", at("09:20:00"), at("09:20:21"), "a2", s(40), s(0), s(20)))
                .ended(at("09:21:01"), CallOutcome.ANSWERED).build());
        out.add(call("c7", at("09:15:00"))
                .ivr(new IvrStep("main.menu", at("09:15:00"), "9", IvrStep.Exit.OPTION))
                .ivr(new IvrStep("info.hours", at("09:15:03"), "", IvrStep.Exit.NEXT))
                .ended(at("09:15:30"), CallOutcome.IVR_COMPLETED).build());
        out.add(call("c8", at("09:39:50"))
                .visit(QueueVisit.unanswered("support", at("09:40:00"), at("09:43:00"), QueueVisit.Result.TIMEOUT))
                .ended(at("09:43:10"), CallOutcome.TIMEOUT).build());
        out.add(call("c9", at("09:16:00"))
                .ivr(new IvrStep("main.menu", at("09:16:00"), "", IvrStep.Exit.HANGUP))
                .ended(at("09:16:07"), CallOutcome.ABANDONED).build());
        return out;
    }

    static AgentStateChange change(String agent, String team, AgentPhase from, AgentPhase to, String reason,
                                   String hhmmss) {
        return new AgentStateChange(UUID.nameUUIDFromBytes((agent + hhmmss).getBytes()), agent, team, from, to,
                reason, at(hhmmss), Optional.empty());
    }

    /** Agent a1 (team north) through the morning; a2 (north) logged in all along. */
    static List<AgentStateChange> changes() {
        return List.of(
                change("a1", "north", AgentPhase.LOGGED_OUT, AgentPhase.READY, "", "08:55:00"),
                change("a1", "north", AgentPhase.READY, AgentPhase.ON_CALL, "", "09:00:10"),
                change("a1", "north", AgentPhase.ON_CALL, AgentPhase.WRAP_UP, "", "09:02:10"),
                change("a1", "north", AgentPhase.WRAP_UP, AgentPhase.READY, "", "09:02:40"),
                change("a1", "north", AgentPhase.READY, AgentPhase.NOT_READY, "lunch", "09:10:00"),
                change("a1", "north", AgentPhase.NOT_READY, AgentPhase.READY, "", "09:40:00"),
                change("a1", "north", AgentPhase.READY, AgentPhase.LOGGED_OUT, "end of shift", "10:00:00"),
                change("a2", "north", AgentPhase.LOGGED_OUT, AgentPhase.READY, "", "09:03:00"));
    }
}
