package dev.hotline.ami;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.config.AmiServerConfig;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.asteriskjava.manager.event.AttendedTransferEvent;
import org.junit.jupiter.api.Test;

/** asterisk-java's AttendedTransferEvent becomes an {@link AmiEvent.AttendedTransfer} with the fields Acd matches on. */
class AttendedTransferEventTest {

    private final AmiConnection connection = new AmiConnection(new AmiServerConfig("pbx1", "127.0.0.1", 5038, "acd",
            Secret.of("x"), Duration.ofSeconds(1)),
            new Scheduler(new ManualTimer(Instant.EPOCH)), InstantSource.system(),
            () -> true);

    @Test
    void translatesTheTransferersTheTransfereeTheTargetAndTheResult() {
        AttendedTransferEvent e = new AttendedTransferEvent(this);
        e.setOrigTransfererChannel("PJSIP/1004-00000002");
        e.setSecondTransfererChannel("PJSIP/1004-00000002");
        e.setTransfereeChannel("PJSIP/trunk-00000001");
        e.setTransferTargetChannel("Local/1005@hotline-transfer-00000003;1");
        e.setDestType("Bridge");
        e.setResult("Success");

        AmiEvent.AttendedTransfer t = connection.attendedTransfer(e);

        assertThat(t).isEqualTo(new AmiEvent.AttendedTransfer("pbx1", "PJSIP/1004-00000002", "PJSIP/1004-00000002",
                "PJSIP/trunk-00000001", "Local/1005@hotline-transfer-00000003;1", "Bridge", "Success"));
        assertThat(t.succeeded()).isTrue();
    }

    @Test
    void aFailedOrIncompleteEventIsNotASuccessAndHasNoNulls() {
        AttendedTransferEvent e = new AttendedTransferEvent(this);
        e.setResult("Fail");
        AmiEvent.AttendedTransfer t = connection.attendedTransfer(e);
        assertThat(t.succeeded()).isFalse();
        assertThat(t.origTransfererChannel()).isEmpty();
        assertThat(t.transferTargetChannel()).isEmpty();
        assertThat(new AmiEvent.AttendedTransfer("pbx1", null, null, null, null, null, null).succeeded()).isFalse();
    }
}
