package dev.hotline.records.staffing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Erlang A by simulation (hundreds of thousands of callers: slow), checked against Erlang C where they meet. */
@Tag("slow")
class AbandonmentSimulatorTest {

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
