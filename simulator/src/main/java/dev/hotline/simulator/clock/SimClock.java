package dev.hotline.simulator.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Time as the simulator sees it: the wall clock (for uniqueids and event timestamps), a monotonic reading, and
 * timers. Every timer runs on the executor it was scheduled with (a call's Netty event loop), so the state it
 * touches stays confined to that loop. {@link RealClock} uses the executor's own timers; {@link ManualClock} lets a
 * test move time by hand.
 */
public interface SimClock {

    Instant wallTime();

    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    Cancellable schedule(ScheduledExecutorService executor, Duration delay, Runnable task);
}
