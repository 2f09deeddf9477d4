package dev.hotline.records.report;

import dev.hotline.config.QueueConfig;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.hotline.records.report.ScriptedDay.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scripted morning stored in a real database (both kinds) gives the hand-computed figures. */
@Tag("slow")
abstract class ReportsContract {

    @TempDir
    Path dir;

    TestDatabase db;
    Reports reports;

    abstract TestDatabase.Kind kind();

    static QueueConfig queue(String name, int slSeconds) {
        return new QueueConfig(name, Map.of(name, 1), 0, 80, Duration.ofSeconds(slSeconds), Duration.ofMinutes(3),
                100, Duration.ofSeconds(15), Duration.ofSeconds(15), QueueConfig.Strategy.LONGEST_IDLE,
                new dev.hotline.config.QueueTarget(dev.hotline.config.QueueTarget.Kind.HANGUP, ""), Map.of(),
                java.util.List.of());
    }

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.open(kind(), dir);
        List<RecordEntry> all = new ArrayList<>(ScriptedDay.calls());
        all.addAll(ScriptedDay.changes());
        db.store().write(all);
        reports = new Reports(db.store(), InstantSource.fixed(at("10:30:00")), ZoneOffset.UTC,
                List.of(queue("support", 20), queue("billing", 30)), Map.of(), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void queueReportFromTheDatabaseMatchesTheHandComputation() throws Exception {
        List<QueueKpis> rows = reports.queues(at("09:00:00"), at("10:00:00"), Grouping.M30, Optional.empty());

        QueueKpis k = KpiCalculatorTest.row(rows, "09:00:00", "support");
        assertThat(k.offered()).isEqualTo(6);
        assertThat(k.shortAbandoned()).isEqualTo(1);
        assertThat(k.serviceLevelExcludingShortAbandons().getAsDouble()).isEqualTo(0.6);
        assertThat(k.asa()).isEqualTo(Duration.ofMillis(17_750));
        assertThat(k.transfers()).isEqualTo(1);
        assertThat(KpiCalculatorTest.row(rows, "09:00:00", "*").ivrContained()).isEqualTo(1);
        assertThat(KpiCalculatorTest.row(rows, "09:30:00", "billing").answeredWithinSl()).isEqualTo(1);
    }

    @Test
    void aQueueRetargetedWhileRunningIsReportedWithItsNewTarget() throws Exception {
        Map<String, QueueConfig> live = new java.util.concurrent.ConcurrentHashMap<>(
                Map.of("support", queue("support", 20)));
        Reports liveReports = reports.withLiveQueues(() -> live);
        long before = KpiCalculatorTest.row(liveReports.queues(at("09:00:00"), at("10:00:00"), Grouping.M30,
                Optional.empty()), "09:00:00", "support").answeredWithinSl();
        live.put("support", queue("support", 300));   // an admin gives support a 5-minute threshold
        long after = KpiCalculatorTest.row(liveReports.queues(at("09:00:00"), at("10:00:00"), Grouping.M30,
                Optional.empty()), "09:00:00", "support").answeredWithinSl();
        assertThat(before).isEqualTo(KpiCalculatorTest.row(reports.queues(at("09:00:00"), at("10:00:00"),
                Grouping.M30, Optional.empty()), "09:00:00", "support").answeredWithinSl());
        assertThat(after).isGreaterThan(before);
    }

    @Test
    void agentAndIvrReportsFromTheDatabase() throws Exception {
        List<AgentKpis> agents = reports.agents(at("09:00:00"), at("09:30:00"), Grouping.M30, Optional.of("north"),
                false);
        assertThat(agents).filteredOn(a -> a.agentId().equals("a1")).singleElement().satisfies(a -> {
            assertThat(a.readyMs()).isEqualTo(450_000);
            assertThat(a.noAnswers()).isEqualTo(1);
        });
        List<IvrNodeKpis> nodes = reports.ivrNodes(at("09:00:00"), at("10:00:00"), Grouping.DAY);
        assertThat(nodes).extracting(IvrNodeKpis::node).containsExactly("info.hours", "main.menu");
    }

    @Test
    void anEmptyOrInvertedRangeIsRejectedWithTheRange() {
        assertThatThrownBy(() -> reports.queues(at("10:00:00"), at("09:00:00"), Grouping.DAY, Optional.empty()))
                .hasMessage("range: from 2025-03-03T10:00:00Z to 2025-03-03T09:00:00Z (expected: from < to)");
    }
}
