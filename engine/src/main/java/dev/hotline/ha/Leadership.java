package dev.hotline.ha;

import dev.hotline.config.HaConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This engine's side of the leadership lease of a pair: runs {@link LeaseMachine} against {@link LeaseStore} on its
 * own thread ({@code ha-lease}), and is the {@link Fence} the writers check.
 *
 * <p>Threads: {@code ha-lease} only reads and writes the lease row, so a slow listener never delays a renewal;
 * listeners run one at a time, in order, on {@code ha-events}, which also steps the engine down the moment the lease
 * runs out here even while {@code ha-lease} is stuck in a statement. {@link #mayAct()} and {@link #guard} are called
 * from any thread.
 */
public final class Leadership implements Fence, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    /** Told when this engine's role changes; runs on {@code ha-events}, one call at a time, in order. */
    public interface Listener {
        /** This engine took the lease: term {@code fence} begins. Open FastAGI, start the dialler, reconcile. */
        void active(long fence);

        /** This engine is (again) standby: stop acting at once. {@code why} in words. */
        void standby(String why);
    }

    /** What {@code /health} and the gateway's banner say. */
    public record Status(Role role, long fence, String activeEngine, String activeUrl, String why, Instant since) {
    }

    private final HaConfig config;
    private final String name;
    private final LeaseStore store;
    private final LongSupplier ticker;
    private final InstantSource clock;
    private final LeaseMachine machine;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService leaseThread = thread("ha-lease");
    private final ScheduledExecutorService events = thread("ha-events");
    private final Counter takeovers;
    private final Counter stepDowns;
    private final Counter renewFailures;
    private final Counter refused;
    /** The role listeners were last told (changed under the lock, told on ha-events). */
    private Role told = Role.STANDBY;
    private volatile Status status;
    private volatile boolean closed;
    /** Counted down once this engine knows its first role: it took the lease, or it saw another engine hold it. */
    private final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);

    public Leadership(HaConfig config, String engineName, LeaseStore store, LongSupplier ticker, InstantSource clock,
                      MeterRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.name = Objects.requireNonNull(engineName, "engineName");
        this.store = Objects.requireNonNull(store, "store");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.machine = new LeaseMachine(config.lease(), config.renewEvery(), config.checkEvery());
        this.status = new Status(Role.STANDBY, 0, "", "", machine.why(), clock.instant());
        Gauge.builder("hotline.ha.active", this, l -> l.mayAct() ? 1 : 0)
                .description("1 while this engine holds the leadership lease, 0 while standby").register(registry);
        Gauge.builder("hotline.ha.fence", this, l -> l.status.fence())
                .description("Fencing number of the current (or last) term this engine held").register(registry);
        this.takeovers = Counter.builder("hotline.ha.takeovers").description("Times this engine took the lease")
                .register(registry);
        this.stepDowns = Counter.builder("hotline.ha.step.downs")
                .description("Times this engine stopped being active (lease lost, ran out or released)")
                .register(registry);
        this.renewFailures = Counter.builder("hotline.ha.renew.failures")
                .description("Lease renewals that failed (database unreachable or slow)").register(registry);
        this.refused = Counter.builder("hotline.ha.fenced.writes")
                .description("Writes and actions refused because this engine did not hold the lease")
                .register(registry);
    }

    private static ScheduledExecutorService thread(String name) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(name).daemon()
                .factory());
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);   // a stop does not wait for the next renewal
        return t;
    }

    /** Adds a listener; call before {@link #start()}. */
    public Leadership onChange(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Starts watching (and, when it is free or runs out, taking) the lease. */
    public Leadership start() {
        log.info("ha: engine {} starts as standby; lease {}, renewed every {}, checked every {} (takeover within {})",
                name, config.lease(), config.renewEvery(), config.checkEvery(), config.worstTakeover());
        leaseThread.execute(this::run);
        return this;
    }

    private void run() {
        if (closed) {
            return;
        }
        long wakeAt;
        try {
            wakeAt = step();
        } catch (RuntimeException e) {
            log.error("ha: lease step failed", e);
            wakeAt = ticker.getAsLong() + config.checkEvery().toNanos();
        }
        long delay = Math.max(0, wakeAt - ticker.getAsLong());
        try {
            leaseThread.schedule(this::run, delay, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closed meanwhile
        }
    }

    /** Runs the due steps; returns when to run again. */
    private long step() {
        for (int i = 0; i < 4; i++) {
            LeaseMachine.Step s;
            synchronized (this) {
                s = machine.next(ticker.getAsLong());
                publish();
            }
            switch (s) {
                case LeaseMachine.Step.Wait w -> {
                    return w.atNanos();
                }
                case LeaseMachine.Step.Read r -> read();
                case LeaseMachine.Step.Renew r -> renew(r.fence());
                case LeaseMachine.Step.TakeOver t -> takeOver(t.seen());
            }
        }
        return ticker.getAsLong();
    }

    private void read() {
        try {
            LeaseRow row = store.read();
            synchronized (this) {
                machine.read(row, ticker.getAsLong());
            }
        } catch (SQLException e) {
            synchronized (this) {
                machine.readFailed(ticker.getAsLong());
            }
            log.warn("ha: cannot read the lease ({}); trying again in {}", e.getMessage(), config.checkEvery());
        }
    }

    private void renew(long fence) {
        long started = ticker.getAsLong();
        try {
            boolean kept = store.renew(name, fence);
            String holderNow = kept ? "" : holderNow();
            synchronized (this) {
                if (kept) {
                    machine.renewed(started);
                } else {
                    machine.renewLost(ticker.getAsLong(), holderNow);
                }
                publish();
            }
        } catch (SQLException e) {
            renewFailures.increment();
            log.warn("ha: renewing the lease of term {} failed: {}", fence, e.getMessage());
            synchronized (this) {
                machine.renewFailed(ticker.getAsLong(), e.getMessage());
                publish();
            }
        }
    }

    private String holderNow() {
        try {
            return store.read().holder();
        } catch (SQLException e) {
            return "";
        }
    }

    private void takeOver(LeaseRow seen) {
        long started = ticker.getAsLong();
        try {
            java.util.OptionalLong fence = store.takeOver(seen, name, config.url());
            synchronized (this) {
                if (fence.isPresent()) {
                    machine.tookOver(started, fence.getAsLong());
                    log.info("ha: engine {} took the lease: term {} ({})", name, fence.getAsLong(), seen.free()
                            ? "it was free" : "engine " + seen.holder() + " stopped renewing term " + seen.fence());
                } else {
                    machine.takeOverLost(ticker.getAsLong());
                }
                publish();
            }
        } catch (SQLException e) {
            // Unknown outcome: if it did commit, nobody renews it and it runs out again. Never act on a maybe.
            log.warn("ha: taking the lease failed: {}", e.getMessage());
            synchronized (this) {
                machine.takeOverLost(ticker.getAsLong());
            }
        }
    }

    /** Under the lock: the status for readers, and a role change handed to the listeners. */
    private void publish() {
        Role role = machine.role();
        Status old = status;
        String holder = role == Role.ACTIVE ? name : machine.seen().map(LeaseRow::holder).orElse(old.activeEngine());
        String url = role == Role.ACTIVE ? config.url() : machine.seen().map(LeaseRow::holderUrl)
                .orElse(old.activeUrl());
        if (role == Role.STANDBY && old.role() == Role.ACTIVE && holder.equals(name)) {
            holder = "";
            url = "";
        }
        if (role == Role.ACTIVE || machine.seen().filter(r -> !r.free()).isPresent()) {
            settled.countDown();
        }
        Instant since = role == old.role() ? old.since() : clock.instant();
        status = new Status(role, machine.fence(), holder, url, machine.why(), since);
        if (role != told) {
            told = role;
            long fence = machine.fence();
            String why = machine.why();
            if (role == Role.ACTIVE) {
                takeovers.increment();
                onEvents(() -> listeners.forEach(l -> tell(() -> l.active(fence))), 0);
                onEvents(this::expireCheck, Math.max(0, machine.validUntil() - ticker.getAsLong()));
            } else {
                stepDowns.increment();
                log.warn("ha: engine {} is standby: {}", name, why);
                onEvents(() -> listeners.forEach(l -> tell(() -> l.standby(why))), 0);
            }
        }
    }

    /** On ha-events: steps down when the lease ran out here, even while ha-lease is stuck in a statement. */
    private void expireCheck() {
        if (closed) {
            return;
        }
        synchronized (this) {
            machine.expire(ticker.getAsLong());
            publish();
            if (machine.role() == Role.ACTIVE) {
                onEvents(this::expireCheck, Math.max(0, machine.validUntil() - ticker.getAsLong()));
            }
        }
    }

    private void onEvents(Runnable task, long delayNanos) {
        try {
            events.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // closed meanwhile: nobody to tell
        }
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("ha: a role listener failed", e);
        }
    }

    @Override
    public boolean mayAct() {
        synchronized (this) {
            return machine.mayAct(ticker.getAsLong());
        }
    }

    @Override
    public long number() {
        return status.fence();
    }

    @Override
    public void guard(Connection con, String what) throws SQLException {
        long fence;
        synchronized (this) {
            fence = machine.fence();
            if (!machine.mayAct(ticker.getAsLong())) {
                refused.increment();
                throw new FencedOutException(what + ": refused, engine " + name + " is standby"
                        + activeClause() + " (only the active engine of the pair writes this)");
            }
        }
        if (!LeaseStore.guard(con, name, fence, store.timeoutSeconds(),
                (int) Math.max(1, config.lease().toSeconds()))) {
            refused.increment();
            throw new FencedOutException(what + ": refused, engine " + name + " no longer holds term " + fence
                    + " of the lease (another engine took over; this one steps down)");
        }
    }

    private String activeClause() {
        Status s = status;
        return s.activeEngine().isEmpty() || s.activeEngine().equals(name) ? ""
                : "; engine " + s.activeEngine() + " is active" + (s.activeUrl().isEmpty() ? "" : " at "
                + s.activeUrl());
    }

    /**
     * Waits until this engine knows its first role (it took the lease, or another engine holds it), at most
     * {@code timeout}; false when it does not know yet (the database unreachable). Listeners of a takeover may still
     * be running when this returns.
     */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Status status() {
        return status;
    }

    public HaConfig config() {
        return config;
    }

    /** This engine's name in the lease. */
    public String name() {
        return name;
    }

    /**
     * Stops without releasing the lease, as a crash would (tests; the standby takes over when it runs out). The
     * engine stops acting at once.
     */
    public void abandon() {
        closed = true;
        leaseThread.shutdownNow();
        events.shutdownNow();
        synchronized (this) {
            machine.released(ticker.getAsLong());
            status = new Status(Role.STANDBY, machine.fence(), "", "", "stopped", clock.instant());
        }
    }

    /** Stops; a held lease is released so the standby takes over at its next check instead of after the lease. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        leaseThread.shutdown();
        try {
            leaseThread.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long fence;
        boolean held;
        synchronized (this) {
            held = machine.role() == Role.ACTIVE;
            fence = machine.fence();
            machine.released(ticker.getAsLong());
        }
        if (held) {
            try {
                if (store.release(name, fence)) {
                    log.info("ha: engine {} released the lease of term {}", name, fence);
                }
            } catch (SQLException e) {
                log.warn("ha: releasing the lease failed ({}); the standby takes over when it runs out",
                        e.getMessage());
            }
        }
        events.shutdown();
    }
}
