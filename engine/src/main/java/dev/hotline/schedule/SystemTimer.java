package dev.hotline.schedule;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link TaskTimer#system}: a one-thread timer that hands each run to a new virtual thread. */
final class SystemTimer implements TaskTimer {

    private final ScheduledThreadPoolExecutor timer;

    SystemTimer(String threadName) {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name(threadName).daemon().factory());
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Runnable schedule(Duration delay, String name, Runnable action) {
        ScheduledFuture<?> f = timer.schedule(() -> Thread.ofVirtual().name(name).start(action),
                Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
