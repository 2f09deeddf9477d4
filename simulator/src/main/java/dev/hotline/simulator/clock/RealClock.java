package dev.hotline.simulator.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The system clock; timers are the executor's own (Netty's hashed-wheel-free scheduled task queue). */
public final class RealClock implements SimClock {

    public static final RealClock INSTANCE = new RealClock();

    private RealClock() {
    }

    @Override
    public Instant wallTime() {
        return Instant.now();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(ScheduledExecutorService executor, Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }
}
