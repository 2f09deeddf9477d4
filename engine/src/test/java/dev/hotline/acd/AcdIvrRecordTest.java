package dev.hotline.acd;

import dev.hotline.config.AcdConfig;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.ivr.runtime.IvrCallResult;
import dev.hotline.ivr.runtime.IvrOutcome;
import dev.hotline.ivr.runtime.IvrPath;
import dev.hotline.records.CallRecords;
import dev.hotline.records.RecordsSettings;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.yaml.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the records say of a caller who hangs up in the IVR. */
class AcdIvrRecordTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void aCallerWhoHangsUpInTheIvrIsRecordedUnderTheLinkedidAsAbandonedInTheIvr(@TempDir Path dir) throws Exception {
        DatabaseConfig db = new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dir.resolve("data"), "", "", Secret.NONE,
                2);
        RecordsSettings settings = RecordsSettings.defaults(db.dataDir()).withReportZone(ZoneOffset.UTC);
        try (CallRecords records = CallRecords.open(db, settings, List.of(), new SimpleMeterRegistry(),
                InstantSource.fixed(T0.plusSeconds(60)));
             Acd acd = new Acd(AcdConfig.DEFAULTS, List.of(), List.of(), Map.of(), InstantSource.fixed(T0),
                     new SimpleMeterRegistry()).start()) {
            acd.record(new CallRecorder(records, Map.of()));
            // The IVR ran on the second channel of the call (uniqueid .6); the call's id is its linkedid (.5).
            FakeCallSession session = new FakeCallSession("1700000000.6", "1700000000.5", "main", Map.of()).hangUp();
            IvrCallResult result = new IvrCallResult("1700000000.6", "0612345678", "main", 1, T0, T0.plusSeconds(9),
                    new IvrOutcome.Hangup(IvrOutcome.Cause.CALLER, "caller hung up at main/menu"),
                    new IvrPath(List.of()), Map.of(), "en", List.of());
            acd.handle(result, session);
            assertThat(records.writer().awaitStored(Duration.ofSeconds(30))).isTrue();

            List<CallRecord> calls = records.store().calls(T0.minusSeconds(60), T0.plusSeconds(60), Duration.ZERO);
            assertThat(calls).singleElement().satisfies(c -> {
                assertThat(c.callId().linkedId()).isEqualTo("1700000000.5");
                assertThat(c.outcome()).isEqualTo(CallOutcome.IVR_ABANDONED);
                assertThat(c.hangupBy()).isEqualTo(HangupParty.CALLER);
            });
        }
    }
}
