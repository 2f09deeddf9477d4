package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CampaignReportTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:10:00Z");

    private static Attempt a(String contact, int n, Instant at, Outcome o, Duration wait, Duration talk, boolean rp) {
        return new Attempt(contact + "-" + n, "renew", contact, "555", DialMode.PREDICTIVE, at,
                o.liveAnswer() ? Optional.of(at.plusSeconds(5)) : Optional.empty(), at.plusSeconds(60), o, "HUMAN",
                o == Outcome.CONNECTED ? Optional.of("1001") : Optional.empty(),
                o == Outcome.CONNECTED ? Optional.of(wait) : Optional.empty(), talk, Duration.ofSeconds(10),
                rp ? "sale" : "", rp);
    }

    @Test
    void figuresPerCampaignAndTheAbandonRateHourByHourAgainstTheCap() {
        Campaign c = OutboundStoreContract.campaign("renew", DialMode.PREDICTIVE);
        List<Attempt> attempts = List.of(
                a("renew-1", 1, T0, Outcome.CONNECTED, Duration.ofSeconds(20), Duration.ofSeconds(170), true),
                a("renew-2", 1, T0.plusSeconds(5), Outcome.BUSY, Duration.ZERO, Duration.ZERO, false),
                a("renew-3", 1, T0.plusSeconds(9), Outcome.ABANDONED, Duration.ZERO, Duration.ZERO, false),
                a("renew-2", 2, T0.plusSeconds(3600), Outcome.CONNECTED, Duration.ofSeconds(40), Duration.ofSeconds(350),
                        false));
        var lines = CampaignReport.lines(Map.of("renew", c), attempts, Map.of("renew", 10));
        assertThat(lines).hasSize(1);
        var l = lines.get(0);
        assertThat(l.attempts()).isEqualTo(4);
        assertThat(l.reached()).isEqualTo(2);
        assertThat(l.rightParty()).isEqualTo(1);
        assertThat(l.abandoned()).isEqualTo(1);
        assertThat(l.abandonPct()).isCloseTo(100 / 3.0, within(0.01));
        assertThat(l.agentWaitSecs()).isEqualTo(30.0);
        // 2 calls in 20 + 170 + 10 + 40 + 350 + 10 = 600 s of agent time: 12 per hour.
        assertThat(l.contactsPerAgentHour()).isCloseTo(12.0, within(0.001));
        assertThat(l.penetrationPct()).isEqualTo(30.0);
        var hours = CampaignReport.hours(Map.of("renew", c), attempts, ZoneOffset.UTC);
        assertThat(hours).extracting(CampaignReport.Hour::hour).containsExactly(Instant.parse("2026-12-07T09:00:00Z"),
                Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(hours.get(0).abandonPct()).isEqualTo(50.0);
        assertThat(hours.get(0).capPct()).isEqualTo(3.0);
    }
}
