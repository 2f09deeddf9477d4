package dev.hotline.outbound.sim;

import dev.hotline.outbound.DialMode;
import dev.hotline.outbound.Pacer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class DialerSimulationTest {

    @Test
    void predictivePacingKeepsTheAbandonRateUnderTheCapAcrossADayOfChangingAnswerRates() {
        for (long seed = 1; seed <= 5; seed++) {
            var r = DialerSimulation.run(DialerSimulation.Scenario.day(20, seed), DialMode.PREDICTIVE);
            System.out.println(r.line());
            assertThat(r.abandonPct()).as("seed %d: %s", seed, r.line()).isLessThan(3.0);
            assertThat(r.worstWindowAbandonPct()).as("seed %d: %s", seed, r.line()).isLessThan(3.0);
            assertThat(r.connected()).isGreaterThan(1000);
        }
    }

    @Test
    void predictiveReachesMoreContactsPerAgentHourThanProgressiveOnTheSameList() {
        var scenario = DialerSimulation.Scenario.day(20, 7);
        var progressive = DialerSimulation.run(scenario, DialMode.PROGRESSIVE);
        var predictive = DialerSimulation.run(scenario, DialMode.PREDICTIVE);
        System.out.println(progressive.line());
        System.out.println(predictive.line());
        assertThat(progressive.abandoned()).isZero();
        assertThat(predictive.contactsPerAgentHour()).isGreaterThan(progressive.contactsPerAgentHour() * 1.1);
        assertThat(predictive.agentWaitSeconds()).isLessThan(progressive.agentWaitSeconds());
    }

    @Test
    void aTighterCapIsHonouredToo() {
        var base = DialerSimulation.Scenario.day(30, 11);
        var scenario = new DialerSimulation.Scenario(base.agents(), base.day(), base.segments(), base.talkMean(),
                base.wrapUp(), base.ringTimeout(), base.abandonAfter(), Pacer.Settings.withCap(1.0), 11);
        var r = DialerSimulation.run(scenario, DialMode.PREDICTIVE);
        System.out.println(r.line());
        assertThat(r.abandonPct()).isLessThan(1.0);
    }

    @Test
    void theSameSeedGivesTheSameDay() {
        var a = DialerSimulation.run(DialerSimulation.Scenario.day(5, 42), DialMode.PREDICTIVE);
        var b = DialerSimulation.run(DialerSimulation.Scenario.day(5, 42), DialMode.PREDICTIVE);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void refusesPreviewAndBadScenarios() {
        assertThatThrownBy(() -> DialerSimulation.run(DialerSimulation.Scenario.day(5, 1), DialMode.PREVIEW))
                .hasMessageContaining("mode: preview");
        assertThatThrownBy(() -> new DialerSimulation.Segment(Duration.ZERO, 0.6, 0.3, 0.2))
                .hasMessageContaining("sum <= 1");
        var base = DialerSimulation.Scenario.day(5, 1);
        assertThatThrownBy(() -> new DialerSimulation.Scenario(5, base.day(),
                List.of(new DialerSimulation.Segment(Duration.ofHours(1), 0.3, 0, 0)), base.talkMean(), base.wrapUp(),
                base.ringTimeout(), base.abandonAfter(), base.pacer(), 1)).hasMessageContaining("first must start at 0");
    }
}
