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
    void matchesTheClosedFormForSmallSystems() {
        // Three agents, two erlangs: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, C = 4/9.
        assertThat(ErlangC.erlangB(3, 2)).isCloseTo(4.0 / 19, within(1e-12));
        assertThat(ErlangC.probabilityOfWaiting(3, 2)).isCloseTo(4.0 / 9, within(1e-12));
        // One agent is M/M/1: P(wait) = rho, ASA = rho / (mu - lambda) = 0.5 / (1/60 - 1/120) = 60 s.
        assertThat(ErlangC.probabilityOfWaiting(1, 0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(ErlangC.asa(1, 0.5, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void serviceLevelIsOneMinusTheWaitProbabilityAtZeroAndRisesWithTheThreshold() {
        Duration aht = Duration.ofSeconds(180);
        double c = ErlangC.probabilityOfWaiting(10, 8);
        assertThat(ErlangC.serviceLevel(10, 8, aht, Duration.ZERO)).isCloseTo(1 - c, within(1e-12));
        assertThat(ErlangC.serviceLevel(10, 8, aht, Duration.ofSeconds(60)))
                .isGreaterThan(ErlangC.serviceLevel(10, 8, aht, Duration.ofSeconds(20)));
    }

    @Test
    void noCallsNeverWaitWhateverTheAgents() {
        Duration aht = Duration.ofMinutes(3);
        for (int agents : new int[] {0, 1, 50}) {
            assertThat(ErlangC.probabilityOfWaiting(agents, 0)).as("%d agents", agents).isZero();
            assertThat(ErlangC.serviceLevel(agents, 0, aht, Duration.ofSeconds(20))).isEqualTo(1.0);
            assertThat(ErlangC.asa(agents, 0, aht)).isEqualTo(Duration.ZERO);
        }
        // Without traffic the handle time does not matter (a slot with no answered calls has none).
        assertThat(ErlangC.serviceLevel(3, 0, Duration.ZERO, Duration.ofSeconds(20))).isEqualTo(1.0);
        assertThat(ErlangC.agentsFor(0, Duration.ofMinutes(3), 0.8, Duration.ofSeconds(20))).isZero();
        assertThat(ErlangC.erlangB(4, 0)).isZero();
    }

    @Test
    void noAgentsWithTrafficAlwaysWaitAndNeverReachTheServiceLevel() {
        Duration aht = Duration.ofMinutes(3);
        assertThat(ErlangC.erlangB(0, 2)).isEqualTo(1.0);
        assertThat(ErlangC.probabilityOfWaiting(0, 2)).isEqualTo(1.0);
        assertThat(ErlangC.serviceLevel(0, 2, aht, Duration.ofSeconds(20))).isZero();
        assertThatThrownBy(() -> ErlangC.asa(0, 2, aht))
                .hasMessage("agents: 0 for 2.0 erlangs (expected: > traffic, or the queue grows without bound)");
    }

    @ParameterizedTest(name = "{0} agents, {1} erlangs")
    @CsvSource({"5, 5", "10, 10.0", "10, 12.5", "3, 1000"})
    void aLoadAtOrAboveTheAgentsGrowsTheQueueWithoutBound(int agents, double erlangs) {
        Duration aht = Duration.ofMinutes(3);
        assertThat(ErlangC.probabilityOfWaiting(agents, erlangs)).isEqualTo(1.0);
        assertThat(ErlangC.serviceLevel(agents, erlangs, aht, Duration.ofSeconds(20))).isZero();
        assertThatThrownBy(() -> ErlangC.asa(agents, erlangs, aht)).hasMessageContaining("grows without bound");
        // Just below the agents it is finite, close to 1, and continuous with the edge.
        double below = ErlangC.probabilityOfWaiting(agents, Math.min(erlangs, agents) - 1e-6);
        assertThat(below).isBetween(0.99, 1.0);
    }

    @Test
    void largeCentresStayNumericallyStableUpToTheEdge() {
        for (int n : new int[] {1_000, 10_000, 100_000}) {
            for (double rho : new double[] {0.5, 0.9, 0.99, 0.9999}) {
                double a = n * rho;
                double c = ErlangC.probabilityOfWaiting(n, a);
                assertThat(c).as("%d agents at %s", n, rho).isNotNaN().isBetween(0.0, 1.0);
                double sl = ErlangC.serviceLevel(n, a, Duration.ofMinutes(3), Duration.ofSeconds(20));
                assertThat(sl).as("%d agents at %s", n, rho).isNotNaN().isBetween(0.0, 1.0);
            }
            // Monotone in the load: more traffic on the same agents never waits less.
            assertThat(ErlangC.probabilityOfWaiting(n, n * 0.99))
                    .isGreaterThan(ErlangC.probabilityOfWaiting(n, n * 0.9));
        }
        // Square-root staffing: at 10,000 erlangs a few hundred extra agents bring P(wait) near zero.
        assertThat(ErlangC.probabilityOfWaiting(10_300, 10_000)).isLessThan(0.01);
    }

    @Test
    void badInputIsRefusedWithTheValueNamed() {
        Duration aht = Duration.ofMinutes(3);
        assertThatThrownBy(() -> ErlangC.probabilityOfWaiting(-1, 2)).hasMessage("agents: -1 (expected: >= 0)");
        assertThatThrownBy(() -> ErlangC.probabilityOfWaiting(3, -0.5))
                .hasMessage("erlangs: -0.5 (expected: a finite number >= 0)");
        assertThatThrownBy(() -> ErlangC.erlangB(3, Double.NaN)).hasMessageContaining("erlangs: NaN");
        assertThatThrownBy(() -> ErlangC.serviceLevel(3, Double.POSITIVE_INFINITY, aht, aht))
                .hasMessageContaining("erlangs: Infinity");
        assertThatThrownBy(() -> ErlangC.serviceLevel(3, 2, Duration.ZERO, aht)).hasMessage("aht: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ErlangC.serviceLevel(3, 2, aht, Duration.ofSeconds(-1)))
                .hasMessage("t: PT-1S (expected: >= 0)");
        assertThatThrownBy(() -> ErlangC.agentsFor(1, aht, 1.0, Duration.ofSeconds(20)))
                .hasMessage("target: 1.0 (expected: 0 < target < 1)");
        assertThatThrownBy(() -> ErlangC.agentsFor(1, aht, Double.NaN, Duration.ofSeconds(20)))
                .hasMessage("target: NaN (expected: 0 < target < 1)");
    }
}
