package dev.hotline.ami;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.config.AmiServerConfig;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.asteriskjava.manager.event.DialEndEvent;
import org.junit.jupiter.api.Test;

/** DialEnd as Asterisk 22 sends it: from a dialplan Dial (caller channel present) and from an Originate (Dest only). */
class DialEndEventTest {

    private final AmiConnection connection = new AmiConnection(new AmiServerConfig("pbx1", "127.0.0.1", 5038, "acd",
            Secret.of("x"), Duration.ofSeconds(1)),
            new Scheduler(new ManualTimer(Instant.EPOCH)), InstantSource.system(),
            () -> true);

    @Test
    void anOriginatesOwnDialHasNoCallerChannelAndIsNotPassedOn() {
        // asterisk-22-transcripts/03_originate_fastagi_exitonhangup.txt: only Dest* headers and DialStatus.
        DialEndEvent e = new DialEndEvent(this);
        e.setDestChannel("Local/5550003@from-pstn-agi-exit-00000007;1");
        e.setDestUniqueId("1795436596.14");
        e.setDialStatus("ANSWER");
        assertThat(connection.dialEnded(e)).isEmpty();
    }

    @Test
    void aDialplanDialIsTranslatedWithNoNulls() {
        DialEndEvent e = new DialEndEvent(this);
        e.setChannel("PJSIP/pstn-00000001");
        e.setUniqueId("1795436596.1");
        e.setDestChannel("PJSIP/1001-00000002");
        assertThat(connection.dialEnded(e)).contains(new AmiEvent.DialEnded("pbx1", "PJSIP/pstn-00000001",
                "1795436596.1", "PJSIP/1001-00000002", ""));
    }
}
