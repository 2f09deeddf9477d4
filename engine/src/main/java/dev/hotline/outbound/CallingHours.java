package dev.hotline.outbound;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * When a campaign may call, in each contact's own local time: on {@code days}, from {@code from} (inclusive) to
 * {@code to} (exclusive). A contact in Sydney and one in Paris on the same list are called in their own mornings.
 * Daylight-saving gaps follow {@link ZonedDateTime}'s rules (a window starting in a skipped hour starts at the
 * first instant after the gap).
 */
public record CallingHours(LocalTime from, LocalTime to, Set<DayOfWeek> days) {

    public CallingHours {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("calling hours: from " + from + " to " + to
                    + " (expected: from before to, within one day)");
        }
        if (days.isEmpty()) {
            throw new IllegalArgumentException("calling hours: no days (expected: at least one day of the week)");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** Monday to Friday, {@code from}–{@code to}. */
    public static CallingHours weekdays(LocalTime from, LocalTime to) {
        return new CallingHours(from, to, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
    }

    /** Reads {@code "09:00-20:00"} and days such as {@code "mon-fri"} or {@code "mon,wed,sat"}. */
    public static CallingHours parse(String window, String dayList) {
        String[] parts = window.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("calling hours: '" + window + "' (expected: HH:MM-HH:MM)");
        }
        LocalTime f;
        LocalTime t;
        try {
            f = LocalTime.parse(parts[0].strip());
            t = LocalTime.parse(parts[1].strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("calling hours: '" + window + "' (expected: HH:MM-HH:MM)");
        }
        return new CallingHours(f, t, days(dayList));
    }

    private static Set<DayOfWeek> days(String text) {
        EnumSet<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.strip().split(",")) {
            String[] range = item.strip().split("-");
            if (range.length == 1) {
                set.add(day(range[0], text));
            } else if (range.length == 2) {
                DayOfWeek a = day(range[0], text);
                DayOfWeek b = day(range[1], text);
                for (DayOfWeek d = a; ; d = d.plus(1)) {
                    set.add(d);
                    if (d == b) {
                        break;
                    }
                }
            } else {
                throw new IllegalArgumentException("calling days: '" + text + "' (expected: e.g. mon-fri or mon,wed)");
            }
        }
        return set;
    }

    private static DayOfWeek day(String name, String text) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (n.length() >= 3 && d.name().toLowerCase(java.util.Locale.ROOT).startsWith(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("calling days: '" + name.strip() + "' in '" + text
                + "' (expected: mon, tue, wed, thu, fri, sat, sun)");
    }

    /** Whether a contact in {@code zone} may be called at {@code at}. */
    public boolean allows(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime t = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !t.isBefore(from) && t.isBefore(to);
    }

    /** The first instant at or after {@code at} when a contact in {@code zone} may be called. */
    public Instant nextOpen(Instant at, ZoneId zone) {
        if (allows(at, zone)) {
            return at;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalDate day = local.toLocalDate();
        if (local.toLocalTime().isBefore(from) && days.contains(day.getDayOfWeek())) {
            return day.atTime(from).atZone(zone).toInstant();
        }
        for (int i = 1; i <= 8; i++) {
            LocalDate d = day.plusDays(i);
            if (days.contains(d.getDayOfWeek())) {
                return d.atTime(from).atZone(zone).toInstant();
            }
        }
        throw new IllegalStateException("no open day within a week: " + this);
    }

    @Override
    public String toString() {
        return from + "-" + to + " " + days;
    }
}
