package dev.hotline.records.report;

import dev.hotline.records.model.AgentPhase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.hotline.records.report.ScriptedDay.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KpiCalculatorTest {

    static final QueueTargets SUPPORT = new QueueTargets(Duration.ofSeconds(20), Duration.ofSeconds(5));
    static final QueueTargets BILLING = new QueueTargets(Duration.ofSeconds(30), Duration.ofSeconds(5));

    final KpiCalculator calc = new KpiCalculator(ZoneOffset.UTC, q -> q.equals("billing") ? BILLING : SUPPORT);

    static QueueKpis row(List<QueueKpis> rows, String start, String queue) {
        return rows.stream().filter(r -> r.intervalStart().equals(at(start)) && r.queue().equals(queue))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + start + " " + queue + " in " + rows));
    }

    @Test
    void queueFiguresForTheFirstHalfHourMatchTheHandComputation() {
        List<QueueKpis> rows = calc.queues(ScriptedDay.calls(), at("09:00:00"), at("10:00:00"), Grouping.M30,
                Optional.empty());
        QueueKpis k = row(rows, "09:00:00", "support");

        assertThat(k.offered()).isEqualTo(6);
        assertThat(k.answered()).isEqualTo(4);
        // c3 waited exactly the 5 s threshold: a counted abandon; c4 (4.999 s) is short.
        assertThat(k.abandoned()).isEqualTo(2);
        assertThat(k.shortAbandoned()).isEqualTo(1);
        // c1 (10 s), c2 (exactly 20 s) and c5 (20 s, answered in the next interval) are within; c6 (21 s) is not.
        assertThat(k.answeredWithinSl()).isEqualTo(3);
        assertThat(k.serviceLevel().getAsDouble()).isEqualTo(3.0 / 6);
        assertThat(k.serviceLevelExcludingShortAbandons().getAsDouble()).isEqualTo(3.0 / 5);
        assertThat(k.asa()).isEqualTo(Duration.ofMillis(17_750));
        assertThat(k.averageWait()).isEqualTo(Duration.ofMillis(13_500));
        assertThat(k.longestWait()).isEqualTo(Duration.ofSeconds(21));
        assertThat(k.aht()).isEqualTo(Duration.ofSeconds(120));
        assertThat(k.averageWrapUp()).isEqualTo(Duration.ofSeconds(15));
        assertThat(k.abandonRate().getAsDouble()).isEqualTo(1.0 / 5);
        assertThat(k.transfers()).isEqualTo(1);
        assertThat(k.csatResponses()).isEqualTo(2);
        assertThat(k.csatShare().getAsDouble()).isEqualTo(0.5);
        assertThat(k.csatAverage().getAsDouble()).isEqualTo(4.0);
        assertThat(k.dispositions()).isEqualTo(Map.of("inquiry", 1L, "repair", 1L));
        assertThat(k.ivrContained()).isZero();
    }

    @Test
    void theTransferredPartCountsInTheOtherQueueAndTheAllRowAddsIvrContainedCalls() {
        List<QueueKpis> rows = calc.queues(ScriptedDay.calls(), at("09:00:00"), at("10:00:00"), Grouping.M30,
                Optional.empty());

        QueueKpis billing = row(rows, "09:30:00", "billing");
        assertThat(billing.offered()).isEqualTo(1);
        assertThat(billing.answeredWithinSl()).isEqualTo(1);
        assertThat(billing.dispositions()).isEqualTo(Map.of("complaint", 1L));
        assertThat(billing.csatShare().getAsDouble()).isEqualTo(1.0);

        QueueKpis late = row(rows, "09:30:00", "support");
        assertThat(late.offered()).isEqualTo(1);
        assertThat(late.timeouts()).isEqualTo(1);
        assertThat(late.serviceLevel().getAsDouble()).isZero();
        assertThat(late.asa()).isEqualTo(Duration.ZERO);
        assertThat(late.csatShare()).isEmpty();

        QueueKpis all = row(rows, "09:00:00", QueueKpis.ALL);
        assertThat(all.offered()).isEqualTo(6);
        assertThat(all.ivrContained()).isEqualTo(1);
        QueueKpis allLate = row(rows, "09:30:00", QueueKpis.ALL);
        assertThat(allLate.offered()).isEqualTo(2);
        assertThat(allLate.answered()).isEqualTo(1);
        assertThat(allLate.longestWait()).isEqualTo(Duration.ofSeconds(180));
        assertThat(rows).hasSize(5);
    }

    @Test
    void aDayRowAddsUpTheHalfHoursAndOneQueueCanBeSelected() {
        List<QueueKpis> rows = calc.queues(ScriptedDay.calls(), ScriptedDay.DAY, ScriptedDay.DAY.plus(
                Duration.ofDays(1)), Grouping.DAY, Optional.of("support"));

        assertThat(rows).singleElement().satisfies(k -> {
            assertThat(k.queue()).isEqualTo("support");
            assertThat(k.offered()).isEqualTo(7);
            assertThat(k.answeredWithinSl()).isEqualTo(3);
            assertThat(k.serviceLevelExcludingShortAbandons().getAsDouble()).isEqualTo(3.0 / 6);
        });
    }

    @Test
    void agentStateTimesAreClippedToIntervalsAndOccupancyFollowsFromThem() {
        List<AgentKpis> rows = calc.agents(ScriptedDay.calls(), ScriptedDay.changes(), at("09:00:00"),
                at("10:30:00"), at("10:30:00"), Grouping.M30, Optional.empty(), false);
        AgentKpis first = rows.stream().filter(r -> r.agentId().equals("a1")
                && r.intervalStart().equals(at("09:00:00"))).findFirst().orElseThrow();

        // Ready 09:00:00-09:00:10 (state begun 08:55, clipped) + 09:02:40-09:10:00.
        assertThat(first.readyMs()).isEqualTo(450_000);
        assertThat(first.onCallMs()).isEqualTo(120_000);
        assertThat(first.wrapUpMs()).isEqualTo(30_000);
        assertThat(first.notReadyMs()).isEqualTo(Map.of("lunch", 1_200_000L));
        assertThat(first.loggedInMs()).isEqualTo(1_800_000);
        assertThat(first.occupancy().getAsDouble()).isEqualTo(150.0 / 600);
        assertThat(first.handled()).isEqualTo(1);
        assertThat(first.aht()).isEqualTo(Duration.ofSeconds(150));
        assertThat(first.noAnswers()).isEqualTo(1);
        assertThat(first.firstLogin()).isEmpty();
        assertThat(first.team()).isEqualTo("north");

        AgentKpis second = rows.stream().filter(r -> r.agentId().equals("a1")
                && r.intervalStart().equals(at("09:30:00"))).findFirst().orElseThrow();
        assertThat(second.notReadyMs()).isEqualTo(Map.of("lunch", 600_000L));
        assertThat(second.readyMs()).isEqualTo(1_200_000);
        assertThat(second.handled()).isEqualTo(1);

        AgentKpis third = rows.stream().filter(r -> r.agentId().equals("a1")
                && r.intervalStart().equals(at("10:00:00"))).findFirst().orElseThrow();
        assertThat(third.lastLogout()).contains(at("10:00:00"));
        assertThat(third.loggedInMs()).isZero();
    }

    @Test
    void theCurrentStateRunsUntilNowNotUntilTheEndOfTheRange() {
        List<AgentKpis> rows = calc.agents(List.of(), ScriptedDay.changes(), ScriptedDay.DAY,
                ScriptedDay.DAY.plus(Duration.ofDays(1)), at("09:13:00"), Grouping.DAY, Optional.of("north"), false);
        AgentKpis a2 = rows.stream().filter(r -> r.agentId().equals("a2")).findFirst().orElseThrow();

        assertThat(a2.readyMs()).isEqualTo(600_000);
        assertThat(a2.firstLogin()).contains(at("09:03:00"));
        assertThat(rows).filteredOn(r -> r.agentId().equals("a1")).singleElement()
                .satisfies(a1 -> assertThat(a1.firstLogin()).contains(at("08:55:00")));
    }

    @Test
    void transitionsOfOneMillisecondFollowTheirSequenceNotTheirListOrder() {
        java.time.Instant t = at("09:00:00");
        var login = dev.hotline.records.model.AgentStateChange.of("a9", "north",
                AgentPhase.LOGGED_OUT, AgentPhase.NOT_READY,
                "login", t);
        var ready = dev.hotline.records.model.AgentStateChange.of("a9", "north",
                AgentPhase.NOT_READY, AgentPhase.READY, "", t);

        // The database may hand them back in any order within the millisecond.
        List<AgentKpis> rows = calc.agents(List.of(), List.of(ready, login), at("09:00:00"), at("10:00:00"),
                at("10:00:00"), Grouping.M60, Optional.empty(), false);

        AgentKpis a9 = rows.getFirst();
        assertThat(a9.readyMs()).isEqualTo(3_600_000);
        assertThat(a9.notReadyTotalMs()).isZero();
    }

    @Test
    void teamRowsSumTheirAgents() {
        List<AgentKpis> rows = calc.agents(ScriptedDay.calls(), ScriptedDay.changes(), ScriptedDay.DAY,
                ScriptedDay.DAY.plus(Duration.ofDays(1)), at("12:00:00"), Grouping.DAY, Optional.empty(), true);

        // b1 has no transitions, so no team: a row of its own.
        assertThat(rows).extracting(AgentKpis::team).containsExactly("", "north");
        AgentKpis north = rows.get(1);
        assertThat(north.agentId()).isEqualTo("*");
        assertThat(north.handled()).isEqualTo(4);
        assertThat(north.handleMs()).isEqualTo(150_000 + 210_000 + 60_000 + 60_000);
        assertThat(north.firstLogin()).contains(at("08:55:00"));
        assertThat(north.lastLogout()).contains(at("10:00:00"));
        // a2 ready 09:03-12:00 (10 620 s) + a1: 08:55:00-09:00:10, 09:02:40-09:10, 09:40-10:00
        assertThat(north.readyMs()).isEqualTo(10_620_000L + 310_000 + 440_000 + 1_200_000);
    }

    @Test
    void ivrNodesCountVisitsOptionsAndDropOuts() {
        List<IvrNodeKpis> rows = calc.ivrNodes(ScriptedDay.calls(), at("09:00:00"), at("10:00:00"), Grouping.M60);

        assertThat(rows).extracting(IvrNodeKpis::node).containsExactly("info.hours", "main.menu");
        IvrNodeKpis menu = rows.get(1);
        assertThat(menu.visits()).isEqualTo(3);
        assertThat(menu.options()).isEqualTo(Map.of("2", 1L, "9", 1L));
        assertThat(menu.dropOuts()).isEqualTo(1);
        assertThat(rows.getFirst().visits()).isEqualTo(1);
    }

    @Test
    void intervalsAlignInTheReportTimeZone() {
        java.time.ZoneId shanghai = java.time.ZoneId.of("Asia/Shanghai");
        assertThat(Grouping.DAY.start(at("17:00:00"), shanghai)).isEqualTo(at("16:00:00"));
        assertThat(Grouping.WEEK.start(at("12:00:00"), ZoneOffset.UTC)).isEqualTo(at("00:00:00"));
        assertThat(Grouping.QUARTER.start(at("12:00:00"), ZoneOffset.UTC))
                .isEqualTo(java.time.Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(Grouping.M15.start(at("09:44:59"), ZoneOffset.UTC)).isEqualTo(at("09:30:00"));
        assertThat(Grouping.parse("30m")).isEqualTo(Grouping.M30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Grouping.parse("fortnight"))
                .hasMessageContaining("interval: 'fortnight' (expected one of: 15m, 30m, 60m, day");
        assertThat(Grouping.MONTH.next(java.time.Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(java.time.Instant.parse("2025-02-01T00:00:00Z"));
        assertThat(0.1 + 0.2).isCloseTo(0.3, within(1e-9));
    }

    @Test
    void callsAnEngineFailureLostAreCountedWhereverTheyWere() {
        var id = new dev.hotline.records.model.CallId("pbx1", "9.1");
        var inIvr = dev.hotline.records.model.CallRecord.builder(id, at("09:01:00"))
                .ended(at("09:01:05"), dev.hotline.records.model.CallOutcome.ENGINE_FAILED).build();
        var waiting = dev.hotline.records.model.CallRecord.builder(new dev.hotline.records.model.CallId("pbx1", "9.2"),
                        at("09:02:00"))
                .visit(dev.hotline.records.model.QueueVisit.unanswered("support", at("09:02:10"), at("09:02:40"),
                        dev.hotline.records.model.QueueVisit.Result.ENGINE_FAILED))
                .ended(at("09:02:40"), dev.hotline.records.model.CallOutcome.ENGINE_FAILED).build();
        List<QueueKpis> rows = calc.queues(List.of(inIvr, waiting), at("09:00:00"), at("10:00:00"), Grouping.M30,
                Optional.empty());
        QueueKpis support = row(rows, "09:00:00", "support");
        assertThat(support.offered()).isEqualTo(1);
        assertThat(support.engineFailed()).isEqualTo(1);
        assertThat(support.abandoned()).isZero();
        assertThat(row(rows, "09:00:00", QueueKpis.ALL).engineFailed()).isEqualTo(2);
        assertThat(ReportTable.ofQueues(rows, ZoneOffset.UTC).columns()).contains("engine_failed");
    }

    @Test
    void callsStillInProgressCountAsOfferedAndAnsweredButNotInHandleTimeUntilTheyEnd() {
        var finished = dev.hotline.records.model.CallRecord.builder(new dev.hotline.records.model.CallId("pbx1", "8.1"),
                        at("09:01:00"))
                .visit(dev.hotline.records.model.QueueVisit.answered("support", at("09:01:10"), at("09:01:20"), "a1",
                        Duration.ofSeconds(100), Duration.ZERO, Duration.ofSeconds(20)))
                .ended(at("09:03:20"), dev.hotline.records.model.CallOutcome.ANSWERED).build();
        var talking = dev.hotline.records.model.CallRecord.builder(new dev.hotline.records.model.CallId("pbx1", "8.2"),
                        at("09:02:00"))
                .visit(dev.hotline.records.model.QueueVisit.answered("support", at("09:02:10"), at("09:02:15"), "a1",
                        Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .ended(at("09:02:15"), dev.hotline.records.model.CallOutcome.IN_PROGRESS).build();
        var waiting = dev.hotline.records.model.CallRecord.builder(new dev.hotline.records.model.CallId("pbx1", "8.3"),
                        at("09:04:00"))
                .visit(dev.hotline.records.model.QueueVisit.unanswered("support", at("09:04:10"), at("09:04:10"),
                        dev.hotline.records.model.QueueVisit.Result.WAITING))
                .ended(at("09:04:10"), dev.hotline.records.model.CallOutcome.IN_PROGRESS).build();
        QueueKpis support = row(calc.queues(List.of(finished, talking, waiting), at("09:00:00"), at("10:00:00"),
                Grouping.M30, Optional.empty()), "09:00:00", "support");
        assertThat(support.offered()).isEqualTo(3);
        assertThat(support.answered()).isEqualTo(2);
        assertThat(support.abandoned()).isZero();
        assertThat(support.inProgress()).isEqualTo(2);
        assertThat(support.answeredWithinSl()).as("the talking call was answered within the service level")
                .isEqualTo(2);
        assertThat(support.aht()).as("over the finished call only").isEqualTo(Duration.ofSeconds(120));
        assertThat(support.averageWrapUp()).isEqualTo(Duration.ofSeconds(20));
        assertThat(ReportTable.ofQueues(List.of(support), ZoneOffset.UTC).columns()).contains("in_progress");

        AgentKpis a1 = calc.agents(List.of(finished, talking, waiting), List.of(), at("09:00:00"), at("10:00:00"),
                at("10:00:00"), Grouping.M30, Optional.empty(), false).stream()
                .filter(r -> r.agentId().equals("a1")).findFirst().orElseThrow();
        assertThat(a1.handled()).isEqualTo(2);
        assertThat(a1.inProgress()).isEqualTo(1);
        assertThat(a1.aht()).isEqualTo(Duration.ofSeconds(120));
    }
}
