package dev.hotline.records.store;

import dev.hotline.records.testing.TestDatabase;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The background probe on the shared scheduler, its time moved by the test. */
@Tag("slow")
class DatabaseHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private final ManualTimer time = new ManualTimer(T0);
    private final Scheduler scheduler = new Scheduler(time);
    private TestDatabase db;

    @AfterEach
    void close() throws SQLException {
        scheduler.close();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void probesAtOnceThenEveryPeriodAndSaysSinceWhenItIsDown() {
        db = TestDatabase.h2(dir);
        DatabaseHealth health = new DatabaseHealth(db.database(), scheduler, time, Duration.ofSeconds(5));
        assertThat(health.status()).isEmpty();
        health.start();
        time.runDue();
        assertThat(health.status().orElseThrow().up()).isTrue();
        assertThat(health.status().orElseThrow().checkedAt()).isEqualTo(T0);

        db.switchable().off();
        time.advance(Duration.ofSeconds(4));
        assertThat(health.status().orElseThrow().up()).as("not probed again before its period").isTrue();
        time.advance(Duration.ofSeconds(1));
        DatabaseHealth.Status down = health.status().orElseThrow();
        assertThat(down.up()).isFalse();
        assertThat(down.since()).isEqualTo(T0.plusSeconds(5));
        assertThat(down.reason()).startsWith(db.database().description() + ": ");

        time.advance(Duration.ofSeconds(5));
        assertThat(health.status().orElseThrow().since()).as("still down since the first failed probe")
                .isEqualTo(T0.plusSeconds(5));
        db.switchable().on();
        time.advance(Duration.ofSeconds(5));
        assertThat(health.status().orElseThrow()).extracting(DatabaseHealth.Status::up, DatabaseHealth.Status::since)
                .containsExactly(true, T0.plusSeconds(15));

        health.close();
        time.advance(Duration.ofMinutes(1));
        assertThat(health.status().orElseThrow().checkedAt()).as("no probe after close").isEqualTo(T0.plusSeconds(15));
    }
}
