package dev.hotline.records;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.store.RecordStore;
import dev.hotline.records.testing.Fixtures;
import dev.hotline.records.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hotline.records.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The writer against a real database (both kinds, by subclass): streaming, outage, crash and restart. */
@Tag("slow")
abstract class RecordWriterContract {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestDatabase db;
    RecordStore store;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() {
        db = TestDatabase.open(kind(), dir.resolve("db"));
        store = db.store();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    WriterSettings settings() {
        return WriterSettings.defaults(dir).withBatchSize(200).withRetry(Duration.ofMillis(10), Duration.ofMillis(50))
                .withFsyncInterval(Duration.ofMillis(5)).withSegmentBytes(256 * 1024);
    }

    /** Call i is a call record, except every fourth entry, an agent transition. */
    static RecordEntry entry(int i) {
        return i % 4 == 3
                ? Fixtures.change("a" + (i % 50), AgentPhase.READY, AgentPhase.ON_CALL, T0.plusMillis(i))
                : Fixtures.fullCall("1741." + i, T0.plusMillis(i));
    }

    static long calls(int n) {
        return n - n / 4;
    }

    static boolean submit(RecordWriter w, RecordEntry e) {
        return switch (e) {
            case CallRecord c -> w.submit(c);
            case AgentStateChange a -> w.submit(a);
        };
    }

    void assertExactly(int n) throws Exception {
        Map<String, Long> counts = store.counts();
        assertThat(counts.get("call_record")).as("call records").isEqualTo(calls(n));
        assertThat(counts.get("agent_state_change")).as("agent transitions").isEqualTo((long) n / 4);
        assertThat(counts.get("call_offer")).as("offers").isEqualTo(3 * calls(n));
    }

    @Test
    void everythingSubmittedIsStoredOnce() throws Exception {
        int n = 2_000;
        try (RecordWriter w = RecordWriter.start(store, settings(), registry)) {
            for (int i = 0; i < n; i++) {
                assertThat(submit(w, entry(i))).isTrue();
            }
            assertThat(w.awaitStored(WAIT)).isTrue();
            assertThat(w.pending()).isZero();
        }
        assertExactly(n);
        assertThat(registry.get("hotline.records.stored").counter().count()).isEqualTo(n);
        assertThat(registry.get("hotline.records.queue.depth").gauge().value()).isZero();
    }

    @Test
    void listenersGetEachCallRecordOnceCommittedAndAFailingOneHarmsNothing() throws Exception {
        int n = 400;
        java.util.Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicLong tellings = new AtomicLong();
        try (RecordWriter w = RecordWriter.start(store, settings(), registry)) {
            w.onStored(batch -> {
                throw new IllegalStateException("a broken listener");
            });
            w.onStored(batch -> batch.forEach(c -> {
                tellings.incrementAndGet();
                told.add(c.callId().linkedId());
            }));
            for (int i = 0; i < n; i++) {
                assertThat(submit(w, entry(i))).isTrue();
            }
            assertThat(w.awaitStored(WAIT)).isTrue();
        }
        assertExactly(n);
        assertThat(told).hasSize((int) calls(n)).allSatisfy(id -> assertThat(id).startsWith("1741."));
        assertThat(tellings.get()).isEqualTo(calls(n));
    }

    @Test
    void anOutageInTheMiddleOfAStreamLosesAndDuplicatesNothing() throws Exception {
        int n = 3_000;
        AtomicLong slowestSubmitNanos = new AtomicLong();
        try (RecordWriter w = RecordWriter.start(store, settings(), registry)) {
            for (int i = 0; i < n; i++) {
                if (i == 1_000) {
                    assertThat(w.awaitStored(WAIT)).isTrue();
                    db.switchable().off();
                }
                long t = System.nanoTime();
                assertThat(submit(w, entry(i))).isTrue();
                slowestSubmitNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
                if (i == 2_000) {
                    // The stream goes on while the database is down: entries pile up in the journal.
                    assertThat(w.awaitDurable(WAIT)).isTrue();
                    awaitRefused();
                    // The refusal is counted when the connection is refused; the writer marks the database down
                    // once the failed write has unwound (a moment later on a loaded machine).
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (w.databaseUp() && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    assertThat(w.databaseUp()).isFalse();
                    assertThat(w.pending()).isGreaterThan(0);
                    assertThat(registry.get("hotline.records.journal.bytes").gauge().value()).isGreaterThan(0);
                    assertThat(db.directStore().counts().get("call_record")).isEqualTo(calls(1_000));
                    db.switchable().on();
                }
            }
            assertThat(w.awaitStored(WAIT)).isTrue();
            assertThat(w.databaseUp()).isTrue();
        }
        assertExactly(n);
        // Never blocked on the database: a submit is a queue offer (generous bound for a loaded CI machine).
        assertThat(Duration.ofNanos(slowestSubmitNanos.get())).isLessThan(Duration.ofMillis(500));
    }

    private void awaitRefused() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (db.switchable().refused() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.sleep(1);
        }
        assertThat(db.switchable().refused()).as("database attempts refused during the outage").isPositive();
    }

    @Test
    void aWriterKilledWithTheDatabaseDownIsReplayedByTheNextOne() throws Exception {
        int n = 1_500;
        db.switchable().off();
        RecordWriter first = RecordWriter.start(store, settings(), registry);
        for (int i = 0; i < n; i++) {
            assertThat(submit(first, entry(i))).isTrue();
        }
        assertThat(first.awaitDurable(WAIT)).isTrue();
        first.halt();
        assertThat(db.directStore().counts().get("call_record")).isZero();
        db.switchable().on();

        try (RecordWriter second = RecordWriter.start(store, settings(), new SimpleMeterRegistry())) {
            assertThat(second.pending()).isEqualTo(n);
            assertThat(second.awaitStored(WAIT)).isTrue();
        }
        assertExactly(n);
    }

    @Test
    void aWriterKilledMidWayThroughIsReplayedWithoutDuplicates() throws Exception {
        int n = 2_000;
        RecordWriter first = RecordWriter.start(store, settings(), registry);
        for (int i = 0; i < n; i++) {
            assertThat(submit(first, entry(i))).isTrue();
        }
        assertThat(first.awaitDurable(WAIT)).isTrue();
        // Killed while the database thread is somewhere in the backlog: some entries stored, maybe past the
        // checkpoint; the next writer replays from the checkpoint and must not duplicate.
        first.halt();

        try (RecordWriter second = RecordWriter.start(store, settings(), new SimpleMeterRegistry())) {
            assertThat(second.awaitStored(WAIT)).isTrue();
        }
        assertExactly(n);
        try (RecordWriter third = RecordWriter.start(store, settings(), new SimpleMeterRegistry())) {
            assertThat(third.pending()).isZero();
        }
    }

    @Test
    void closingWithTheDatabaseDownLeavesEverythingInTheJournalForNextStart() throws Exception {
        int n = 500;
        db.switchable().off();
        try (RecordWriter w = RecordWriter.start(store, settings().withCloseTimeout(Duration.ofMillis(50)), registry)) {
            List<RecordEntry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                entries.add(entry(i));
                assertThat(submit(w, entries.getLast())).isTrue();
            }
        }
        db.switchable().on();
        try (RecordWriter w = RecordWriter.start(store, settings(), new SimpleMeterRegistry())) {
            assertThat(w.awaitStored(WAIT)).isTrue();
        }
        assertExactly(n);
    }

    @Test
    void aFullQueueRefusesInsteadOfBlockingAndCountsIt() throws Exception {
        db.switchable().off();
        WriterSettings tiny = settings().withQueueCapacity(1).withBatchSize(1).withFsyncInterval(Duration.ZERO);
        try (RecordWriter w = RecordWriter.start(store, tiny, registry)) {
            int refused = 0;
            for (int i = 0; i < 5_000 && refused == 0; i++) {
                refused += submit(w, entry(i)) ? 0 : 1;
            }
            assertThat(refused).isEqualTo(1);
            assertThat(registry.get("hotline.records.rejected").counter().count()).isEqualTo(1);
            db.switchable().on();
            assertThat(w.awaitStored(WAIT)).isTrue();
            assertThat(w.accepted()).isEqualTo(store.counts().get("call_record")
                    + store.counts().get("agent_state_change"));
        }
    }
}
