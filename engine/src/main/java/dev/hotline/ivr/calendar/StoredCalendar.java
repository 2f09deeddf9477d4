package dev.hotline.ivr.calendar;

import java.time.Instant;
import java.util.Objects;

/**
 * A calendar kept in the database (table {@code business_calendar}) rather than in a file.
 *
 * @param name       what {@code hours} nodes and {@code acd.callback.calendar} refer to
 * @param definition the definition as given: the keys of a calendar file ({@code time_zone}, {@code weekly},
 *                   {@code holidays}, {@code special}), as JSON or YAML text
 * @param calendar   the definition, read and validated
 * @param enabled    a disabled calendar no longer replaces the file calendar of its name (nor exists, if none)
 * @param createdAt  first saved
 * @param updatedAt  last saved, enabled or disabled
 * @param updatedBy  who did it
 */
public record StoredCalendar(String name, String definition, BusinessCalendar calendar, boolean enabled,
                             Instant createdAt, Instant updatedAt, String updatedBy) {

    public StoredCalendar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    public StoredCalendar withEnabled(boolean on, Instant at, String by) {
        return new StoredCalendar(name, definition, calendar, on, createdAt, at, by);
    }
}
