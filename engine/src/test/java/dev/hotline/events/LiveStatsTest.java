package dev.hotline.events;

import dev.hotline.config.QueueConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The live counters count service level with the report's formula (visits over, short abandons included). */
class LiveStatsTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void serviceLevelIsAnsweredWithinTheThresholdOverTheVisitsThatAreOver() {
        LiveStats stats = new LiveStats(List.of(QueueConfig.simple("sales", Map.of())));   // 20 s threshold
        for (int i = 1; i <= 6; i++) {
            stats.on(new CallEvent.Queued("c" + i, T0, "sales", "0612", "u" + i, "PJSIP/t-" + i, Map.of()));
        }
        stats.on(new CallEvent.Answered("c1", T0, "sales", "1001", Duration.ofSeconds(5)));    // within
        stats.on(new CallEvent.Answered("c2", T0, "sales", "1001", Duration.ofSeconds(40)));   // late
        stats.on(new CallEvent.Abandoned("c3", T0, "sales", Duration.ofSeconds(3)));          // short abandon: counts
        stats.on(new CallEvent.ExitedQueue("c4", T0, "sales", "max wait", "voicemail:1", Duration.ofMinutes(3)));
        stats.on(new CallEvent.CallbackRequested("c5", T0, "sales", "0612", Duration.ofSeconds(30)));
        // c6 still waits: it counts nowhere yet.

        LiveStats.QueueCounters q = stats.snapshot().getFirst();
        assertThat(q.finished()).isEqualTo(5);
        assertThat(q.serviceLevel()).isEqualTo(1.0 / 5);
    }
}
