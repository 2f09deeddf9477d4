package dev.hotline.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/**
 * A {@link TaskTimer} whose time moves only when a test says ({@link #advance}): due runs execute on the caller's
 * thread, in order of their time. It is also the {@link InstantSource} the code under test reads, so the two agree.
 */
public final class ManualTimer implements TaskTimer, InstantSource {

    private record Due(Instant at, long seq, String name, Runnable action) {
    }

    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.at.equals(b.at)
            ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now;
    private long seq;

    public ManualTimer(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public synchronized Runnable schedule(Duration delay, String name, Runnable action) {
        Due d = new Due(now.plus(delay.isNegative() ? Duration.ZERO : delay), seq++, name, action);
        queue.add(d);
        return () -> {
            synchronized (this) {
                queue.remove(d);
            }
        };
    }

    /** Moves time forward by {@code d}, running every run that falls due on the way (also those they schedule). */
    public void advance(Duration d) {
        Instant target;
        synchronized (this) {
            target = now.plus(d);
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.at;
            }
            next.action.run();
        }
    }

    /** Runs what is due now (e.g. a task's first run, which is due at once). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many runs wait for their time. */
    public synchronized int pending() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        queue.clear();
    }
}
