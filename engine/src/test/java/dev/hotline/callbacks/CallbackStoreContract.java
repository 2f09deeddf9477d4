package dev.hotline.callbacks;

import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CallbackStore} on a migrated database; run against H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class CallbackStoreContract {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    TestDatabase db;
    CallbackStore store;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() throws SQLException {
        db = TestDatabase.open(kind(), dir.resolve("db"));
        db.database().migrate();
        store = new CallbackStore(db.database().dataSource());
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private static Callback queued(String id, String queue, Instant at) {
        return Callback.queued(id, queue, "0612345678", "Ann", at);
    }

    @Test
    void aClaimIsTakenOnceAndClearedByTheAttemptsOutcome() throws Exception {
        Callback c = Callback.queued("claimed", "support", "0611111111", "", T0);
        store.insert(c);
        assertThat(store.claims()).isEmpty();
        assertThat(store.claim("claimed", "1004", T0.plusSeconds(5))).isTrue();
        assertThat(store.claim("claimed", "1005", T0.plusSeconds(6))).as("already claimed").isFalse();
        assertThat(store.claim("missing", "1005", T0)).as("not a callback").isFalse();
        assertThat(store.claims()).containsExactly(java.util.Map.entry("claimed",
                new CallbackStore.Claim("claimed", 0, T0.plusSeconds(5), "1004")));
        store.update(c.retryAt(T0.plusSeconds(600), "1004", "no answer"));
        assertThat(store.claims()).as("the outcome clears the claim").isEmpty();
        assertThat(store.claim("claimed", "1005", T0.plusSeconds(700))).isTrue();
        store.update(store.find("claimed").orElseThrow().finished(Callback.Status.COMPLETED, T0.plusSeconds(800),
                java.util.Optional.of("1005"), "answered", 2));
        assertThat(store.claim("claimed", "1006", T0.plusSeconds(900))).as("no longer pending").isFalse();
    }

    @Test
    void insertIsIdempotentByIdAndTheFirstStoredCallbackStands() throws SQLException {
        Callback first = queued("c1", "support", T0);
        assertThat(store.insert(first)).isEqualTo(first);
        Callback again = Callback.queued("c1", "sales", "0699999999", "Bob", T0.plusSeconds(60));
        assertThat(store.insert(again)).as("a second insert of the same id returns the stored one").isEqualTo(first);
        assertThat(store.requested(Instant.EPOCH, T0.plusSeconds(3600))).containsExactly(first);
    }

    @Test
    void aScheduledCallbackIsIdempotentByItsRequestKeyScopedToTheUser() throws SQLException {
        CallbackStore.RequestKey alicesKey = new CallbackStore.RequestKey("alice", "k1");
        Callback first = Callback.scheduled("sched-1", "sales", "0611111111", T0, T0.plusSeconds(600),
                Optional.of("1001"), "");
        assertThat(store.insertScheduled(first, Optional.of(alicesKey))).isEqualTo(first);
        Callback retried = Callback.scheduled("sched-2", "sales", "0611111111", T0, T0.plusSeconds(600),
                Optional.of("1001"), "");
        assertThat(store.insertScheduled(retried, Optional.of(alicesKey))).as("alice's retry: her first callback")
                .isEqualTo(first);
        assertThat(store.find("sched-2")).isEmpty();
        // The same key from another user is their own callback.
        Callback bobs = Callback.scheduled("sched-3", "support", "0622222222", T0, T0.plusSeconds(60),
                Optional.empty(), "");
        assertThat(store.insertScheduled(bobs, Optional.of(new CallbackStore.RequestKey("bob", "k1"))))
                .isEqualTo(bobs);
        // Without a key, every insert is a callback.
        store.insertScheduled(Callback.scheduled("sched-4", "sales", "0633333333", T0, T0, Optional.empty(), ""),
                Optional.empty());
        store.insertScheduled(Callback.scheduled("sched-5", "sales", "0633333333", T0, T0, Optional.empty(), ""),
                Optional.empty());
        assertThat(store.pending()).extracting(Callback::id)
                .containsExactlyInAnyOrder("sched-1", "sched-3", "sched-4", "sched-5");
    }

    @Test
    void scheduledCallbacksStoredWithClientIdsMoveIntoTheReservedNamespaceOnUpgrade() throws Exception {
        try (TestDatabase old = TestDatabase.open(kind(), dir.resolve("old"))) {
            org.flywaydb.core.Flyway.configure().dataSource(old.database().dataSource())
                    .locations("classpath:db/migration").target("5").load().migrate();
            CallbackStore before = new CallbackStore(old.database().dataSource());
            // Before V6 a client could choose a scheduled callback's id, e.g. a live call's linkedid.
            before.insert(Callback.scheduled("1732000000.42", "sales", "0611111111", T0, T0, Optional.empty(), ""));
            before.insert(Callback.scheduled("sched-made-by-server", "sales", "0611111111", T0, T0,
                    Optional.empty(), ""));
            before.insert(queued("1732000000.7", "support", T0));

            old.database().migrate();

            CallbackStore after = new CallbackStore(old.database().dataSource());
            assertThat(after.pending()).extracting(Callback::id).containsExactlyInAnyOrder(
                    "sched-1732000000.42", "sched-made-by-server", "1732000000.7");
        }
    }

    @Test
    void everyFieldRoundTripsIncludingOwnerNoteAndEmptyOptionals() throws SQLException {
        Callback s = Callback.scheduled("s-1", "sales", "+33612345678", T0, T0.plusSeconds(7200),
                Optional.of("1004"), "quote follow-up");
        store.insert(s);
        assertThat(store.find("s-1")).contains(s);
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void retriesAndAFinalOutcomeAreStoredAsTransitions() throws SQLException {
        Callback c = store.insert(queued("c1", "support", T0));
        Callback retry = c.retryAt(T0.plusSeconds(600), "1004", "no answer");
        store.update(retry);
        assertThat(store.find("c1")).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(Callback.Status.PENDING);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.notBefore()).isEqualTo(T0.plusSeconds(600));
            assertThat(s.agentId()).contains("1004");
            assertThat(s.lastResult()).isEqualTo("no answer");
            assertThat(s.finishedAt()).isEmpty();
        });
        Callback failed = retry.finished(Callback.Status.FAILED, T0.plusSeconds(900), Optional.of("1005"), "busy", 2);
        store.update(failed);
        assertThat(store.find("c1")).contains(failed);
        assertThat(store.pending()).isEmpty();
    }

    @Test
    void updatingAnUnknownCallbackIsAnErrorNamingIt() {
        assertThatThrownBy(() -> store.update(queued("ghost", "support", T0)))
                .isInstanceOf(SQLException.class).hasMessageContaining("ghost");
    }

    @Test
    void pendingIsInDueOrderThenByIdAndLeavesFinishedOnesOut() throws SQLException {
        store.insert(queued("b", "support", T0.plusSeconds(20)));
        store.insert(queued("c", "support", T0.plusSeconds(10)));
        store.insert(queued("a", "support", T0.plusSeconds(20)));
        Callback done = store.insert(queued("d", "support", T0));
        store.update(done.finished(Callback.Status.COMPLETED, T0.plusSeconds(30), Optional.of("1004"), "answered", 1));
        assertThat(store.pending()).extracting(Callback::id).containsExactly("c", "a", "b");
    }

    @Test
    void overdueListsPendingCallbacksMoreThanTheGracePastDue() throws SQLException {
        store.insert(queued("old", "support", T0));
        store.insert(queued("recent", "support", T0.plusSeconds(3000)));
        Callback kept = store.insert(queued("kept", "support", T0.minusSeconds(60)));
        store.update(kept.finished(Callback.Status.COMPLETED, T0, Optional.of("1004"), "answered", 1));
        Instant now = T0.plusSeconds(3700);
        assertThat(store.overdue(now, Duration.ofHours(1))).extracting(Callback::id).containsExactly("old");
        assertThat(store.overdue(now, Duration.ofHours(2))).isEmpty();
    }

    @Test
    void reportCountsPerQueueCallbacksRequestedInTheRange() throws SQLException {
        Callback s1 = store.insert(queued("s1", "support", T0));
        store.update(s1.finished(Callback.Status.COMPLETED, T0.plusSeconds(60), Optional.of("1004"), "answered", 1));
        Callback s2 = store.insert(queued("s2", "support", T0.plusSeconds(1)));
        store.update(s2.finished(Callback.Status.FAILED, T0.plusSeconds(90), Optional.of("1004"), "no answer", 3));
        Callback s3 = store.insert(queued("s3", "support", T0.plusSeconds(2)));
        store.update(s3.finished(Callback.Status.CANCELLED, T0.plusSeconds(3), Optional.empty(), "connected", 0));
        store.insert(queued("s4", "support", T0.plusSeconds(3)));                  // pending, overdue at T0+2h
        store.insert(queued("l1", "sales", T0.plusSeconds(7000)));                // pending, not overdue yet
        store.insert(queued("outside", "sales", T0.plusSeconds(9000)));           // requested after the range

        Map<String, CallbackReport.Row> report = store.report(T0, T0.plusSeconds(9000), T0.plusSeconds(7200),
                Duration.ofHours(1));
        assertThat(report).containsOnlyKeys("support", "sales");
        assertThat(report.get("support")).isEqualTo(new CallbackReport.Row(4, 1, 1, 1, 1, 1, 1, 0));
        assertThat(report.get("sales")).isEqualTo(new CallbackReport.Row(1, 0, 0, 0, 1, 0, 0, 0));
    }

    @Test
    void theNameRecordingIsStoredWithTheCallback() throws SQLException {
        Callback c = queued("named", "support", T0).withNameFile("hotline-callback-names/callback-named");
        store.insert(c);
        assertThat(store.find("named")).hasValueSatisfying(s ->
                assertThat(s.nameFile()).isEqualTo("hotline-callback-names/callback-named"));
        Callback retried = store.find("named").orElseThrow().retryAt(T0.plusSeconds(60), "1004", "busy");
        store.update(retried);
        assertThat(store.find("named")).contains(retried);
        assertThat(store.find("named").orElseThrow().nameFile()).as("kept across updates").isNotEmpty();
    }

    @Test
    void reportPerQueueAndPerAgentTellsOnTimeFromLateAndPromisedFromKept() throws SQLException {
        Duration grace = Duration.ofHours(1);
        // 1004: one on time (30 min after due), one late (2 h after due), one failed.
        Callback a = store.insert(Callback.scheduled("a", "sales", "0611111111", T0, T0.plusSeconds(600),
                Optional.of("1004"), "quote"));
        store.update(a.finished(Callback.Status.COMPLETED, T0.plusSeconds(600 + 1800), Optional.of("1004"),
                "answered", 1));
        Callback b = store.insert(queued("b", "support", T0.plusSeconds(10)));
        store.update(b.finished(Callback.Status.COMPLETED, T0.plusSeconds(10 + 7200), Optional.of("1004"),
                "answered", 2));
        Callback c = store.insert(queued("c", "support", T0.plusSeconds(20)));
        store.update(c.finished(Callback.Status.FAILED, T0.plusSeconds(900), Optional.of("1004"), "no answer", 3));
        // 1005 owns a pending scheduled one, overdue at the report time; nobody has tried one queued callback.
        store.insert(Callback.scheduled("d", "sales", "0622222222", T0, T0.plusSeconds(60), Optional.of("1005"), ""));
        store.insert(queued("e", "support", T0.plusSeconds(30)));

        CallbackReport.Report r = store.fullReport(T0, T0.plusSeconds(3600), T0.plusSeconds(10_000), grace);
        assertThat(r.byQueue()).containsOnlyKeys("sales", "support");
        assertThat(r.byQueue().get("sales")).isEqualTo(new CallbackReport.Row(2, 1, 0, 0, 1, 1, 1, 0));
        assertThat(r.byQueue().get("support")).isEqualTo(new CallbackReport.Row(3, 1, 1, 0, 1, 1, 0, 1));
        assertThat(r.byAgent()).containsOnlyKeys("1004", "1005", CallbackReport.UNASSIGNED);
        assertThat(r.byAgent().get("1004")).isEqualTo(new CallbackReport.Row(3, 2, 1, 0, 0, 0, 1, 1));
        assertThat(r.byAgent().get("1005")).isEqualTo(new CallbackReport.Row(1, 0, 0, 0, 1, 1, 0, 0));
        assertThat(r.byAgent().get(CallbackReport.UNASSIGNED)).isEqualTo(new CallbackReport.Row(1, 0, 0, 0, 1, 1, 0, 0));
        assertThat(r.byAgent().get("1004").keptPercent()).hasValueCloseTo(33.3, org.assertj.core.data.Offset.offset(0.1));

        String text = CallbackReport.format(r);
        assertThat(text).containsPattern("(?m)^queue +requested +completed +on-time +late +failed +cancelled +pending"
                + " +overdue +kept$");
        assertThat(text).containsPattern("(?m)^sales +2 +1 +1 +0 +0 +0 +1 +1 +50%$");
        assertThat(text).containsPattern("(?m)^agent +requested");
        assertThat(text).containsPattern("(?m)^1004 +3 +2 +1 +1 +1 +0 +0 +0 +33%$");
        assertThat(text).containsPattern("(?m)^\\* +5 +2 +1 +1 +1 +0 +2 +2 +20%$");
    }
}
