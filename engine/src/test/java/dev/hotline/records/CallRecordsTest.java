package dev.hotline.records;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;
import dev.hotline.records.testing.Fixtures;
import dev.hotline.yaml.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.hotline.records.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole feature opened from configuration, as the engine does: embedded database, queue_log, reports. */
@Tag("slow")
class CallRecordsTest {

    @Test
    void openedFromTheEmbeddedConfigItStoresReportsAndWritesQueueLog(@TempDir Path dir) throws Exception {
        DatabaseConfig config = new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("data"), "", "",
                Secret.NONE, 2);
        RecordsSettings settings = RecordsSettings.defaults(config.dataDir()).withQueueLog(dir.resolve("queue_log"))
                .withReportZone(ZoneOffset.UTC);
        try (CallRecords records = CallRecords.open(config, settings, List.of(), new SimpleMeterRegistry(),
                InstantSource.fixed(T0.plusSeconds(3600)))) {
            assertThat(records.database().description()).endsWith("records.mv.db").startsWith("embedded database");
            assertThat(records.submit(Fixtures.fullCall("1.1", T0))).isTrue();
            assertThat(records.submit(Fixtures.change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0))).isTrue();
            assertThat(records.writer().awaitStored(Duration.ofSeconds(30))).isTrue();

            List<QueueKpis> rows = records.reports().queues(T0, T0.plusSeconds(3600), Grouping.M60, Optional.empty());
            assertThat(rows).filteredOn(r -> r.queue().equals("*")).singleElement()
                    .satisfies(r -> assertThat(r.answered()).isEqualTo(2));
        }
        assertThat(Files.exists(dir.resolve("data/records.mv.db"))).isTrue();
        assertThat(Files.readAllLines(dir.resolve("queue_log"))).hasSize(8)
                .anyMatch(l -> l.endsWith("|NONE|NONE|1001|ADDMEMBER"));
    }

    @Test
    void aPairsStandbyEngineWritesNoAgentHistoryButTheActiveOneDoes(@TempDir Path dir) throws Exception {
        DatabaseConfig config = new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("data"), "", "",
                Secret.NONE, 2);
        java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean(false);
        try (CallRecords records = CallRecords.open(config, RecordsSettings.defaults(config.dataDir()), List.of(),
                new SimpleMeterRegistry(), InstantSource.fixed(T0.plusSeconds(3600)))) {
            records.agentHistoryOnlyWhile(active::get);
            assertThat(records.submit(Fixtures.change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0)))
                    .as("dropped, not refused").isTrue();
            assertThat(records.writer().pending()).isZero();
            active.set(true);
            assertThat(records.submit(Fixtures.change("1002", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0)))
                    .isTrue();
            assertThat(records.writer().awaitStored(Duration.ofSeconds(30))).isTrue();
            try (var con = records.database().dataSource().getConnection(); var st = con.createStatement();
                 var rs = st.executeQuery("SELECT agent_id FROM agent_state_change")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("1002");
                assertThat(rs.next()).isFalse();
            }
        }
    }
}
