package dev.hotline.callbacks;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiConnection;
import dev.hotline.config.CallbackConfig;
import dev.hotline.ha.Fence;
import dev.hotline.ha.FencedOutException;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.Explanation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The callbacks behind the fence of an active/standby pair: an engine that does not hold the lease stores no
 * callback change and dials nothing (the active one does both).
 */
@Tag("slow")
class CallbacksFenceTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;
    private TestDatabase db;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final AtomicInteger guarded = new AtomicInteger();
    private final List<Command> posted = new CopyOnWriteArrayList<>();
    private final AtomicInteger amiAsked = new AtomicInteger();

    /** A fence the test turns on and off; its guard counts the transactions it joined. */
    private final Fence fence = new Fence() {
        @Override
        public boolean mayAct() {
            return active.get();
        }

        @Override
        public long number() {
            return 7;
        }

        @Override
        public void guard(Connection con, String what) throws FencedOutException {
            assertThat(con).satisfies(c -> assertThat(c.getAutoCommit()).as("inside the writer's transaction")
                    .isFalse());
            if (!active.get()) {
                throw new FencedOutException(what + ": refused, engine b is standby");
            }
            guarded.incrementAndGet();
        }
    };

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aStandbyStoresNoCallbackAndTheActiveStoresEachChangeWithTheGuard() throws Exception {
        CallbackStore store = new CallbackStore(db.database().dataSource(), fence);
        Callback a = Callback.queued("a", "support", "0611111111", "", NOW);
        store.insert(a);
        store.update(a.notBefore(NOW.plusSeconds(60), "busy"));
        assertThat(guarded).hasValue(2);

        active.set(false);
        assertThatThrownBy(() -> store.insert(Callback.queued("b", "support", "0622222222", "", NOW)))
                .isInstanceOf(FencedOutException.class).hasMessage("callback b: refused, engine b is standby");
        assertThatThrownBy(() -> store.update(a.finished(Callback.Status.CANCELLED, NOW, Optional.empty(), "x", 0)))
                .isInstanceOf(FencedOutException.class);
        assertThatThrownBy(() -> store.insertScheduled(Callback.scheduled("sched-1", "sales", "0633333333", NOW,
                NOW.plusSeconds(3600), Optional.of("1004"), "quote"), Optional.empty()))
                .isInstanceOf(FencedOutException.class);
        assertThat(store.find("b")).as("rolled back").isEmpty();
        assertThat(store.find("sched-1")).isEmpty();
        assertThat(store.find("a")).get().extracting(Callback::status).isEqualTo(Callback.Status.PENDING);
        assertThat(store.find("a").get().lastResult()).isEqualTo("busy");
    }

    @Test
    void anEngineThatLostTheLeaseDoesNotDialAnOfferedCallback() throws Exception {
        CallbackStore store = new CallbackStore(db.database().dataSource(), fence);
        store.insert(Callback.queued("a", "support", "0611111111", "", NOW.minusSeconds(60)));
        CallbackConfig config = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk", Duration.ofSeconds(30),
                3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "");
        Callbacks callbacks = new Callbacks(config, store, InstantSource.fixed(NOW), Optional.empty(),
                new Callbacks.Port() {
                    @Override
                    public void post(Command command) {
                        posted.add(command);
                    }

                    @Override
                    public Optional<String> endpointOf(String agentId) {
                        return Optional.of("PJSIP/" + agentId);
                    }

                    @Override
                    public Duration ringTimeout(String queue) {
                        return Duration.ofSeconds(15);
                    }

                    @Override
                    public Optional<AmiConnection> ami() {
                        amiAsked.incrementAndGet();
                        return Optional.empty();
                    }

                    @Override
                    public void emit(CallEvent event) {
                    }
                }, new SimpleMeterRegistry());
        try {
            callbacks.start(Duration.ZERO);
            callbacks.sync(callbacks::tick);
            assertThat(posted).hasSize(1).first().isInstanceOf(Command.Enqueue.class);
            posted.clear();

            active.set(false);   // the lease ran out while the core offered it
            callbacks.offered(new Decision.Offer("a", "1001", "support", NOW.plusSeconds(15),
                    new Explanation("longest-idle", "idle", 1, 1, List.of())));
            callbacks.sync(() -> { });
            assertThat(amiAsked).as("no AMI action prepared").hasValue(0);
            assertThat(posted).containsExactly(new Command.Leave("a", "engine not active"));
            assertThat(store.find("a")).get().extracting(Callback::attempts).isEqualTo(0);
        } finally {
            callbacks.close();
        }
    }
}
