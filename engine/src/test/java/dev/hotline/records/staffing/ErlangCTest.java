package dev.hotline.records.staffing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ErlangCTest {

    /** Published Erlang C tables: probability of waiting for 10 erlangs (and the textbook 2 erlangs, 3 agents). */
    @ParameterizedTest
    @CsvSource({
        "10.0, 11, 0.6821",
        "10.0, 12, 0.4494",
        "10.0, 13, 0.2853",
        "10.0, 14, 0.1741",
        "10.0, 15, 0.1020",
        "2.0, 3, 0.4444",
    })
    void probabilityOfWaitingMatchesPublishedTables(double erlangs, int agents, double expected) {
        assertThat(ErlangC.probabilityOfWaiting(agents, erlangs)).isCloseTo(expected, within(0.00005));
    }

    @Test
    void erlangBMatchesPublishedTable() {
        // Erlang B table: 10 erlangs on 10 trunks block 21.46 %; 5 erlangs on 10 trunks 1.84 %.
        assertThat(ErlangC.erlangB(10, 10)).isCloseTo(0.2146, within(0.00005));
        assertThat(ErlangC.erlangB(10, 5)).isCloseTo(0.0184, within(0.00005));
    }

    @Test
    void theClassicExampleNeedsFourteenAgentsForEightyInTwenty() {
        // 100 calls per half hour, 3 min handle time: 10 erlangs; 80 % answered within 20 s.
        Duration aht = Duration.ofMinutes(3);
        assertThat(ErlangC.serviceLevel(13, 10, aht, Duration.ofSeconds(20))).isCloseTo(0.7956, within(0.0001));
        assertThat(ErlangC.serviceLevel(14, 10, aht, Duration.ofSeconds(20))).isCloseTo(0.8884, within(0.0001));
        assertThat(ErlangC.agentsFor(10, aht, 0.8, Duration.ofSeconds(20))).isEqualTo(14);
        assertThat(ErlangC.asa(14, 10, aht).toMillis()).isCloseTo(7_834, within(2L));
    }

    @Test
    void largeCentresStayNumericallyStable() {
        double c = ErlangC.probabilityOfWaiting(5_200, 5_000);
        assertThat(c).isBetween(0.0, 1.0).isNotNaN();
        assertThat(ErlangC.agentsFor(5_000, Duration.ofMinutes(5), 0.9, Duration.ofSeconds(15)))
                .isBetween(5_001, 5_300);
    }

    @Test
    void edgeCases() {
        assertThat(ErlangC.probabilityOfWaiting(5, 5)).isEqualTo(1.0);
        assertThat(ErlangC.agentsFor(0, Duration.ofMinutes(3), 0.8, Duration.ofSeconds(20))).isZero();
        assertThatThrownBy(() -> ErlangC.agentsFor(1, Duration.ofMinutes(3), 1.0, Duration.ofSeconds(20)))
                .hasMessage("target: 1.0 (expected: 0 < target < 1)");
    }

    @Test
    void simulationWithoutAbandonmentAgreesWithErlangC() {
        AbandonmentSimulator sim = new AbandonmentSimulator(42, 200_000);
        AbandonmentSimulator.Result r = sim.run(14, 200, Duration.ofMinutes(3), null, Duration.ofSeconds(20));
        assertThat(r.serviceLevel()).isCloseTo(0.8884, within(0.01));
        assertThat(r.abandonRate()).isZero();
    }

    @Test
    void withAbandonmentFewerAgentsReachTheTargetAndSomeCallersHangUp() {
        AbandonmentSimulator sim = new AbandonmentSimulator(42, 50_000);
        AbandonmentSimulator.Result r = sim.agentsFor(200, Duration.ofMinutes(3), Duration.ofSeconds(60), 0.8,
                Duration.ofSeconds(20), 14);
        assertThat(r.agents()).isBetween(11, 14);
        assertThat(r.serviceLevel()).isGreaterThanOrEqualTo(0.8);
        AbandonmentSimulator.Result under = sim.run(10, 200, Duration.ofMinutes(3), Duration.ofSeconds(60),
                Duration.ofSeconds(20));
        assertThat(under.abandonRate()).isGreaterThan(0.05);
    }
}
