package dev.hotline.acd;

import dev.hotline.callbacks.Callback;
import dev.hotline.callbacks.CallbackStore;
import dev.hotline.callbacks.Callbacks;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.RoutingCore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callbacks through a real {@link Acd} and its routing core (no Asterisk: nothing is dialled): what happens when the
 * core refuses to take a callback back into routing.
 */
@Tag("slow")
class AcdCallbacksTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final QueueConfig SALES = QueueConfig.simple("sales", Map.of("sales", 1));

    @TempDir
    Path dir;
    TestDatabase db;
    Acd acd;
    Callbacks callbacks;
    /** The callbacks' clock (their timer and retry delays); the ACD runs on the system clock. */
    final AtomicReference<Instant> now = new AtomicReference<>(T0);

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
        AgentConfig agent = new AgentConfig("1001", "Agent 1001", List.of("PJSIP/1001"), Map.of("sales", 5),
                Set.of("team-a"), "hq", Set.of("en"));
        acd = new Acd(AcdConfig.DEFAULTS, List.of(SALES), List.of(agent), Map.of(), InstantSource.system(),
                new SimpleMeterRegistry()).start();
        callbacks = new Callbacks(AcdConfig.DEFAULTS.callback(), new CallbackStore(db.database().dataSource()),
                (InstantSource) now::get, Optional.empty(), acd.callbackPort(), new SimpleMeterRegistry());
        acd.callbacks(callbacks);
        callbacks.start(Duration.ZERO);
    }

    @AfterEach
    void close() throws Exception {
        callbacks.close();
        acd.close();
        db.close();
    }

    /** The calls the routing core has waiting now (after everything posted so far was applied). */
    private List<String> waiting() throws Exception {
        return acd.waitingCalls().get(5, TimeUnit.SECONDS).stream().map(RoutingCore.WaitingCall::callId).toList();
    }

    private void tickAt(Instant at) throws Exception {
        now.set(at);
        callbacks.sync(callbacks::tick);
        waiting();   // the loop has applied what the tick posted, and the callbacks heard of any refusal
        callbacks.sync(() -> { });
    }

    @Test
    void aCallbackRefusedByADisabledQueueIsEnqueuedOnceTheQueueIsEnabledAgain() throws Exception {
        acd.disableQueue("sales", "test");
        Callback c = callbacks.schedule("sales", "0612345678", T0, Optional.empty(), "quote", Optional.empty());
        tickAt(T0);
        assertThat(waiting()).as("the disabled queue refused it").doesNotContain(c.id());

        acd.defineQueue(SALES, false);
        tickAt(T0.plus(Duration.ofMinutes(1)));
        assertThat(waiting()).as("taken back into routing at a later tick").contains(c.id());
        assertThat(callbacks.pending()).extracting(Callback::id).contains(c.id());
    }

    @Test
    void aCallbackForAQueueTheCoreDoesNotKnowYetIsEnqueuedOnceTheQueueIsDefined() throws Exception {
        // The start-up race: callbacks are loaded before the directory defines a queue created from the API.
        Callback c = callbacks.schedule("vip", "0612345678", T0, Optional.empty(), "", Optional.empty());
        tickAt(T0);
        assertThat(waiting()).doesNotContain(c.id());
        acd.defineQueue(QueueConfig.simple("vip", Map.of("sales", 1)), false);
        tickAt(T0.plus(Duration.ofMinutes(1)));
        assertThat(waiting()).contains(c.id());
    }
}
