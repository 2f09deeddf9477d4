package dev.hotline.ami;

import dev.hotline.config.AmiServerConfig;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A pair's standby engine sends no AMI action: each fails at once, saying why, and nothing is sent. */
class AmiStandbyGateTest {

    private final AtomicBoolean active = new AtomicBoolean(false);
    private final AmiConnection connection = new AmiConnection(new AmiServerConfig("pbx1", "127.0.0.1", 5038,
            "hotline", Secret.NONE, Duration.ofSeconds(1)),
            new Scheduler(new ManualTimer(Instant.EPOCH)), InstantSource.system(),
            active::get);

    private static void refusedAsStandby(CompletableFuture<?> f, String what) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AmiException.class)
                .hasMessage("AMI pbx1: this engine is standby (it does not hold the lease of the pair) and sends no"
                        + " actions; cannot " + what);
    }

    @Test
    void everyCallChangingActionIsRefusedWhileStandby() {
        refusedAsStandby(connection.redirect("PJSIP/9000-1", "hotline-connect", "c1"),
                "Redirect PJSIP/9000-1 to hotline-connect,c1,1");
        refusedAsStandby(connection.originate("PJSIP/1001", "hotline-callback", "cb1", Duration.ofSeconds(20), "",
                Map.of()), "originate PJSIP/1001");
        refusedAsStandby(connection.hangup("PJSIP/9000-1"), "Hangup PJSIP/9000-1");
    }

    @Test
    void onceActiveTheActionsGoToAsteriskAgain() {
        active.set(true);
        // Not connected in this test: the refusal is now AMI's own, no longer the standby's.
        assertThatThrownBy(() -> connection.redirect("PJSIP/9000-1", "hotline-connect", "c1").get(5,
                TimeUnit.SECONDS)).cause().hasMessageContaining("AMI pbx1 is down").hasMessageNotContaining("standby");
    }
}
