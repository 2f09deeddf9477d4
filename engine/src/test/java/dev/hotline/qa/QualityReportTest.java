package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.hotline.qa.QaFixtures.evaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The monthly report against figures worked out by hand. The form: Opening = greet (1) + verify (1, critical),
 * Resolution = solved (2, 1–5).
 */
class QualityReportTest {

    static final Instant NOV = Instant.parse("2026-11-10T10:00:00Z");
    static final Instant OCT = Instant.parse("2026-10-10T10:00:00Z");

    /**
     * <pre>
     * e1 1001 Nov  yes yes 5   Opening 100  Resolution 100  score 100   acknowledged
     * e2 1001 Nov  no  yes 3   Opening  50  Resolution  50  score  50
     * e3 1002 Nov  yes no  4   Opening  50  Resolution  75  raw 62.5, critical: score 0
     * e4 1004 Nov  yes yes na  Opening 100  —               score 100   disputed
     * e5 1001 Oct  yes yes 1   Opening 100  Resolution   0  score  50
     * e6 1001 Nov  calibration by sam (left out of every figure but "calibrations")
     * e7 1001 Dec  (after the month: ignored)
     * </pre>
     */
    static QualityReport report() {
        Evaluation e1 = evaluation("e1", "1001", NOV, "yes", "yes", "5").acknowledge("", NOV);
        Evaluation e2 = evaluation("e2", "1001", NOV.plusSeconds(60), "no", "yes", "3");
        Evaluation e3 = evaluation("e3", "1002", NOV, "yes", "no", "4");
        Evaluation e4 = evaluation("e4", "1004", NOV, "yes", "yes", "na").dispute("I did verify", NOV);
        Evaluation e5 = evaluation("e5", "1001", OCT, "yes", "yes", "1");
        Evaluation e6 = Evaluation.submit("e6", "call-e1", "1001", NOV, QaFixtures.form(), "sam", true,
                QaFixtures.answers("no", "no", "1"), "", NOV);
        Evaluation e7 = evaluation("e7", "1001", Instant.parse("2026-12-01T00:00:00Z"), "no", "no", "1");
        return QualityReport.of(YearMonth.of(2026, 11), 6,
                Map.of("1001", Set.of("team-a"), "1002", Set.of("team-a"), "1004", Set.of("team-b")),
                Map.of("1001", SamplingPlan.DEFAULT, "1002", SamplingPlan.DEFAULT,
                        "1004", SamplingPlan.of(2, 5, "", Optional.empty())),
                List.of(e1, e2, e3, e4, e5, e6, e7), ZoneOffset.UTC);
    }

    @Test
    void perAgent() {
        QualityReport r = report();
        assertThat(r.sections()).containsExactly("Opening", "Resolution");
        assertThat(r.agents()).extracting(QualityReport.Row::key).containsExactly("1001", "1002", "1004");
        QualityReport.Row a = r.agents().get(0);
        assertThat(a.done()).isEqualTo(2);
        assertThat(a.planned()).isEqualTo(1);
        assertThat(a.averageScore().getAsDouble()).isCloseTo(75.0, within(1e-9));
        assertThat(a.sectionAverages().get("Opening")).isCloseTo(75.0, within(1e-9));
        assertThat(a.sectionAverages().get("Resolution")).isCloseTo(75.0, within(1e-9));
        assertThat(a.acknowledged()).isEqualTo(1);
        assertThat(a.calibrations()).isEqualTo(1);
        assertThat(a.criticalFailures()).isZero();
        assertThat(a.trend()).containsExactly(Map.entry(YearMonth.of(2026, 10), 50.0),
                Map.entry(YearMonth.of(2026, 11), 75.0));

        QualityReport.Row b = r.agents().get(1);
        assertThat(b.averageScore().getAsDouble()).isZero();
        assertThat(b.criticalFailures()).isEqualTo(1);
        assertThat(b.sectionAverages()).containsExactly(Map.entry("Opening", 50.0), Map.entry("Resolution", 75.0));

        QualityReport.Row d = r.agents().get(2);
        assertThat(d.planned()).isEqualTo(2);
        assertThat(d.averageScore().getAsDouble()).isEqualTo(100.0);
        assertThat(d.sectionAverages()).containsOnlyKeys("Opening");
        assertThat(d.disputes()).isEqualTo(1);
        assertThat(d.openDisputes()).isEqualTo(1);
    }

    @Test
    void perTeamAndInTotal() {
        QualityReport r = report();
        assertThat(r.teams()).extracting(QualityReport.Row::key).containsExactly("team-a", "team-b");
        QualityReport.Row a = r.teams().get(0);
        assertThat(a.agents()).isEqualTo(2);
        assertThat(a.planned()).isEqualTo(2);
        assertThat(a.done()).isEqualTo(3);
        // (100 + 50 + 0) / 3; Opening (100 + 50 + 50) / 3; Resolution (100 + 50 + 75) / 3
        assertThat(a.averageScore().getAsDouble()).isCloseTo(50.0, within(1e-9));
        assertThat(a.sectionAverages().get("Opening")).isCloseTo(200.0 / 3, within(1e-9));
        assertThat(a.sectionAverages().get("Resolution")).isCloseTo(75.0, within(1e-9));
        assertThat(a.criticalFailures()).isEqualTo(1);
        assertThat(a.trend()).containsExactly(Map.entry(YearMonth.of(2026, 10), 50.0),
                Map.entry(YearMonth.of(2026, 11), 50.0));

        QualityReport.Row all = r.total();
        assertThat(all.key()).isEqualTo("*");
        assertThat(all.planned()).isEqualTo(4);
        assertThat(all.done()).isEqualTo(4);
        // (100 + 50 + 0 + 100) / 4; Opening (100 + 50 + 50 + 100) / 4; Resolution (100 + 50 + 75) / 3
        assertThat(all.averageScore().getAsDouble()).isCloseTo(62.5, within(1e-9));
        assertThat(all.sectionAverages().get("Opening")).isCloseTo(75.0, within(1e-9));
        assertThat(all.sectionAverages().get("Resolution")).isCloseTo(75.0, within(1e-9));
        assertThat(all.disputes()).isEqualTo(1);
        assertThat(all.calibrations()).isEqualTo(1);
        assertThat(r.trendMonths()).hasSize(6).first().isEqualTo(YearMonth.of(2026, 6));
    }

    @Test
    void theCsvHasALinePerAgentTeamAndTheTotal() {
        String[] lines = report().csv().split("\r\n");
        assertThat(lines[0]).isEqualTo("level,id,teams,agents,planned,done,average_score,critical_failures,disputes,"
                + "open_disputes,acknowledged,calibrations,section: Opening,section: Resolution,average 2026-06,"
                + "average 2026-07,average 2026-08,average 2026-09,average 2026-10,average 2026-11");
        assertThat(lines[1]).isEqualTo("agent,1001,team-a,1,1,2,75.0,0,0,0,1,1,75.0,75.0,,,,,50.0,75.0");
        assertThat(lines[4]).isEqualTo("team,team-a,team-a,2,2,3,50.0,1,0,0,1,1,66.7,75.0,,,,,50.0,50.0");
        assertThat(lines[6]).isEqualTo("all,*,team-a team-b,3,4,4,62.5,1,1,1,1,1,75.0,75.0,,,,,50.0,62.5");
        assertThat(lines).hasSize(7);
    }
}
