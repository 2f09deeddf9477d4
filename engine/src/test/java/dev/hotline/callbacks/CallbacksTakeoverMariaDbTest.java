package dev.hotline.callbacks;

import dev.hotline.events.CallEvent;
import dev.hotline.ami.AmiConnection;
import dev.hotline.ami.AmiEvent;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.HaConfig;
import dev.hotline.ha.FreezableTicker;
import dev.hotline.ha.LeaseStore;
import dev.hotline.ha.Leadership;
import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.Explanation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: a takeover while callbacks are being dialled dials each callback once. Two engines' leadership and
 * callback diallers on one MariaDB: engine a claims and dials two of four callbacks, then freezes (its clock stops:
 * a paused VM; to its own eyes it still holds the lease); b takes over, dials a third and leaves the two being
 * dialled alone; a, resuming, is refused by the fence at its claim and dials nothing. Once the ring times of the
 * stopped attempts have passed, b counts them as attempts with an unknown outcome and retries them later, as after no
 * answer.
 */
@MariaDbTest
class CallbacksTakeoverMariaDbTest {

    private static final HaConfig HA = new HaConfig(true, Duration.ofSeconds(1), Duration.ofMillis(300),
            Duration.ofMillis(100), "");
    private static final CallbackConfig CONFIG = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk",
            Duration.ofSeconds(30), 3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "");

    private TestDatabase db;
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** Every Originate either engine sent: "engine callback agent". */
    private final List<String> dials = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.mariaDb();
        db.database().migrate();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        db.close();
    }

    /** One engine: its lease (with a clock the test can freeze), its callbacks and what it posted to its ACD. */
    private final class Engine implements Callbacks.Port {
        final String name;
        final FreezableTicker ticker = new FreezableTicker();
        final Leadership lease;
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        final List<Command> posted = new CopyOnWriteArrayList<>();
        Callbacks callbacks;

        Engine(String name) {
            this.name = name;
            lease = new Leadership(HA.withUrl("http://" + name + ":8080/"), name, new LeaseStore(
                    db.database().dataSource(), InstantSource.system(), Duration.ofSeconds(1)), ticker,
                    InstantSource.system(), new SimpleMeterRegistry());
            opened.add(lease::abandon);
        }

        Engine startCallbacks() throws Exception {
            callbacks = new Callbacks(CONFIG, new CallbackStore(db.database().dataSource(), lease), now::get,
                    Optional.empty(), this, new SimpleMeterRegistry()).start(Duration.ZERO);
            opened.add(callbacks);
            return this;
        }

        void offer(String callback, String agent) throws InterruptedException {
            callbacks.offered(new Decision.Offer(callback, agent, "support", now.get().plusSeconds(15),
                    new Explanation("longest-idle", "idle", 1, 1, List.of())));
            callbacks.sync(() -> { });
        }

        List<String> enqueued() {
            return posted.stream().filter(c -> c instanceof Command.Enqueue).map(c -> ((Command.Enqueue) c).call()
                    .id()).sorted().toList();
        }

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
            return Optional.empty();
        }

        @Override
        public Optional<Callbacks.Dialler> dialler() {
            // The attempt rings on: its outcome never comes back to this engine.
            return Optional.of((channel, context, exten, timeout, callerId, vars) -> {
                dials.add(name + " " + exten + " " + channel);
                return new CompletableFuture<AmiEvent.OriginateResult>();
            });
        }

        @Override
        public void emit(CallEvent event) {
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(10);   // another thread's state, not timing
        }
    }

    @Test
    void aTakeoverWhileCallbacksAreDialledDialsEachOnce() throws Exception {
        Engine a = new Engine("a");
        a.lease.start();
        await("a to take the free lease", a.lease::mayAct);
        Engine b = new Engine("b");
        b.lease.start();
        await("b to see a hold it", () -> b.lease.status().activeEngine().equals("a"));

        Instant due = a.now.get().minusSeconds(60);
        CallbackStore store = new CallbackStore(db.database().dataSource(), a.lease);
        for (String id : List.of("cb0", "cb1", "cb2", "cb3")) {
            store.insert(Callback.queued(id, "support", "060000000" + id.substring(2), "", due));
        }
        a.startCallbacks();
        a.callbacks.sync(a.callbacks::tick);
        assertThat(a.enqueued()).containsExactly("cb0", "cb1", "cb2", "cb3");

        // a dials cb1 and cb2, which ring on (their outcome never comes back to a).
        a.offer("cb1", "1001");
        a.offer("cb2", "1002");
        assertThat(dials).containsExactly("a cb1 PJSIP/1001", "a cb2 PJSIP/1002");
        assertThat(store.claims()).containsOnlyKeys("cb1", "cb2")
                .allSatisfy((id, claim) -> assertThat(claim.fence()).isEqualTo(1));

        // a freezes past its lease; b takes over and starts its dialler from the database.
        a.ticker.freeze();
        await("b to take over", b.lease::mayAct);
        assertThat(b.lease.status().fence()).isEqualTo(2);
        assertThat(a.lease.mayAct()).as("a's own view is stale").isTrue();
        b.startCallbacks();
        b.callbacks.sync(b.callbacks::tick);
        assertThat(b.enqueued()).as("the callbacks being dialled stay out of routing").containsExactly("cb0", "cb3");
        b.offer("cb3", "1003");
        assertThat(b.callbacks.store().claims().get("cb3").fence()).isEqualTo(2);

        // The core offers one being dialled anyway (it should not): the claim of term 1 stops it.
        b.offer("cb1", "1005");
        assertThat(b.posted).contains(new Command.Leave("cb1", "being dialled by an earlier attempt"));

        // a, still frozen, acts on its stale view: its core offers cb3 and cb0 — the fence refuses its claims.
        a.offer("cb3", "1004");
        a.offer("cb0", "1006");
        assertThat(a.posted).contains(new Command.Leave("cb3", "engine not active"),
                new Command.Leave("cb0", "engine not active"));

        assertThat(dials).as("each callback dialled once across the takeover")
                .containsExactly("a cb1 PJSIP/1001", "a cb2 PJSIP/1002", "b cb3 PJSIP/1003");

        // Ring times (agent 15 s + customer 30 s + margin) not yet past: still held.
        b.now.set(b.now.get().plus(Duration.ofSeconds(40)));
        b.callbacks.sync(b.callbacks::tick);
        assertThat(b.callbacks.store().find("cb1")).get().extracting(Callback::attempts).isEqualTo(0);

        b.now.set(b.now.get().plus(Duration.ofSeconds(60)));
        b.callbacks.sync(b.callbacks::tick);
        for (String id : List.of("cb1", "cb2")) {
            Callback c = b.callbacks.store().find(id).orElseThrow();
            assertThat(c.status()).isEqualTo(Callback.Status.PENDING);
            assertThat(c.attempts()).as("the stopped attempt counts").isEqualTo(1);
            assertThat(c.lastResult()).isEqualTo("unknown: the engine of term 1 stopped during the attempt");
            assertThat(c.notBefore()).as("retried as after no answer").isAfter(b.now.get().plusSeconds(590));
        }
        assertThat(b.callbacks.store().claims()).as("cb3 rings on with b").containsOnlyKeys("cb3");
        assertThat(b.callbacks.store().find("cb0")).get().extracting(Callback::attempts).isEqualTo(0);
        assertThat(dials).hasSize(3);
    }
}
