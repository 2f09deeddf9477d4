package dev.hotline.acd;

import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.config.QueueTarget;
import dev.hotline.routing.EscalationStep;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ACD defines the configured queues in the routing core move targets first, whatever their order. */
class AcdQueueOrderTest {

    private Acd acd;

    @AfterEach
    void close() {
        if (acd != null) {
            acd.close();
        }
    }

    private static QueueConfig queue(String name, String... moveTo) {
        List<EscalationStep> steps = java.util.Arrays.stream(moveTo)
                .map(t -> (EscalationStep) new EscalationStep.MoveToQueue(Duration.ofSeconds(30), t)).toList();
        return new QueueConfig(name, Map.of(), 0, 80, Duration.ofSeconds(20), Duration.ofMinutes(3), 100,
                Duration.ZERO, Duration.ofSeconds(15), QueueConfig.Strategy.LONGEST_IDLE,
                new QueueTarget(QueueTarget.Kind.HANGUP, ""), Map.of(), steps);
    }

    /** Every queue the routing core knows: an agent with no skills and no membership counts for all of them. */
    private List<String> coreQueues() throws Exception {
        return acd.queuesOf("probe").get(5, TimeUnit.SECONDS);
    }

    private Acd start(List<QueueConfig> queues) {
        AgentConfig probe = new AgentConfig("probe", "Probe", List.of("PJSIP/probe"), Map.of(), Set.of(), "", Set.of());
        acd = new Acd(AcdConfig.DEFAULTS, queues, List.of(probe), Map.of(), InstantSource.system(),
                new SimpleMeterRegistry()).start();
        return acd;
    }

    @Test
    void aQueueMovingCallsToOneThatSortsAfterItIsDefined() throws Exception {
        start(List.of(queue("z-overflow"), queue("a-main", "z-overflow")));
        assertThat(coreQueues()).containsExactly("a-main", "z-overflow");
    }

    @Test
    void aMoveTargetListedLaterInTheFileIsDefinedFirst() throws Exception {
        start(List.of(queue("main", "overflow", "last-resort"), queue("overflow", "last-resort"),
                queue("last-resort")));
        assertThat(coreQueues()).containsExactly("last-resort", "main", "overflow");
    }

    @Test
    void aQueueTheCoreWouldRefuseIsRefusedLiveAndChangesNothing() throws Exception {
        start(List.of(queue("sales")));
        QueueConfig self = queue("vip", "vip");
        assertThatThrownBy(() -> acd.defineQueue(self, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("move to vip");
        assertThat(acd.queueConfigs()).containsOnlyKeys("sales");
        assertThat(coreQueues()).containsExactly("sales");
    }
}
