package dev.hotline.routing;

import java.time.Duration;

/** A service-level target: {@code fraction} of calls answered within {@code threshold} (e.g. 80 % in 20 s). */
public record ServiceLevel(double fraction, Duration threshold) {

    public ServiceLevel {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction: " + fraction + " (expected: > 0 and <= 1)");
        }
        Checks.positive("threshold", threshold);
    }
}
