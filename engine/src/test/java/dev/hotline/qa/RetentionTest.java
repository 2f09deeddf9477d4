package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionTest {

    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

    private static Retention.StoredFile file(String name, Duration age) {
        return new Retention.StoredFile(name, 1000, NOW.minus(age));
    }

    @Test
    void filesLastWrittenBeforeTheCutoffExpireOldestFirst() {
        var old = file("hotline/2026/08/01/a.wav", Duration.ofDays(122));
        var justOver = file("hotline/2026/09/01/b.wav", Duration.ofDays(90).plusSeconds(1));
        var exactly = file("hotline/2026/09/02/c.wav", Duration.ofDays(90));
        var fresh = file("hotline/2026/11/30/d.wav", Duration.ofDays(1));
        assertThat(Retention.cutoff(NOW, 90)).isEqualTo(Instant.parse("2026-09-02T03:00:00Z"));
        assertThat(Retention.expired(List.of(fresh, justOver, exactly, old), NOW, 90)).containsExactly(old, justOver);
    }

    @Test
    void zeroDaysKeepsEverything() {
        assertThat(Retention.cutoff(NOW, 0)).isNull();
        assertThat(Retention.expired(List.of(file("x.wav", Duration.ofDays(9999))), NOW, 0)).isEmpty();
        assertThatThrownBy(() -> Retention.cutoff(NOW, -1)).hasMessage("retention days: -1 (expected: >= 0)");
    }
}
