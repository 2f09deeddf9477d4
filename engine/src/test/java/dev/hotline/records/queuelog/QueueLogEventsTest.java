package dev.hotline.records.queuelog;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.hotline.records.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueueLogEventsTest {

    @Test
    void aTransferredCallGivesTheLinesAppQueueWouldHaveWritten() {
        List<String> lines = QueueLogEvents.forCall(Fixtures.fullCall("1741.7", T0)).stream()
                .map(QueueLogEvent::line).toList();
        long t = T0.getEpochSecond();

        assertThat(lines).containsExactly(
                (t + 20) + "|pbx1/1741.7|support|NONE|ENTERQUEUE||+8613800138000",
                (t + 37) + "|pbx1/1741.7|support|1001|RINGNOANSWER|15000",
                (t + 41) + "|pbx1/1741.7|support|1002|CONNECT|21|pbx1/1741.7|4",
                (t + 191) + "|pbx1/1741.7|support|1002|TRANSFER|billing|hotline|21|150|1",
                (t + 191) + "|pbx1/1741.7|billing|NONE|ENTERQUEUE||+8613800138000",
                (t + 200) + "|pbx1/1741.7|billing|2001|CONNECT|9|pbx1/1741.7|5",
                (t + 260) + "|pbx1/1741.7|billing|2001|COMPLETECALLER|9|60|1");
    }

    @Test
    void anAbandonAndAgentTransitions() {
        assertThat(QueueLogEvents.forCall(Fixtures.abandoned("9.1", T0, "sales", 30))).extracting(QueueLogEvent::line)
                .containsExactly((T0.getEpochSecond() + 10) + "|pbx1/9.1|sales|NONE|ENTERQUEUE||5551234",
                        (T0.getEpochSecond() + 40) + "|pbx1/9.1|sales|NONE|ABANDON|1|1|30");
        assertThat(QueueLogEvents.forAgent(Fixtures.change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, T0)))
                .extracting(QueueLogEvent::event).containsExactly("ADDMEMBER");
        assertThat(QueueLogEvents.forAgent(Fixtures.change("1001", AgentPhase.READY, AgentPhase.ON_CALL, T0)))
                .isEmpty();
    }

    @Test
    void theWriterAppendsLinesAndFieldsCannotBreakTheFormat(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log/queue_log");
        try (QueueLogWriter w = QueueLogWriter.open(file)) {
            w.write(QueueLogEvents.forCall(Fixtures.abandoned("9.2", T0, "sales", 3)));
        }
        try (QueueLogWriter w = QueueLogWriter.open(file)) {
            w.write(QueueLogEvents.forAgent(Fixtures.change("1001", AgentPhase.READY, AgentPhase.LOGGED_OUT, T0)));
        }
        assertThat(Files.readAllLines(file)).hasSize(3).last().asString().endsWith("|NONE|NONE|1001|REMOVEMEMBER");
        assertThatThrownBy(() -> new QueueLogEvent(T0, "x|y", "q", "a", "PAUSE", List.of()))
                .hasMessage("callId: 'x|y' (expected: no '|' or line break)");
    }
}
