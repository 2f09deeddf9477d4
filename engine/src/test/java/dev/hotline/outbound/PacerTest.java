package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PacerTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    /** 300 attempts a second apart: 1 in {@code every} answered, with {@code abandons} of the answered abandoned. */
    private static Pacer fed(int every, int abandons) {
        Pacer p = new Pacer(Pacer.Settings.defaults());
        int live = 0;
        for (int i = 0; i < 300; i++) {
            Outcome o = Outcome.NO_ANSWER;
            if (i % every == 0) {
                o = live++ < abandons ? Outcome.ABANDONED : Outcome.CONNECTED;
            }
            p.attempted(T0.plusSeconds(i), o, Duration.ofSeconds(10));
        }
        return p;
    }

    @Test
    void aFreshCampaignStartsAtProgressivePace() {
        Pacer p = new Pacer(Pacer.Settings.defaults());
        Pacer.Plan plan = p.plan(T0, 5, List.of(), 0);
        assertThat(plan.dial()).isEqualTo(5);
        assertThat(plan.why()).contains("ramping up: 0 live answers");
    }

    @Test
    void withEvidenceAndNoAbandonsItDialsAheadOfTheFreeAgents() {
        Pacer p = fed(3, 0);   // a third answered, 100 live answers
        Instant now = T0.plusSeconds(300);
        assertThat(p.answerRate(now)).isCloseTo(1 / 3.0, within(0.01));
        Pacer.Plan plan = p.plan(now, 10, List.of(), 0);
        assertThat(plan.gain()).isEqualTo(1.0);
        assertThat(plan.dial()).isGreaterThan(10).isLessThanOrEqualTo(30);
        assertThat(plan.why()).contains("predictive");
    }

    @Test
    void callsAlreadyInFlightCountAgainstTheNextDials() {
        Pacer p = fed(3, 0);
        Instant now = T0.plusSeconds(300);
        int alone = p.plan(now, 10, List.of(), 0).dial();
        assertThat(p.plan(now, 10, List.of(), 8).dial()).isEqualTo(Math.max(2, alone - 8));
    }

    @Test
    void abandonsNearTheCapFallBackToProgressivePace() {
        Pacer p = fed(3, 3);   // 3 % of 100 live answers abandoned: the cap reached
        Instant now = T0.plusSeconds(300);
        assertThat(p.abandonPct(now)).isCloseTo(3.0, within(0.01));
        Pacer.Plan plan = p.plan(now, 10, List.of(), 4);
        assertThat(plan.gain()).isZero();
        assertThat(plan.dial()).isEqualTo(6);   // one call per free agent, counting those in flight
        assertThat(plan.why()).contains("progressive: cap at risk");
    }

    @Test
    void abandonsLeaveTheWindowAndThePaceComesBack() {
        Pacer p = fed(3, 3);
        Instant later = T0.plus(Duration.ofHours(1)).plusSeconds(400);
        assertThat(p.abandonPct(later)).isZero();
    }

    @Test
    void expectedExcessMatchesABinomialByHand() {
        // n = 2, p = 0.5, 1 agent: P(X = 2) = 0.25, one answer too many.
        assertThat(Pacer.expectedExcess(2, 0.5, 1)).isCloseTo(0.25, within(1e-12));
        assertThat(Pacer.expectedExcess(3, 0.5, 3)).isZero();
        assertThat(Pacer.expectedExcess(2000, 0.5, 900)).isCloseTo(100, within(0.5));
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> Pacer.Settings.withCap(0)).hasMessageContaining("abandon_cap: 0.0%");
        assertThatThrownBy(() -> new Pacer.Settings(3, Duration.ofSeconds(5), 1, 0.3, 0.8, 5))
                .hasMessageContaining("at least 1 minute");
    }
}
