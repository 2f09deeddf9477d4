package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    static final Instant T = QaFixtures.T0;

    @Test
    void anEvaluationIsScoredOnItsFormVersionWhenSubmitted() {
        Evaluation e = QaFixtures.evaluation("e1", "1001", T, "yes", "yes", "3");
        assertThat(e.form()).isEqualTo(new Evaluation.FormRef("standard", 1));
        // (1 + 1 + 2·½) / 4
        assertThat(e.score().percent()).isCloseTo(75.0, within(1e-9));
        assertThat(e.status()).isEqualTo(Evaluation.Status.SUBMITTED);
        assertThatThrownBy(() -> Evaluation.submit("e2", "c", "1001", T, QaFixtures.form(), "quinn", false,
                QaFixtures.answers("yes", "yes", "7"), "", T)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAgentAcknowledgesOrDisputesOnceAndQaResolvesADispute() {
        Evaluation e = QaFixtures.evaluation("e1", "1001", T, "yes", "yes", "3");
        Evaluation ack = e.acknowledge("thanks", T.plusSeconds(60));
        assertThat(ack.status()).isEqualTo(Evaluation.Status.ACKNOWLEDGED);
        assertThat(ack.respondedAt()).contains(T.plusSeconds(60));
        assertThatThrownBy(() -> ack.dispute("no", T)).hasMessage("evaluation e1 is already acknowledged (an agent"
                + " disputes a submitted evaluation once)");
        assertThatThrownBy(() -> e.dispute(" ", T)).hasMessage("a dispute needs the agent's reason");
        Evaluation disputed = e.dispute("the caller hung up before I could verify", T);
        assertThat(disputed.disputed()).isTrue();
        assertThatThrownBy(() -> e.resolve("quinn", "ok", T)).hasMessage("evaluation e1 is submitted: only a"
                + " disputed evaluation is resolved");
        Evaluation resolved = disputed.resolve("quinn", "score stands", T.plusSeconds(120));
        assertThat(resolved.status()).isEqualTo(Evaluation.Status.RESOLVED);
        assertThat(resolved.resolution()).contains(new Evaluation.Resolution("quinn", T.plusSeconds(120),
                "score stands"));
        assertThat(resolved.score()).isEqualTo(e.score());
    }

    @Test
    void aCalibrationIsNotTheAgentsToAnswer() {
        Evaluation c = Evaluation.submit("e9", "c", "1001", T, QaFixtures.form(), "sam", true,
                QaFixtures.answers("yes", "yes", "3"), "", T);
        assertThat(c.counts()).isFalse();
        assertThatThrownBy(() -> c.acknowledge("", T)).hasMessage("evaluation e9 is a calibration: agents do not"
                + " acknowledge it");
    }
}
