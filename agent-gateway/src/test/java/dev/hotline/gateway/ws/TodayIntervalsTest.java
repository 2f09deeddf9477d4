package dev.hotline.gateway.ws;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.RecordStore;
import dev.hotline.records.store.RecordsDatabase;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The wallboard's day by interval: whole-day reads, and the cheaper re-reads of the last two intervals between them. */
class TodayIntervalsTest {

    private static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;
    private RecordsDatabase database;
    private RecordStore store;
    private final AtomicReference<Instant> now = new AtomicReference<>(DAY.plus(Duration.ofHours(10)));
    private TodayIntervals intervals;

    @BeforeEach
    void open() throws Exception {
        database = RecordsDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir, "", "", Secret.NONE, 2));
        store = new RecordStore(database);
        // The pool's first connection can take longer than its 3 s on a loaded machine: open it before the clock runs.
        for (int attempt = 1; ; attempt++) {
            try {
                store.counts();
                break;
            } catch (java.sql.SQLException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
        InstantSource clock = now::get;
        intervals = new TodayIntervals(new Reports(store, clock, ZoneOffset.UTC, List.of(), Map.of(),
                Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void close() {
        intervals.close();
        database.close();
    }

    @Test
    void aCallInTheRunningIntervalShowsAfterARecentReadAsAWholeDayReadWouldShowIt() throws Exception {
        store.write(List.of(abandoned("a", DAY.plus(Duration.ofHours(9)))));
        assertThat(intervals.refresh()).isTrue();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);

        now.set(now.get().plusSeconds(30));
        store.write(List.of(abandoned("b", now.get().minusSeconds(20)), abandoned("c", now.get().minusSeconds(10))));
        assertThat(intervals.refreshRecent()).isTrue();
        assertThat(offered("support", "2026-12-07T10:00:00Z")).isEqualTo(2);
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);
        assertThat(intervals.today()).as("the view a whole-day read gives").isEqualTo(
                intervals.day(LocalDate.of(2026, 12, 7)));
        assertThat(intervals.refreshRecent()).as("nothing new").isFalse();
    }

    @Test
    void aCallQueuedOverAnIntervalBeforeTheRunningOneWaitsForTheNextWholeDayRead() throws Exception {
        intervals.refresh();
        assertThat(intervals.today()).doesNotContainKey("error");
        // Queued at 09:20, stored now (10:00:30): two intervals back, outside the recent read.
        now.set(now.get().plusSeconds(30));
        store.write(List.of(abandoned("long", DAY.plus(Duration.ofMinutes(9 * 60 + 20)))));
        intervals.refreshRecent();
        assertThat(offered("support", "2026-12-07T09:15:00Z")).as(intervals.today().toString()).isZero();

        now.set(now.get().plusSeconds(TodayIntervals.FULL_REFRESH_SECONDS));
        assertThat(intervals.refreshRecent()).isTrue();
        assertThat(offered("support", "2026-12-07T09:15:00Z")).isEqualTo(1);
    }

    @Test
    void aNewDayIsReadWhole() throws Exception {
        store.write(List.of(abandoned("y", DAY.plus(Duration.ofHours(9)))));
        intervals.refresh();
        now.set(DAY.plus(Duration.ofHours(24)).plusSeconds(60));
        store.write(List.of(abandoned("t", now.get().minusSeconds(30))));
        assertThat(intervals.refreshRecent()).isTrue();
        assertThat(intervals.today().get("date")).isEqualTo("2026-12-08");
        assertThat(offered("support", "2026-12-08T00:00:00Z")).isEqualTo(1);
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isZero();
    }

    @Test
    void aFailingDatabaseKeepsTheLastFiguresAndSaysWhy() throws Exception {
        store.write(List.of(abandoned("a", DAY.plus(Duration.ofHours(9)))));
        intervals.refresh();
        database.close();
        now.set(now.get().plusSeconds(5));
        assertThat(intervals.refreshRecent()).isTrue();
        assertThat((String) intervals.today().get("error")).contains("cannot read today's call records");
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);
    }

    private long offered(String queue, String start) {
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> queues =
                (Map<String, List<Map<String, Object>>>) intervals.today().get("queues");
        return queues.getOrDefault(queue, List.of()).stream().filter(r -> start.equals(r.get("start")))
                .mapToLong(r -> ((Number) r.get("offered")).longValue()).sum();
    }

    /** Queued 10 s after {@code start}, abandoned 5 s later. */
    private static CallRecord abandoned(String id, Instant start) {
        Instant q = start.plusSeconds(10);
        return CallRecord.builder(new CallId("pbx1", id), start).caller("5551234", "").dialled("100")
                .visit(QueueVisit.unanswered("support", q, q.plusSeconds(5), QueueVisit.Result.ABANDONED))
                .hangup(HangupParty.CALLER, 16).ended(q.plusSeconds(5), CallOutcome.ABANDONED).build();
    }
}
