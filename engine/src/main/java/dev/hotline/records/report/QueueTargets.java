package dev.hotline.records.report;

import dev.hotline.config.QueueConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * A queue's thresholds as reports use them.
 *
 * @param serviceLevelTime answered within this wait counts toward service level ({@code wait <= time})
 * @param shortAbandon     an abandon with {@code wait < shortAbandon} is a short abandon
 */
public record QueueTargets(Duration serviceLevelTime, Duration shortAbandon) {

    /** Used for queues that are not (or no longer) configured. */
    public static final QueueTargets DEFAULT = new QueueTargets(Duration.ofSeconds(20), Duration.ofSeconds(5));

    public QueueTargets {
        Objects.requireNonNull(serviceLevelTime, "serviceLevelTime");
        Objects.requireNonNull(shortAbandon, "shortAbandon");
        if (serviceLevelTime.isNegative() || shortAbandon.isNegative()) {
            throw new IllegalArgumentException("serviceLevelTime/shortAbandon: " + serviceLevelTime + "/"
                    + shortAbandon + " (expected: >= 0)");
        }
    }

    public static QueueTargets of(QueueConfig q, Duration shortAbandon) {
        return new QueueTargets(q.serviceLevelTime(), shortAbandon);
    }
}
