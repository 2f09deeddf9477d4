package dev.hotline.ha;

import java.util.concurrent.atomic.AtomicLong;

/** System.nanoTime(), or a frozen reading (the process paused: SIGSTOP, a paused VM): a lease's view going stale. */
public final class FreezableTicker implements java.util.function.LongSupplier {

    private final AtomicLong frozenAt = new AtomicLong(Long.MIN_VALUE);

    @Override
    public long getAsLong() {
        long f = frozenAt.get();
        return f == Long.MIN_VALUE ? System.nanoTime() : f;
    }

    public void freeze() {
        frozenAt.set(System.nanoTime());
    }

    public void thaw() {
        frozenAt.set(Long.MIN_VALUE);
    }
}
