package dev.hotline.records;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the {@link RecordWriter}. Every value has a default ({@link #defaults(Path)}); the builder-style
 * {@code with…} methods reject bad values with the key name.
 *
 * @param journalDir    folder of the journal segments and checkpoint ({@code <data_dir>/records-journal})
 * @param queueCapacity entries held in memory between {@code submit} and the journal; beyond it submit refuses
 * @param batchSize     most entries per journal write and per database transaction
 * @param fsyncInterval group commit: the journal is fsynced at most this long after an entry is written to it;
 *                      {@link Duration#ZERO} fsyncs every write
 * @param segmentBytes  size at which the journal starts a new segment file (consumed segments are deleted)
 * @param retryMin      first wait before retrying the database after a failure (doubles up to {@code retryMax})
 * @param retryMax      longest wait between retries while the database is down
 * @param closeTimeout  on close, how long to keep writing to the database before leaving the rest in the journal
 */
public record WriterSettings(Path journalDir, int queueCapacity, int batchSize, Duration fsyncInterval,
                             long segmentBytes, Duration retryMin, Duration retryMax, Duration closeTimeout) {

    public static final String JOURNAL_FOLDER = "records-journal";

    public WriterSettings {
        Objects.requireNonNull(journalDir, "journalDir");
        range("queue_capacity", queueCapacity, 1, 10_000_000);
        range("batch_size", batchSize, 1, 100_000);
        nonNegative("fsync_interval", fsyncInterval);
        if (fsyncInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("fsync_interval: " + fsyncInterval + " (expected: <= 10s)");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segment_bytes: " + segmentBytes + " (expected: >= 4096)");
        }
        positive("retry_min", retryMin);
        positive("retry_max", retryMax);
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("retry_max: " + retryMax + " (expected: >= retry_min " + retryMin + ")");
        }
        nonNegative("close_timeout", closeTimeout);
    }

    /** Defaults, with the journal under {@code dataDir}. */
    public static WriterSettings defaults(Path dataDir) {
        return new WriterSettings(dataDir.resolve(JOURNAL_FOLDER), 100_000, 1_000, Duration.ofMillis(50),
                64L << 20, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    public WriterSettings withQueueCapacity(int n) {
        return new WriterSettings(journalDir, n, batchSize, fsyncInterval, segmentBytes, retryMin, retryMax,
                closeTimeout);
    }

    public WriterSettings withBatchSize(int n) {
        return new WriterSettings(journalDir, queueCapacity, n, fsyncInterval, segmentBytes, retryMin, retryMax,
                closeTimeout);
    }

    public WriterSettings withFsyncInterval(Duration d) {
        return new WriterSettings(journalDir, queueCapacity, batchSize, d, segmentBytes, retryMin, retryMax,
                closeTimeout);
    }

    public WriterSettings withSegmentBytes(long n) {
        return new WriterSettings(journalDir, queueCapacity, batchSize, fsyncInterval, n, retryMin, retryMax,
                closeTimeout);
    }

    public WriterSettings withRetry(Duration min, Duration max) {
        return new WriterSettings(journalDir, queueCapacity, batchSize, fsyncInterval, segmentBytes, min, max,
                closeTimeout);
    }

    public WriterSettings withCloseTimeout(Duration d) {
        return new WriterSettings(journalDir, queueCapacity, batchSize, fsyncInterval, segmentBytes, retryMin,
                retryMax, d);
    }

    private static void range(String key, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: " + lo + "-" + hi + ")");
        }
    }

    private static void nonNegative(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + ": " + d + " (expected: >= 0)");
        }
    }

    private static void positive(String key, Duration d) {
        Objects.requireNonNull(d, key);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + ": " + d + " (expected: > 0)");
        }
    }
}
