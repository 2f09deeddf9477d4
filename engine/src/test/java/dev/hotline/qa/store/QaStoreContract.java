package dev.hotline.qa.store;

import dev.hotline.qa.Answer;
import dev.hotline.qa.Evaluation;
import dev.hotline.qa.Form;
import dev.hotline.qa.FormReader;
import dev.hotline.qa.LiveRecording;
import dev.hotline.qa.RecordingPolicy;
import dev.hotline.qa.Retention;
import dev.hotline.qa.SamplingPlan;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.testing.Fixtures;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link QaStore} on a migrated database; run against H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class QaStoreContract {

    static final Instant T0 = Instant.parse("2026-11-10T09:00:00Z");
    static final String V1 = """
            name: Review
            sections:
              - title: Opening
                questions:
                  - {id: greet, text: Greeted the caller, scale: yes-no, weight: 1}
                  - {id: verify, text: Checked identity, scale: yes-no, weight: 1, critical: true}
            """;
    /** v2 weighs greeting three times as much: a v1 evaluation must keep its v1 score. */
    static final String V2 = V1.replace("scale: yes-no, weight: 1}", "scale: yes-no, weight: 3}");

    @TempDir
    Path dir;
    TestDatabase db;
    QaStore store;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() throws SQLException {
        db = TestDatabase.open(kind(), dir.resolve("db"));
        db.database().migrate();
        store = new QaStore(db.database().dataSource());
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    private static CallRecord answered(String id, Instant start, String queue, String agent, long talkSeconds,
                                       String disposition, Integer survey, String recording) {
        Instant q = start.plusSeconds(10);
        var b = CallRecord.builder(new CallId("pbx1", id), start).caller("0612345678", "Ann").dialled("100")
                .visit(QueueVisit.answered(queue, q, q.plusSeconds(5), agent, Duration.ofSeconds(talkSeconds),
                        Duration.ZERO, Duration.ZERO))
                .hangup(HangupParty.CALLER, 16);
        if (disposition != null) {
            b.disposition(disposition, "");
        }
        if (survey != null) {
            b.survey(survey);
        }
        if (recording != null) {
            b.recording(recording);
        }
        return b.ended(q.plusSeconds(5 + talkSeconds), CallOutcome.ANSWERED).build();
    }

    private Form save(String id, String yaml, Instant at) throws SQLException {
        Form parsed = ((FormReader.Result.Ok) FormReader.read(yaml, "t", id, 1, at, "root")).form();
        return store.saveVersion(parsed, yaml);
    }

    @Test
    void policiesAreStoredReplacedAndRemoved() throws SQLException {
        store.savePolicy(RecordingPolicy.sample("support", 30, RecordingPolicy.OnDemand.BOTH), T0, "root");
        store.savePolicy(RecordingPolicy.fromQueueFlag("sales", false), T0, "root");
        store.savePolicy(RecordingPolicy.sample("support", 40, RecordingPolicy.OnDemand.AGENT), T0, "root");
        assertThat(store.policies()).containsExactly(RecordingPolicy.fromQueueFlag("sales", false),
                RecordingPolicy.sample("support", 40, RecordingPolicy.OnDemand.AGENT));
        assertThat(store.deletePolicy("sales")).isTrue();
        assertThat(store.deletePolicy("sales")).isFalse();
        assertThat(store.policies()).hasSize(1);
    }

    @Test
    void aFormChangeIsANewVersionAndNeverAltersPastEvaluations() throws SQLException {
        db.store().write(List.of(answered("c1", T0, "support", "1001", 60, null, null, "hotline/c1.wav"),
                answered("c2", T0.plusSeconds(600), "support", "1001", 60, null, null, "hotline/c2.wav")));
        Form v1 = save("review", V1, T0);
        assertThat(v1.version()).isEqualTo(1);
        List<Answer> answers = List.of(new Answer("greet", "no"), new Answer("verify", "yes", "asked for the PIN"));
        Evaluation e1 = Evaluation.submit("ev-1", "c1", "1001", T0, v1, "quinn", false, answers, "good", T0);
        store.insertEvaluation(e1);
        assertThat(e1.score().percent()).isCloseTo(50.0, within(1e-9));

        Form v2 = save("review", V2, T0.plusSeconds(60));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.currentForm("review")).contains(v2);
        assertThat(store.forms()).singleElement().satisfies(f -> {
            assertThat(f.currentVersion()).isEqualTo(2);
            assertThat(f.enabled()).isTrue();
        });
        // The stored v1 evaluation is still scored on v1: 1 of 2, not 1 of 4.
        Evaluation stored = store.evaluations(QaStore.EvaluationQuery.all().id("ev-1")).getFirst();
        assertThat(stored.form()).isEqualTo(new Evaluation.FormRef("review", 1));
        assertThat(stored.score().percent()).isCloseTo(50.0, within(1e-9));
        assertThat(stored.answers()).containsExactlyInAnyOrderElementsOf(answers);
        assertThat(stored).isEqualTo(e1);
        // A new evaluation of the same answers on v2: (0·3 + 1·1) / 4.
        Evaluation e2 = Evaluation.submit("ev-2", "c2", "1001", T0, v2, "quinn", false, answers, "", T0);
        store.insertEvaluation(e2);
        assertThat(store.evaluations(QaStore.EvaluationQuery.all().id("ev-2")).getFirst().score().percent())
                .isCloseTo(25.0, within(1e-9));
        assertThat(store.formSource("review", 1)).contains(V1);
        assertThat(store.setFormEnabled("review", false, T0, "root")).isTrue();
        assertThat(store.forms().getFirst().enabled()).isFalse();
    }

    @Test
    void anAgentsResponseIsStoredOnceAndTheFirstChangeStands() throws SQLException {
        db.store().write(List.of(answered("c1", T0, "support", "1001", 60, null, null, "hotline/c1.wav")));
        Form v1 = save("review", V1, T0);
        Evaluation e = Evaluation.submit("ev-1", "c1", "1001", T0, v1, "quinn", false,
                List.of(new Answer("greet", "yes"), new Answer("verify", "yes")), "", T0);
        store.insertEvaluation(e);
        Evaluation disputed = e.dispute("not my call", T0.plusSeconds(5));
        assertThat(store.updateStatus(disputed, Evaluation.Status.SUBMITTED)).isTrue();
        assertThat(store.updateStatus(e.acknowledge("", T0.plusSeconds(6)), Evaluation.Status.SUBMITTED))
                .as("the acknowledgement that lost the race").isFalse();
        Evaluation resolved = disputed.resolve("quinn", "the score stands", T0.plusSeconds(60));
        assertThat(store.updateStatus(resolved, Evaluation.Status.DISPUTED)).isTrue();
        assertThat(store.evaluations(QaStore.EvaluationQuery.all().agent("1001"))).containsExactly(resolved);
        assertThat(store.evaluations(QaStore.EvaluationQuery.all().agent("1002"))).isEmpty();
        assertThat(store.evaluations(QaStore.EvaluationQuery.all().agents(Set.of("1002", "1001")))).hasSize(1);
        assertThat(store.evaluations(QaStore.EvaluationQuery.all().agents(Set.of()))).isEmpty();
        assertThat(store.evaluationsByEvaluator(T0.minusSeconds(1), T0.plusSeconds(1)))
                .containsExactly(Map.entry("quinn", 1));
    }

    @Test
    void callsAreFoundByEveryFilterWithTheirRecordingAndEvaluationCount() throws SQLException {
        db.store().write(List.of(
                answered("c1", T0, "support", "1001", 700, "complaint", 1, "hotline/2026/11/10/c1-1001.wav"),
                answered("c2", T0.plusSeconds(60), "sales", "1002", 30, "inquiry", 5, null),
                answered("c3", T0.plusSeconds(120), "support", "1002", 90, "inquiry", null, null),
                Fixtures.abandoned("c4", T0.plusSeconds(180), "support", 20)));
        // c3 was recorded on demand: its file is only in the recording events.
        store.addRecordingEvent("pbx1/c3", "hotline/2026/11/10/c3-1002.wav", true,
                new LiveRecording.Event(T0.plusSeconds(150), LiveRecording.Action.START, "sam"));
        Instant from = T0.minusSeconds(1);
        Instant to = T0.plusSeconds(3600);
        QaStore.CallQuery all = QaStore.CallQuery.between(from, to);
        assertThat(store.calls(all)).extracting(QaStore.CallRow::callId)
                .containsExactly("pbx1/c4", "pbx1/c3", "pbx1/c2", "pbx1/c1");
        QaStore.CallRow c1 = store.call("pbx1/c1").orElseThrow();
        assertThat(c1.queue()).contains("support");
        assertThat(c1.agentId()).contains("1001");
        assertThat(c1.talk()).isEqualTo(Duration.ofSeconds(700));
        assertThat(c1.csat()).isEqualTo(OptionalInt.of(1));
        assertThat(c1.recording()).contains("hotline/2026/11/10/c1-1001.wav");
        assertThat(store.call("pbx1/c3").orElseThrow().recording()).contains("hotline/2026/11/10/c3-1002.wav");
        assertThat(store.call("pbx1/c2").orElseThrow().recording()).isEmpty();

        assertThat(ids(new QaStore.CallQuery(from, to, Optional.of("sales"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), false, 100))).containsExactly("pbx1/c2");
        assertThat(ids(new QaStore.CallQuery(from, to, Optional.empty(), Optional.of("1002"), Optional.empty(),
                Optional.of("inquiry"), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                Optional.of(Duration.ofMinutes(1)), Optional.empty(), false, 100))).containsExactly("pbx1/c3");
        assertThat(ids(new QaStore.CallQuery(from, to, Optional.empty(), Optional.empty(), Optional.of(Set.of("1001")),
                Optional.empty(), Optional.of("ANSWERED"), OptionalInt.empty(), OptionalInt.of(2), Optional.empty(),
                Optional.of(Duration.ofHours(1)), true, 100))).containsExactly("pbx1/c1");
        assertThat(ids(new QaStore.CallQuery(from, to, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("ABANDONED"), OptionalInt.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), false, 100))).containsExactly("pbx1/c4");
        assertThat(ids(new QaStore.CallQuery(from, to, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.of(4), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), true, 100))).isEmpty();

        // Sampling sees the answered calls only, each marked recorded or not.
        assertThat(store.candidates(from, to, Optional.empty())).extracting(c -> c.callId() + ":" + c.recorded())
                .containsExactly("pbx1/c3:true", "pbx1/c2:false", "pbx1/c1:true");
        assertThat(store.candidates(from, to, Optional.of("1001"))).singleElement().satisfies(c -> {
            assertThat(c.disposition()).contains("complaint");
            assertThat(c.csat()).isEqualTo(OptionalInt.of(1));
        });
    }

    private List<String> ids(QaStore.CallQuery q) throws SQLException {
        return store.calls(q).stream().map(QaStore.CallRow::callId).toList();
    }

    @Test
    void aRecordingsHistoryIsReplayedFromItsEvents() throws SQLException {
        String file = "hotline/2026/11/10/c1-1001.wav";
        store.addRecordingEvent("c1", file, false, new LiveRecording.Event(T0, LiveRecording.Action.START, "policy"));
        store.addRecordingEvent("c1", file, false, new LiveRecording.Event(T0.plusSeconds(10),
                LiveRecording.Action.PAUSE, "alice"));
        store.addRecordingEvent("c1", file, false, new LiveRecording.Event(T0.plusSeconds(30),
                LiveRecording.Action.RESUME, "alice"));
        LiveRecording r = store.recordingHistory("c1").orElseThrow();
        assertThat(r.file()).isEqualTo(file);
        assertThat(r.state()).isEqualTo(LiveRecording.State.RECORDING);
        assertThat(r.pausedFor(T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(20));
        assertThat(store.recordingHistory("c2")).isEmpty();
    }

    @Test
    void deletionsAreReportedNewestFirst() throws SQLException {
        store.addDeletions(List.of(new Retention.StoredFile("hotline/a.wav", 100, T0),
                new Retention.StoredFile("hotline/b.wav", 200, T0)), T0.plusSeconds(100), "retention 90 days");
        store.addDeletions(List.of(new Retention.StoredFile("hotline/c.wav", 300, T0)), T0.plusSeconds(200),
                "retention 90 days");
        assertThat(store.deletions(T0, T0.plusSeconds(1000), 10)).extracting(QaStore.Deletion::file)
                .containsExactly("hotline/c.wav", "hotline/a.wav", "hotline/b.wav");
        assertThat(store.deletedAt("hotline/b.wav")).contains(T0.plusSeconds(100));
        assertThat(store.deletedAt("hotline/x.wav")).isEmpty();
    }

    @Test
    void plansAreStoredPerAgentWithADefault() throws SQLException {
        store.savePlan(QaStore.DEFAULT_PLAN, SamplingPlan.of(1, 5, "disposition:complaint", Optional.empty()), T0,
                "quinn");
        store.savePlan("1001", SamplingPlan.of(2, 4, "long:10m, low-csat:2", Optional.of("quinn")), T0, "quinn");
        assertThat(store.plans()).containsExactly(
                Map.entry("*", SamplingPlan.of(1, 5, "disposition:complaint", Optional.empty())),
                Map.entry("1001", SamplingPlan.of(2, 4, "long:10m, low-csat:2", Optional.of("quinn"))));
        assertThat(store.deletePlan("1001")).isTrue();
        assertThat(store.plans()).containsOnlyKeys("*");
    }
}
