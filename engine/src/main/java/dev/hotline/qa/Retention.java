package dev.hotline.qa;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Which recordings are past their keeping time: files last written more than {@code qa.retention_days} days ago.
 * The last-modified time is when Asterisk closed the file (the call's end), so a long call is kept as long as a
 * short one. Zero days keeps everything.
 */
public final class Retention {

    private Retention() {
    }

    /**
     * A recording file as found in the folder.
     *
     * @param name     relative to the recordings folder, with '/' separators
     * @param size     bytes
     * @param modified last written
     */
    public record StoredFile(String name, long size, Instant modified) {
        public StoredFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(modified, "modified");
            if (size < 0) {
                throw new IllegalArgumentException("size: " + size + " (expected: >= 0)");
            }
        }
    }

    /** The moment before which a file has expired, or null when nothing expires ({@code days == 0}). */
    public static Instant cutoff(Instant now, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("retention days: " + days + " (expected: >= 0)");
        }
        return days == 0 ? null : now.minus(Duration.ofDays(days));
    }

    /** The files of {@code files} to delete at {@code now}, oldest first. */
    public static List<StoredFile> expired(Collection<StoredFile> files, Instant now, int days) {
        Instant cutoff = cutoff(now, days);
        if (cutoff == null) {
            return List.of();
        }
        return files.stream().filter(f -> f.modified().isBefore(cutoff))
                .sorted(Comparator.comparing(StoredFile::modified).thenComparing(StoredFile::name)).toList();
    }
}
