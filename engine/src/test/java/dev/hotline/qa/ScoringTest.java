package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScoringTest {

    static final Form WEIGHTED = new Form("w", 1, "Weighted", List.of(
            new Form.Section("A", List.of(new Form.Question("q1", "one", Scale.YES_NO, 2, false),
                    new Form.Question("q2", "two", Scale.YES_NO, 3, false))),
            new Form.Section("B", List.of(new Form.Question("q3", "three", Scale.ONE_TO_FIVE, 5, false),
                    new Form.Question("q4", "four", Scale.ONE_TO_FIVE, 4, false)))),
            Instant.EPOCH, "root");

    @Test
    void theScoreIsEarnedWeightOverApplicableWeight() {
        // (2·1 + 3·0 + 5·¾) / (2 + 3 + 5) = 5.75 / 10; q4 is N/A and drops out with its weight.
        Score s = Scoring.score(WEIGHTED, List.of(new Answer("q1", "yes"), new Answer("q2", "no"),
                new Answer("q3", "4"), new Answer("q4", "na")));
        assertThat(s.percent()).isCloseTo(57.5, within(1e-9));
        assertThat(s.raw()).isCloseTo(57.5, within(1e-9));
        assertThat(s.criticalFailed()).isFalse();
        // A: 2 of 5 = 40 %; B: 5·¾ of 5 = 75 %.
        assertThat(s.sections()).containsOnlyKeys("A", "B");
        assertThat(s.sections().get("A")).isCloseTo(40.0, within(1e-9));
        assertThat(s.sections().get("B")).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void aSectionWhoseQuestionsAreAllNotApplicableHasNoScore() {
        Score s = Scoring.score(WEIGHTED, List.of(new Answer("q1", "na"), new Answer("q2", "na"),
                new Answer("q3", "5"), new Answer("q4", "1")));
        // (5·1 + 4·0) / 9
        assertThat(s.percent()).isCloseTo(500.0 / 9, within(1e-9));
        assertThat(s.sections()).containsOnlyKeys("B");
    }

    @Test
    void aFailedCriticalQuestionFailsTheCallAndKeepsTheRawScore() {
        Form f = QaFixtures.form();
        Score fail = Scoring.score(f, QaFixtures.answers("yes", "no", "5"));
        // raw: (1 + 0 + 2·1) / 4 = 75 %; verify is critical and "no": the call scores 0.
        assertThat(fail.raw()).isCloseTo(75.0, within(1e-9));
        assertThat(fail.percent()).isZero();
        assertThat(fail.failedCritical()).containsExactly("verify");
        assertThat(Scoring.score(f, QaFixtures.answers("yes", "na", "5")).criticalFailed())
                .as("N/A does not fail a critical question").isFalse();
    }

    @Test
    void aCriticalOneToFiveQuestionFailsOnOneOrTwo() {
        Form f = new Form("c", 1, "C", List.of(new Form.Section("S", List.of(
                new Form.Question("tone", "Tone", Scale.ONE_TO_FIVE, 1, true)))), Instant.EPOCH, "root");
        assertThat(Scoring.score(f, List.of(new Answer("tone", "2"))).criticalFailed()).isTrue();
        Score three = Scoring.score(f, List.of(new Answer("tone", "3")));
        assertThat(three.criticalFailed()).isFalse();
        assertThat(three.percent()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void everyProblemWithTheAnswersIsNamedAtOnce() {
        assertThatThrownBy(() -> Scoring.score(WEIGHTED, List.of(new Answer("q1", "maybe"), new Answer("q1", "yes"),
                new Answer("q3", "6"), new Answer("zz", "yes"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("question q1 is answered twice; answer to unknown question 'zz' (form w v1);"
                        + " question q2 is not answered (expected one of: yes, no, na);"
                        + " question q3: '6' (expected one of: 1, 2, 3, 4, 5, na);"
                        + " question q4 is not answered (expected one of: 1, 2, 3, 4, 5, na)");
    }

    @Test
    void everythingNotApplicableIsNothingToScore() {
        assertThatThrownBy(() -> Scoring.score(WEIGHTED, List.of(new Answer("q1", "na"), new Answer("q2", "na"),
                new Answer("q3", "na"), new Answer("q4", "na"))))
                .hasMessage("every question is N/A: nothing to score (expected: at least one applicable answer)");
    }
}
