package dev.hotline.records.store;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.testing.Fixtures;
import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.hotline.records.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The store's behaviour, run against the embedded database and against MariaDB by the two subclasses. */
@Tag("slow")
abstract class RecordStoreContract {

    @TempDir
    Path dir;

    TestDatabase db;
    RecordStore store;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() {
        db = TestDatabase.open(kind(), dir);
        store = db.store();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aFullCallRecordReadsBackEqualIncludingFourByteUtf8() throws Exception {
        CallRecord call = Fixtures.fullCall("1741000000.1", T0);
        store.write(List.of(call));

        List<CallRecord> read = store.calls(T0, T0.plusSeconds(3600), Duration.ofHours(6));

        assertThat(read).containsExactly(call);
        assertThat(read.getFirst().callerName()).isEqualTo("张三 😀");
    }

    @Test
    void writingTheSameEntriesAgainStoresThemOnce() throws Exception {
        CallRecord call = Fixtures.fullCall("1741000000.2", T0);
        AgentStateChange login = Fixtures.change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0);
        List<RecordEntry> batch = List.of(call, login);

        store.write(batch);
        store.write(batch);
        store.write(List.of(call, call, login, login));

        assertThat(store.counts()).containsAllEntriesOf(Map.of("call_record", 1L, "call_ivr_step", 2L,
                "call_queue_visit", 2L, "call_offer", 3L, "call_transfer", 1L, "agent_state_change", 1L));
    }

    @Test
    void aLaterVersionOfACallReplacesTheEarlierOneAndItsChildren() throws Exception {
        CallRecord full = Fixtures.fullCall("1741000000.3", T0);
        CallRecord small = Fixtures.abandoned("1741000000.3", T0, "sales", 30);

        store.write(List.of(full));
        store.write(List.of(small));

        assertThat(store.calls(T0, T0.plusSeconds(3600), Duration.ofHours(6))).containsExactly(small);
        assertThat(store.counts()).containsEntry("call_offer", 0L).containsEntry("call_queue_visit", 1L);
    }

    @Test
    void withinOneBatchTheLastVersionOfACallWins() throws Exception {
        CallRecord first = Fixtures.abandoned("1741000000.4", T0, "sales", 30);
        CallRecord second = Fixtures.fullCall("1741000000.4", T0);

        store.write(List.of(first, second));

        assertThat(store.calls(T0, T0.plusSeconds(3600), Duration.ofHours(6))).containsExactly(second);
    }

    @Test
    void callsAreSelectedByOverlapWithTheRange() throws Exception {
        CallRecord before = Fixtures.abandoned("a", T0.minusSeconds(600), "sales", 30);
        CallRecord spanning = Fixtures.abandoned("b", T0.minusSeconds(20), "sales", 60);
        CallRecord inside = Fixtures.abandoned("c", T0.plusSeconds(100), "sales", 60);
        CallRecord after = Fixtures.abandoned("d", T0.plusSeconds(3600), "sales", 60);
        store.write(List.of(before, spanning, inside, after));

        List<CallRecord> read = store.calls(T0, T0.plusSeconds(3600), Duration.ofHours(6));

        assertThat(read).extracting(CallRecord::callId).extracting(CallId::linkedId).containsExactly("b", "c");
        assertThat(read.getFirst().outcome()).isEqualTo(CallOutcome.ABANDONED);
    }

    @Test
    void agentTransitionsReadBackInTimeOrder() throws Exception {
        AgentStateChange a = Fixtures.change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0.plusSeconds(5));
        AgentStateChange b = new AgentStateChange(java.util.UUID.randomUUID(), "1001", "team-a", AgentPhase.READY,
                AgentPhase.NOT_READY, "lunch", T0.plusSeconds(60), java.util.Optional.of("sup7"));
        AgentStateChange outside = Fixtures.change("1002", AgentPhase.LOGGED_OUT, AgentPhase.READY,
                T0.plusSeconds(7200));
        store.write(List.of(b, outside, a));

        assertThat(store.agentChanges(T0, T0.plusSeconds(3600))).containsExactly(a, b);
    }

    @Test
    void sameMillisecondTransitionsReadBackInTheOrderTheyHappened() throws Exception {
        // `run --agents-ready`: every agent logs in (not ready, "login") and turns ready in the same millisecond.
        List<AgentStateChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String agent = "1" + (100 + i);
            changes.add(AgentStateChange.of(agent, "team-a", AgentPhase.LOGGED_OUT, AgentPhase.NOT_READY, "login",
                    T0));
            changes.add(AgentStateChange.of(agent, "team-a", AgentPhase.NOT_READY, AgentPhase.READY, "", T0));
        }
        store.write(changes);

        List<AgentStateChange> read = store.agentChanges(T0, T0.plusSeconds(1));

        assertThat(read).hasSize(80);
        for (int i = 0; i < 40; i++) {
            String agent = "1" + (100 + i);
            assertThat(read).filteredOn(c -> c.agentId().equals(agent)).extracting(AgentStateChange::to)
                    .as("agent %s", agent).containsExactly(AgentPhase.NOT_READY, AgentPhase.READY);
        }
    }

    @Test
    void migratingTwiceIsHarmless() throws Exception {
        db.database().migrate();
        AppDatabase again = AppDatabase.of(db.switchable(), "again");
        again.migrate();
        assertThat(new RecordStore(again).counts()).containsEntry("call_record", 0L);
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
