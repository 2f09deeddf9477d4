package dev.hotline.routing.sim;

import java.time.Instant;
import java.time.InstantSource;

/** The simulator's clock: it jumps from event to event. */
final class SimClock implements InstantSource {

    private final Instant epoch;
    private long nanos;

    SimClock(Instant epoch) {
        this.epoch = epoch;
    }

    void setNanos(long nanos) {
        if (nanos < this.nanos) {
            throw new IllegalStateException("time going back: " + nanos + " < " + this.nanos);
        }
        this.nanos = nanos;
    }

    long nanos() {
        return nanos;
    }

    long nanosOf(Instant t) {
        return (t.getEpochSecond() - epoch.getEpochSecond()) * 1_000_000_000L + t.getNano() - epoch.getNano();
    }

    @Override
    public Instant instant() {
        return epoch.plusNanos(nanos);
    }
}
