package dev.hotline.records.staffing;

import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.report.Grouping;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaffingPlannerTest {

    static final Instant MONDAY = Instant.parse("2025-03-31T00:00:00Z");

    final StaffingPlanner planner = new StaffingPlanner(new StaffingPlanner.Settings(0.8, Duration.ofSeconds(20),
            0.3, 4, Duration.ofMinutes(3)), ZoneOffset.UTC, new AbandonmentSimulator(1, 20_000));

    /** Four past Mondays with 100 support calls each between 09:00 and 09:30, 3 minutes each, one abandon. */
    static List<CallRecord> history() {
        List<CallRecord> out = new ArrayList<>();
        for (int week = 1; week <= 4; week++) {
            Instant nine = MONDAY.minus(Duration.ofDays(7L * week)).plus(Duration.ofHours(9));
            for (int i = 0; i < 100; i++) {
                Instant enq = nine.plusSeconds(i * 18L);
                QueueVisit v = i == 0
                        ? QueueVisit.unanswered("support", enq, enq.plusSeconds(40), QueueVisit.Result.ABANDONED)
                        : QueueVisit.answered("support", enq, enq.plusSeconds(10), "a" + i, Duration.ofSeconds(170),
                                Duration.ZERO, Duration.ofSeconds(10));
                out.add(CallRecord.builder(new CallId("pbx1", "w" + week + "." + i), enq).visit(v)
                        .ended(enq.plusSeconds(200), i == 0 ? CallOutcome.ABANDONED : CallOutcome.ANSWERED).build());
            }
        }
        return out;
    }

    @Test
    void forecastsEachSlotFromTheSameSlotInPastWeeksAndStaffsItByErlangC() {
        List<StaffingPlanner.Row> rows = planner.plan(history(), "support", MONDAY.plus(Duration.ofHours(9)),
                MONDAY.plus(Duration.ofHours(10)), Grouping.M30);

        assertThat(rows).hasSize(2);
        StaffingPlanner.Row nine = rows.getFirst();
        assertThat(nine.forecastCalls()).isEqualTo(100.0);
        assertThat(nine.aht()).isEqualTo(Duration.ofMinutes(3));
        assertThat(nine.erlangs()).isEqualTo(10.0);
        assertThat(nine.erlangCAgents()).isEqualTo(14);
        assertThat(nine.scheduledErlangC()).isEqualTo(20); // 14 / 0.7
        assertThat(nine.erlangAAgents()).isBetween(1, 14);
        assertThat(rows.get(1).forecastCalls()).isZero();
        assertThat(rows.get(1).erlangCAgents()).isZero();
    }

    @Test
    void patienceIsTotalWaitOverAbandons() {
        // Per week: 99 answered after 10 s, one abandon after 40 s: (4 × (990 + 40)) s / 4 abandons.
        assertThat(StaffingPlanner.patience(history(), "support")).contains(Duration.ofSeconds(1030));
        assertThat(StaffingPlanner.patience(history(), "billing")).isEmpty();
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertThatThrownBy(() -> new StaffingPlanner.Settings(0.8, Duration.ofSeconds(20), 1.0, 4,
                Duration.ofMinutes(3))).hasMessage("shrinkage: 1.0 (expected: 0 <= shrinkage < 1)");
        assertThatThrownBy(() -> planner.plan(List.of(), "support", MONDAY, MONDAY.plusSeconds(60), Grouping.DAY))
                .hasMessage("interval: day (expected: 15m, 30m or 60m)");
    }
}
