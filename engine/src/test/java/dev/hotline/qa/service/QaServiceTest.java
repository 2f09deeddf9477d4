package dev.hotline.qa.service;

import dev.hotline.acd.Acd;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QaConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.qa.LiveRecording;
import dev.hotline.qa.RecordingPolicy;
import dev.hotline.qa.store.QaStore;
import dev.hotline.records.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The QA service's recording hook and retention, on H2 and a temporary recordings folder, with a fake clock. */
@Tag("slow")
class QaServiceTest {

    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");
    static final QueueConfig SUPPORT = new QueueConfig("support", Map.of("support", 1), 0, 80, Duration.ofSeconds(20),
            Duration.ofMinutes(3), 100, Duration.ofSeconds(15), Duration.ofSeconds(15),
            QueueConfig.Strategy.LONGEST_IDLE, new QueueTarget(
            QueueTarget.Kind.HANGUP, ""), Map.of(), List.of(), Optional.empty(), true);
    static final QueueConfig SALES = QueueConfig.simple("sales", Map.of("sales", 1));

    @TempDir
    Path dir;
    Path recordings;
    TestDatabase db;
    Acd acd;
    QaService qa;
    final AtomicReference<Instant> now = new AtomicReference<>(NOW);

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        recordings = Files.createDirectories(dir.resolve("monitor"));
        AgentConfig agent = new AgentConfig("1001", "Agent 1001", List.of("PJSIP/1001"), Map.of("support", 5),
                Set.of("team-a"), "hq", Set.of("en"));
        acd = new Acd(AcdConfig.DEFAULTS, List.of(SUPPORT, SALES), List.of(agent), Map.of(), InstantSource.system(),
                new SimpleMeterRegistry()).start();
        qa = new QaService(QaConfig.DEFAULTS.withRecordingsDir(recordings).withRetentionDays(90), db.database(), acd,
                now::get, ZoneOffset.UTC).start();
        assertThat(qa.awaitReady(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void close() throws Exception {
        qa.close();
        acd.close();
        db.close();
    }

    @Test
    void withoutAPolicyAQueueRecordsByItsFlagAndAStoredPolicyTakesOver() throws Exception {
        assertThat(qa.recordingFor("support", true, "pbx1", "1732.1", "1001", NOW))
                .contains("hotline/2026/12/01/1732.1-1001.wav");
        assertThat(qa.liveRecording("1732.1")).hasValueSatisfying(r -> {
            assertThat(r.callId()).as("events are kept under the call record's id").isEqualTo("pbx1/1732.1");
            assertThat(r.state()).isEqualTo(LiveRecording.State.RECORDING);
        });
        assertThat(qa.recordingFor("sales", false, "pbx1", "1732.2", "1001", NOW)).isEmpty();
        assertThat(qa.policyFor("support").mode()).isEqualTo(RecordingPolicy.Mode.ALL);

        qa.savePolicy(RecordingPolicy.sample("sales", 50, RecordingPolicy.OnDemand.AGENT), "root");
        long recorded = IntStream.range(0, 2000).filter(i -> qa.recordingFor("sales", false, "pbx1", "1733." + i,
                "1001", NOW).isPresent()).count();
        assertThat(recorded).isBetween(900L, 1100L);
        assertThat(qa.effectivePolicies()).containsOnlyKeys("sales", "support");
        assertThat(qa.storedPolicy("sales")).isTrue();
        assertThat(qa.resetPolicy("sales")).isTrue();
        assertThat(qa.policyFor("sales").mode()).isEqualTo(RecordingPolicy.Mode.NONE);
    }

    @Test
    void aRecordingAsteriskRefusedIsNotLive() {
        qa.recordingFor("support", true, "pbx1", "1732.1", "1001", NOW);
        qa.failed("1732.1", "hotline/2026/12/01/1732.1-1001.wav", "MixMonitor returned -1");
        assertThat(qa.liveRecording("1732.1")).isEmpty();
    }

    @Test
    void theRecordingsStartIsStoredUnderTheCallRecordsId() throws Exception {
        qa.recordingFor("support", true, "pbx1", "1732.7", "1001", NOW);
        QaStore store = qa.store();
        long end = System.nanoTime() + 5_000_000_000L;
        while (store.recordingHistory("pbx1/1732.7").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);   // written on the qa thread
        }
        assertThat(store.recordingHistory("pbx1/1732.7")).hasValueSatisfying(r -> assertThat(r.events())
                .singleElement().satisfies(e -> assertThat(e.by()).isEqualTo("policy")));
    }

    @Test
    void controlNeedsTheAgentOnACall() {
        assertThat(qa.control("1001", LiveRecording.Action.PAUSE, RecordingPolicy.Actor.AGENT, "alice"))
                .failsWithin(Duration.ofSeconds(1)).withThrowableThat().havingCause()
                .isInstanceOf(QaService.Refused.class).withMessage("agent 1001 is not on a call");
    }

    private Path recording(String name, Duration age) throws Exception {
        Path p = recordings.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[1234]);
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
        return p;
    }

    @Test
    void retentionDeletesHotlinesExpiredRecordingsAndReportsThem() throws Exception {
        Path old = recording("hotline/2026/08/01/a-1001.wav", Duration.ofDays(122));
        Path fresh = recording("hotline/2026/11/30/b-1001.wav", Duration.ofDays(1));
        Path notOurs = recording("other/2026/old.wav", Duration.ofDays(400));
        QaService.RetentionRun run = qa.runRetention();
        assertThat(run.cutoff()).contains(Instant.parse("2026-09-02T03:00:00Z"));
        assertThat(run.deleted()).extracting(f -> f.name()).containsExactly("hotline/2026/08/01/a-1001.wav");
        assertThat(run.reported()).isTrue();
        assertThat(old).doesNotExist();
        assertThat(old.getParent()).as("the emptied day folder").doesNotExist();
        assertThat(fresh).exists();
        assertThat(notOurs).as("files outside hotline/ are not Hotline's to delete").exists();
        assertThat(qa.store().deletions(NOW.minusSeconds(1), NOW.plusSeconds(1), 10)).singleElement()
                .satisfies(d -> {
                    assertThat(d.file()).isEqualTo("hotline/2026/08/01/a-1001.wav");
                    assertThat(d.size()).isEqualTo(1234);
                    assertThat(d.reason()).isEqualTo("retention 90 days");
                });
        assertThat(qa.runRetention().deleted()).as("nothing left to delete").isEmpty();
    }

    @Test
    void aDeletionIsReportedLaterWhenTheDatabaseIsDown() throws Exception {
        recording("hotline/2026/08/01/a-1001.wav", Duration.ofDays(122));
        db.switchable().off();
        QaService.RetentionRun down = qa.runRetention();
        assertThat(down.deleted()).hasSize(1);
        assertThat(down.reported()).isFalse();
        db.switchable().on();
        now.set(NOW.plusSeconds(3600));
        assertThat(qa.runRetention().reported()).isTrue();
        assertThat(qa.store().deletions(NOW, NOW.plusSeconds(7200), 10)).extracting(QaStore.Deletion::file)
                .containsExactly("hotline/2026/08/01/a-1001.wav");
    }
}
