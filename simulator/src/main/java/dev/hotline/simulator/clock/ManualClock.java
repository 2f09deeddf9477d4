package dev.hotline.simulator.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when a test calls {@link #advanceTo} or {@link #advance}. Due timers run one at a time,
 * in due order, each on its own executor, and {@code advance} waits for each to finish before looking at the next
 * one, so a timer that schedules a follow-up timer (a prompt, then the digit timeout) is honoured within the same
 * advance. Never call {@code advance} from an executor that timers run on: it would wait for itself.
 */
public final class ManualClock implements SimClock {

    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(5);

    private final Instant wallStart;
    private final AtomicLong sequence = new AtomicLong();
    private final PriorityQueue<Entry> timers = new PriorityQueue<>();
    private long nowNanos;

    public ManualClock(Instant wallStart) {
        this.wallStart = Objects.requireNonNull(wallStart, "wallStart");
    }

    @Override
    public synchronized Instant wallTime() {
        return wallStart.plusNanos(nowNanos);
    }

    @Override
    public synchronized long nanoTime() {
        return nowNanos;
    }

    /** Time elapsed since this clock was created. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    @Override
    public synchronized Cancellable schedule(ScheduledExecutorService executor, Duration delay, Runnable task) {
        Entry entry = new Entry(nowNanos + Math.max(0, delay.toNanos()), sequence.incrementAndGet(), executor, task);
        timers.add(entry);
        notifyAll();
        return () -> {
            synchronized (ManualClock.this) {
                timers.remove(entry);
            }
        };
    }

    /** Number of timers not yet run. */
    public synchronized int pendingTimers() {
        return timers.size();
    }

    /**
     * Waits (up to {@code timeout} of real time) until some timer is due at or before {@code elapsed}: the test's
     * way to know that the simulator has reacted to a command before moving time past it.
     */
    public synchronized void awaitTimerDueBy(Duration elapsed, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (timers.isEmpty() || timers.peek().dueNanos > elapsed.toNanos()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no timer due by " + elapsed + " within " + timeout
                        + " (pending=" + timers.size() + ", next due="
                        + (timers.isEmpty() ? "none" : Duration.ofNanos(timers.peek().dueNanos)) + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * Waits (up to {@code timeout} of real time) until more than {@code count} timers are pending: the test's way
     * to know the simulator has started a timed command it just sent.
     */
    public synchronized void awaitPendingTimersAbove(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (timers.size() <= count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("still " + timers.size() + " pending timers after " + timeout
                        + " (expected: > " + count + ")");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public void advance(Duration by) {
        advanceTo(elapsed().plus(by));
    }

    /** Moves time to {@code elapsed} since creation, running every timer due by then. Never moves backwards. */
    public void advanceTo(Duration elapsed) {
        long target = elapsed.toNanos();
        while (true) {
            Entry next;
            synchronized (this) {
                next = timers.peek();
                if (next == null || next.dueNanos > target) {
                    nowNanos = Math.max(nowNanos, target);
                    return;
                }
                timers.poll();
                nowNanos = Math.max(nowNanos, next.dueNanos);
            }
            try {
                next.executor.submit(next.task).get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running a timer", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a timer failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("a timer did not finish within " + TASK_TIMEOUT, e);
            }
        }
    }

    private record Entry(long dueNanos, long seq, ScheduledExecutorService executor, Runnable task)
            implements Comparable<Entry> {

        @Override
        public int compareTo(Entry other) {
            int byDue = Long.compare(dueNanos, other.dueNanos);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }
}
