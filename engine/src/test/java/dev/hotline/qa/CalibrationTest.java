package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibrationTest {

    static final Instant T = QaFixtures.T0;

    private static Evaluation by(String id, String evaluator, boolean calibration, String g, String v, String s) {
        return Evaluation.submit(id, "call-1", "1001", T, QaFixtures.form(), evaluator, calibration,
                QaFixtures.answers(g, v, s), "", T);
    }

    @Test
    void theComparisonShowsWhereQaAndTheTeamLeadDiffer() {
        Evaluation qa = by("e1", "quinn", false, "yes", "yes", "4");   // (1 + 1 + 2·¾) / 4 = 87.5
        Evaluation lead = by("e2", "sam", true, "yes", "no", "3");     // critical "no": 0 (raw 50)
        Calibration.Comparison c = Calibration.compare(QaFixtures.form(), List.of(qa, lead));
        assertThat(c.rows()).extracting(Calibration.Row::questionId).containsExactly("greet", "verify", "solved");
        assertThat(c.rows()).extracting(Calibration.Row::differs).containsExactly(false, true, true);
        assertThat(c.rows().get(1).answers()).containsExactly(Map.entry("quinn", "yes"),
                Map.entry("sam", "no"));
        assertThat(c.rows().get(1).critical()).isTrue();
        assertThat(c.differing()).isEqualTo(2);
        assertThat(c.scores()).containsOnlyKeys("quinn", "sam");
        assertThat(c.spread()).isCloseTo(87.5, within(1e-9));
    }

    @Test
    void onlyEvaluationsOfOneCallOnOneFormVersionCompare() {
        Evaluation qa = by("e1", "quinn", false, "yes", "yes", "4");
        assertThatThrownBy(() -> Calibration.compare(QaFixtures.form(), List.of(qa)))
                .hasMessage("calibration needs at least two evaluations of the call (got 1)");
        Form v2 = new Form("standard", 2, "x", QaFixtures.form().sections(), T, "root");
        assertThatThrownBy(() -> Calibration.compare(v2, List.of(qa, by("e2", "sam", true, "yes", "yes", "4"))))
                .hasMessage("evaluation e1 was scored on standard v1, not standard v2");
    }

    @Test
    void someoneWhoScoredTwiceIsToldApart() {
        Calibration.Comparison c = Calibration.compare(QaFixtures.form(), List.of(by("e1", "quinn", false, "yes",
                "yes", "4"), by("e2", "quinn", true, "yes", "yes", "4")));
        assertThat(c.scores()).containsOnlyKeys("quinn (e1)", "quinn (e2)");
        assertThat(c.differing()).isZero();
    }
}
