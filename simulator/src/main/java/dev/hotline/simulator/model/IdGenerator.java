package dev.hotline.simulator.model;

import dev.hotline.simulator.clock.SimClock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asterisk-style identifiers: a uniqueid is {@code <epoch seconds>.<sequence>}, a channel name ends in an
 * 8-digit hex sequence ({@code PJSIP/pstn-0000000a}).
 */
public final class IdGenerator {

    private final SimClock clock;
    private final AtomicLong uniqueSequence = new AtomicLong();
    private final AtomicLong channelSequence = new AtomicLong();

    public IdGenerator(SimClock clock) {
        this.clock = clock;
    }

    public String nextUniqueid() {
        return clock.wallTime().getEpochSecond() + "." + uniqueSequence.getAndIncrement();
    }

    public String nextChannelSuffix() {
        return String.format("%08x", channelSequence.getAndIncrement());
    }
}
