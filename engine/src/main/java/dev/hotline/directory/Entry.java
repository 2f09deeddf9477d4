package dev.hotline.directory;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent, queue or skill as the directory holds it now.
 *
 * @param value     the definition in effect
 * @param disabled  disabled entries stay known (and listed) but take no part in routing
 * @param origin    where the definition comes from
 * @param updatedAt when the database row was last written (empty for a file entry)
 * @param updatedBy who wrote it (empty for a file entry)
 */
public record Entry<T>(T value, boolean disabled, Origin origin, Optional<Instant> updatedAt, String updatedBy) {

    /** {@code FILE}: only in the files; {@code DATABASE}: created through the API; {@code OVERRIDDEN}: both, the row wins. */
    public enum Origin { FILE, DATABASE, OVERRIDDEN }

    public Entry {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    static <T> Entry<T> fromFile(T value) {
        return new Entry<>(value, false, Origin.FILE, Optional.empty(), "");
    }
}
