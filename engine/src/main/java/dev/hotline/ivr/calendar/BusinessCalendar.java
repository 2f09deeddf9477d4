package dev.hotline.ivr.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A named business-hours calendar: weekly opening hours, holidays and special openings, in a time zone.
 * Precedence on a given date: a special opening, else a holiday (closed), else the weekly hours. A special
 * opening with no hours closes the day (an extra closure that is not a holiday).
 *
 * @param name     the file's name without {@code .yaml}; what {@code hours} nodes refer to
 * @param zone     the time zone the hours are in
 * @param weekly   opening hours per day of the week (a missing day is closed)
 * @param holidays closed dates with their names
 * @param special  dates with hours of their own, overriding the weekly hours and holidays
 */
public record BusinessCalendar(String name, ZoneId zone, Map<DayOfWeek, List<TimeRange>> weekly,
                               List<Holiday> holidays, Map<LocalDate, List<TimeRange>> special) {

    /** A closed period, {@code from} to {@code to} inclusive. */
    public record Holiday(LocalDate from, LocalDate to, String name) {
        public Holiday {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(name, "name");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("holiday " + name + ": " + from + " to " + to
                        + " (expected: from <= to)");
            }
        }

        public boolean covers(LocalDate d) {
            return !d.isBefore(from) && !d.isAfter(to);
        }
    }

    /** Whether the calendar is open at an instant, and why. */
    public enum State { OPEN, CLOSED, HOLIDAY }

    /** The answer of {@link #status}: the state and a reason for the dry-run and the path. */
    public record Status(State state, String reason) {
    }

    public BusinessCalendar {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        EnumMap<DayOfWeek, List<TimeRange>> w = new EnumMap<>(DayOfWeek.class);
        weekly.forEach((d, r) -> w.put(d, List.copyOf(r)));
        weekly = Collections.unmodifiableMap(w);
        holidays = List.copyOf(holidays);
        TreeMap<LocalDate, List<TimeRange>> s = new TreeMap<>();
        special.forEach((d, r) -> s.put(d, List.copyOf(r)));
        special = Collections.unmodifiableMap(s);
    }

    public Status status(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalDate date = local.toLocalDate();
        String when = local.toLocalDateTime().withNano(0) + " " + zone;
        List<TimeRange> sp = special.get(date);
        if (sp != null) {
            return sp.stream().anyMatch(r -> r.contains(local.toLocalTime()))
                    ? new Status(State.OPEN, when + ": special opening " + sp)
                    : new Status(State.CLOSED, when + ": special hours " + (sp.isEmpty() ? "closed" : sp));
        }
        for (Holiday h : holidays) {
            if (h.covers(date)) {
                return new Status(State.HOLIDAY, when + ": holiday " + h.name());
            }
        }
        List<TimeRange> day = weekly.getOrDefault(date.getDayOfWeek(), List.of());
        String dayName = date.getDayOfWeek().name().toLowerCase(java.util.Locale.ROOT);
        return day.stream().anyMatch(r -> r.contains(local.toLocalTime()))
                ? new Status(State.OPEN, when + ": open (" + dayName + " " + day + ")")
                : new Status(State.CLOSED, when + ": closed (" + dayName + " " + (day.isEmpty() ? "closed" : day)
                        + ")");
    }
}
