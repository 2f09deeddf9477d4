package dev.hotline.records;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the records feature that hotline.yaml does not have yet (proposed keys in brackets, under
 * {@code records:}); {@link #defaults(Path)} is what the engine uses until they are added.
 *
 * @param writer                 journal and batching [{@code records.journal.fsync_interval},
 *                               {@code records.queue_capacity}, {@code records.batch_size}]
 * @param shortAbandonDefault    abandons quicker than this are short abandons [{@code records.short_abandon}]
 * @param shortAbandonByQueue    per-queue override [{@code queues[].short_abandon}]
 * @param queueLog               where to append Asterisk-style queue_log lines; empty: off
 *                               [{@code records.queue_log}]
 * @param reportZone             time zone of report intervals (days start at local midnight)
 *                               [{@code records.time_zone}]
 */
public record RecordsSettings(WriterSettings writer, Duration shortAbandonDefault,
                              Map<String, Duration> shortAbandonByQueue, Optional<Path> queueLog, ZoneId reportZone) {

    public RecordsSettings {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(shortAbandonDefault, "shortAbandonDefault");
        if (shortAbandonDefault.isNegative()) {
            throw new IllegalArgumentException("short_abandon: " + shortAbandonDefault + " (expected: >= 0)");
        }
        shortAbandonByQueue = Map.copyOf(shortAbandonByQueue);
        Objects.requireNonNull(queueLog, "queueLog");
        Objects.requireNonNull(reportZone, "reportZone");
    }

    public static RecordsSettings defaults(Path dataDir) {
        return new RecordsSettings(WriterSettings.defaults(dataDir), Duration.ofSeconds(5), Map.of(),
                Optional.empty(), ZoneId.systemDefault());
    }

    public RecordsSettings withQueueLog(Path file) {
        return new RecordsSettings(writer, shortAbandonDefault, shortAbandonByQueue, Optional.of(file), reportZone);
    }

    public RecordsSettings withReportZone(ZoneId zone) {
        return new RecordsSettings(writer, shortAbandonDefault, shortAbandonByQueue, queueLog, zone);
    }

    public RecordsSettings withWriter(WriterSettings w) {
        return new RecordsSettings(w, shortAbandonDefault, shortAbandonByQueue, queueLog, reportZone);
    }
}
