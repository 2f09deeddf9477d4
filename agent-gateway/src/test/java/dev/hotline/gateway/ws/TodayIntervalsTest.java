package dev.hotline.gateway.ws;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
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
@Tag("slow")
class TodayIntervalsTest {

    private static final Instant DAY = Instant.parse("2026-12-07T00:00:00Z");

    @TempDir
    Path dir;
    private AppDatabase database;
    private RecordStore store;
    private final AtomicReference<Instant> now = new AtomicReference<>(DAY.plus(Duration.ofHours(10)));
    private TodayIntervals intervals;

    @BeforeEach
    void open() throws Exception {
        database = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir, "", "", Secret.NONE, 2));
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
        intervals = new TodayIntervals(dev.hotline.app.EngineApis.callReports(new Reports(store, clock,
                ZoneOffset.UTC, List.of(), Map.of(), Duration.ofSeconds(5)), null), clock);
    }

    @AfterEach
    void close() {
        intervals.close();
        database.close();
    }

    @Test
    void foldedRecordsGiveTheViewAWholeDayReadGives() throws Exception {
        store.write(List.of(abandoned("a", DAY.plus(Duration.ofHours(9)))));
        assertThat(intervals.refresh()).isTrue();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);

        now.set(now.get().plusSeconds(30));
        List<CallRecord> more = List.of(abandoned("b", now.get().minusSeconds(20)),
                abandoned("c", now.get().minusSeconds(10)), answered("d", now.get().minusSeconds(25), 5),
                answered("e", now.get().minusSeconds(60), 40),
                // queued 09:20, ended now: its row is two intervals back
                abandoned("long", DAY.plus(Duration.ofMinutes(9 * 60 + 20))));
        store.write(more);
        assertThat(intervals.fold(more)).isTrue();
        assertThat(offered("support", "2026-12-07T10:00:00Z")).isEqualTo(3);
        assertThat(offered("support", "2026-12-07T09:45:00Z")).isEqualTo(1);
        assertThat(offered("support", "2026-12-07T09:15:00Z")).isEqualTo(1);
        assertThat(offered("*", "2026-12-07T09:00:00Z")).isEqualTo(1);
        assertThat(intervals.today()).as("the view a whole-day read gives").isEqualTo(
                intervals.day(LocalDate.of(2026, 12, 7)));
        assertThat(intervals.currentServiceLevel("support")).hasValue(1.0 / 3);
    }

    @Test
    void aCallIsCountedOnceWhateverHowOftenItComes() throws Exception {
        CallRecord a = abandoned("a", DAY.plus(Duration.ofHours(9)));
        store.write(List.of(a));
        intervals.refresh();
        assertThat(intervals.fold(List.of(a))).as("already read with the day").isFalse();
        CallRecord b = abandoned("b", DAY.plus(Duration.ofHours(9)));
        assertThat(intervals.fold(List.of(b, b))).isTrue();
        assertThat(intervals.fold(List.of(b))).as("a replayed record").isFalse();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(2);
    }

    @Test
    void aCallJournaledInProgressIsCountedWhenItFinishes() throws Exception {
        Instant start = DAY.plus(Duration.ofHours(9));
        CallRecord started = CallRecord.builder(new CallId("pbx1", "p"), start).caller("5551234", "").dialled("100")
                .ended(start, CallOutcome.IN_PROGRESS).build();
        store.write(List.of(started));
        intervals.refresh();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).as("not counted while in progress").isZero();
        assertThat(intervals.fold(List.of(started))).isFalse();
        assertThat(intervals.fold(List.of(abandoned("p", start)))).as("its finished record").isTrue();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);
    }

    @Test
    void theWholeDayIsReadAgainAfterAWhileAndAtMidnight() throws Exception {
        intervals.refresh();
        // Stored by someone else (no fold): seen at the next whole-day read, not before.
        store.write(List.of(abandoned("other", DAY.plus(Duration.ofHours(9)))));
        now.set(now.get().plusSeconds(60));
        assertThat(intervals.tick()).isFalse();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isZero();
        now.set(now.get().plusSeconds(TodayIntervals.FULL_REFRESH_SECONDS));
        assertThat(intervals.tick()).isTrue();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);

        now.set(DAY.plus(Duration.ofHours(24)).plusSeconds(60));
        CallRecord t = abandoned("t", now.get().minusSeconds(50));
        store.write(List.of(t));
        assertThat(intervals.fold(List.of(t))).isTrue();
        assertThat(intervals.today().get("date")).isEqualTo("2026-12-08");
        assertThat(offered("support", "2026-12-08T00:00:00Z")).isEqualTo(1);
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isZero();
    }

    @Test
    void aFailingDatabaseKeepsTheLastFiguresAndSaysWhy() throws Exception {
        store.write(List.of(abandoned("a", DAY.plus(Duration.ofHours(9)))));
        intervals.refresh();
        database.close();
        now.set(now.get().plusSeconds(TodayIntervals.FULL_REFRESH_SECONDS));
        assertThat(intervals.tick()).isTrue();
        assertThat((String) intervals.today().get("error")).contains("cannot read today's call records");
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);
        assertThat(intervals.fold(List.of(abandoned("b", DAY.plus(Duration.ofHours(9)))))).as("same failure")
                .isFalse();
        assertThat(offered("support", "2026-12-07T09:00:00Z")).isEqualTo(1);
    }

    private long offered(String queue, String start) {
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> queues =
                (Map<String, List<Map<String, Object>>>) intervals.today().get("queues");
        return queues.getOrDefault(queue, List.of()).stream().filter(r -> start.equals(r.get("start")))
                .mapToLong(r -> ((Number) r.get("offered")).longValue()).sum();
    }

    /** Queued 10 s after {@code start}, answered by 1001 after {@code waitSeconds}, 20 s of talk. */
    private static CallRecord answered(String id, Instant start, long waitSeconds) {
        Instant q = start.plusSeconds(10);
        Instant a = q.plusSeconds(waitSeconds);
        return CallRecord.builder(new CallId("pbx1", id), start).caller("5551234", "").dialled("100")
                .visit(QueueVisit.answered("support", q, a, "1001", Duration.ofSeconds(20), Duration.ZERO,
                        Duration.ZERO))
                .hangup(HangupParty.CALLER, 16).ended(a.plusSeconds(20), CallOutcome.ANSWERED).build();
    }

    /** Queued 10 s after {@code start}, abandoned 5 s later. */
    private static CallRecord abandoned(String id, Instant start) {
        Instant q = start.plusSeconds(10);
        return CallRecord.builder(new CallId("pbx1", id), start).caller("5551234", "").dialled("100")
                .visit(QueueVisit.unanswered("support", q, q.plusSeconds(5), QueueVisit.Result.ABANDONED))
                .hangup(HangupParty.CALLER, 16).ended(q.plusSeconds(5), CallOutcome.ABANDONED).build();
    }
}
