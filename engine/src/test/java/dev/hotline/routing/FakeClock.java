package dev.hotline.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand. */
final class FakeClock implements InstantSource {

    private Instant now = Instant.parse("2025-03-03T09:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }
}
