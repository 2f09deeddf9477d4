package dev.hotline.routing.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ErlangCTest {

    @Test
    void matchesTheClosedFormForSmallSystems() {
        // Three agents, two erlangs: B = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, C = 4/9.
        assertThat(ErlangC.erlangB(3, 2)).isCloseTo(4.0 / 19, within(1e-12));
        assertThat(ErlangC.probabilityOfWaiting(3, 2)).isCloseTo(4.0 / 9, within(1e-12));
        // One agent is M/M/1: P(wait) = rho, ASA = rho / (mu - lambda).
        assertThat(ErlangC.probabilityOfWaiting(1, 0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(ErlangC.averageSpeedOfAnswer(1, 0.5 / 60, 60)).isCloseTo(60, within(1e-9));
    }

    @Test
    void staysFiniteForThousandsOfAgents() {
        double c = ErlangC.probabilityOfWaiting(5_000, 4_950);
        assertThat(c).isBetween(0.0, 1.0);
        assertThat(ErlangC.serviceLevel(5_000, 4_950 / 180.0, 180, 20)).isBetween(0.0, 1.0);
    }

    @Test
    void serviceLevelIsOneMinusTheWaitProbabilityAtZeroAndRisesWithTheThreshold() {
        double c = ErlangC.probabilityOfWaiting(10, 8);
        assertThat(ErlangC.serviceLevel(10, 8 / 180.0, 180, 0)).isCloseTo(1 - c, within(1e-12));
        assertThat(ErlangC.serviceLevel(10, 8 / 180.0, 180, 60))
                .isGreaterThan(ErlangC.serviceLevel(10, 8 / 180.0, 180, 20));
    }

    @Test
    void rejectsAnOverloadedSystem() {
        assertThatThrownBy(() -> ErlangC.probabilityOfWaiting(10, 10))
                .hasMessage("erlangs: 10.0 (expected: < agents = 10, or the queue grows without bound)");
    }
}
