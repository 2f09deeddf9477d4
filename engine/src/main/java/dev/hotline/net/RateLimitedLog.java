package dev.hotline.net;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning per reason at most once per {@code every}, saying how many were left out since the last one: a flood of
 * refused connections must not become a flood of log lines (each of which costs more than the refusal).
 */
public final class RateLimitedLog {

    private static final class Slot {
        final AtomicLong nextNanos = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    private final Logger log;
    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public RateLimitedLog(Logger log, Duration every) {
        this(log, every, System::nanoTime);
    }

    public RateLimitedLog(Logger log, Duration every, LongSupplier nanoTime) {
        this.log = log;
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Logs {@code message} (SLF4J format) as a warning unless one for {@code reason} was logged less than the period
     * ago; then it is only counted, and the next line for that reason says how many were left out.
     *
     * @return whether it was logged
     */
    public boolean warn(String reason, String message, Object... args) {
        Slot slot = slots.computeIfAbsent(reason, r -> new Slot());
        long now = nanoTime.getAsLong();
        long next = slot.nextNanos.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !slot.nextNanos.compareAndSet(next, now + everyNanos)) {
            slot.suppressed.incrementAndGet();
            return false;
        }
        long left = slot.suppressed.getAndSet(0);
        if (left > 0) {
            log.warn(message + " (and {} more like it in the last {})", append(args, left, Duration.ofNanos(everyNanos)));
        } else {
            log.warn(message, args);
        }
        return true;
    }

    private static Object[] append(Object[] args, Object... more) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
