package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlendingTest {

    @Test
    void outboundWaitsWhileAnInboundQueueMissesItsServiceLevel() {
        var d = Blending.decide(List.of(new Blending.InboundQueue("support", 95, 80, 0, 0, 20),
                new Blending.InboundQueue("sales", 72.4, 80, 1, 3, 20)));
        assertThat(d.outboundAllowed()).isFalse();
        assertThat(d.why()).isEqualTo("inbound first: queue sales at service level 72% (target 80%)");
    }

    @Test
    void outboundWaitsWhileACallerHasWaitedTheServiceLevelTime() {
        var d = Blending.decide(List.of(new Blending.InboundQueue("support", 100, 80, 2, 25, 20)));
        assertThat(d.outboundAllowed()).isFalse();
        assertThat(d.why()).contains("caller waiting 25 s");
    }

    @Test
    void outboundRunsWhenEveryInboundQueueIsHealthy() {
        var d = Blending.decide(List.of(new Blending.InboundQueue("support", 90, 80, 1, 5, 20)));
        assertThat(d).isEqualTo(new Blending.Decision(true, "every inbound queue meets its service level"));
        assertThat(Blending.decide(List.of()).outboundAllowed()).isTrue();
    }
}
