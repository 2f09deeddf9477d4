package dev.hotline.ivr.calendar;

import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlList;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlScalar;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a calendar file ({@code config/calendars/NAME.yaml}):
 * <pre>
 * time_zone: Europe/Paris
 * weekly:                      # daily, weekdays, weekends, monday … sunday; a day's own entry wins
 *   daily: 09:00-24:00         # one range, a list of ranges, or "closed"
 * holidays:
 *   - 2025-12-25               # a date, {date, name} or {from, to, name}
 *   - {from: 2025-08-10, to: 2025-08-15, name: summer closure}
 * special:                     # special openings: hours of their own on a date, even on a holiday
 *   - {date: 2025-12-24, hours: 09:00-13:00}
 * </pre>
 * Every problem is reported at its line and column; nothing is repaired silently.
 */
public final class CalendarReader {

    private static final Map<String, List<DayOfWeek>> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("daily", List.of(DayOfWeek.values()));
        GROUPS.put("weekdays", List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY));
        GROUPS.put("weekends", List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    }

    private CalendarReader() {
    }

    /** Reads one calendar; returns empty (with problems reported) when it cannot be used. */
    public static Optional<BusinessCalendar> read(String name, YamlNode root, Problems out) {
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, Map.of());
        ZoneId zone = null;
        String zoneText = top.requiredString("time_zone");
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                top.invalid("time_zone", "\"" + zoneText + "\" (expected: a time zone such as Europe/Paris or UTC)");
            }
        }
        top.string("description", "");
        Map<DayOfWeek, List<TimeRange>> weekly = new EnumMap<>(DayOfWeek.class);
        Optional<Fields> w = top.section("weekly");
        if (w.isEmpty()) {
            top.missing("weekly", "the weekly opening hours, e.g. daily: 09:00-24:00");
        } else {
            // Groups first, so that a day's own entry overrides them whatever the order in the file.
            for (String group : GROUPS.keySet()) {
                YamlNode n = w.get().node(group);
                if (n != null) {
                    List<TimeRange> r = ranges(n, problems);
                    GROUPS.get(group).forEach(d -> weekly.put(d, r));
                }
            }
            for (DayOfWeek d : DayOfWeek.values()) {
                YamlNode n = w.get().node(d.name().toLowerCase(java.util.Locale.ROOT));
                if (n != null) {
                    weekly.put(d, ranges(n, problems));
                }
            }
            w.get().finish();
        }
        List<BusinessCalendar.Holiday> holidays = new ArrayList<>();
        YamlNode hn = top.node("holidays");
        if (hn instanceof YamlList list) {
            for (YamlNode item : list.items()) {
                holiday(item, problems).ifPresent(holidays::add);
            }
        } else if (hn != null && !(hn instanceof YamlScalar s && s.isNull())) {
            problems.error(hn, Fields.describe(hn) + " (expected: a list of dates)");
        }
        Map<LocalDate, List<TimeRange>> special = new LinkedHashMap<>();
        for (Fields s : top.sections("special")) {
            LocalDate date = date(s, "date");
            YamlNode hours = s.node("hours");
            if (hours == null) {
                s.missing("hours", "HH:MM-HH:MM, a list of them, or closed");
            }
            List<TimeRange> r = hours == null ? List.of() : ranges(hours, problems);
            s.string("name", "");
            s.finish();
            if (date != null) {
                if (special.containsKey(date)) {
                    s.invalid("date", date + " has two special entries (expected: one per date)");
                }
                special.put(date, r);
            }
        }
        top.finish();
        problems.sorted().forEach(out::add);
        if (zone == null || problems.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new BusinessCalendar(name, zone, weekly, holidays, special));
    }

    private static Optional<BusinessCalendar.Holiday> holiday(YamlNode item, Problems problems) {
        if (item instanceof YamlScalar s && !s.isNull()) {
            LocalDate d = parseDate(s, problems);
            return d == null ? Optional.empty() : Optional.of(new BusinessCalendar.Holiday(d, d, "holiday"));
        }
        Fields f = Fields.of(item, problems, Map.of());
        String name = f.string("name", "holiday");
        LocalDate from;
        LocalDate to;
        if (f.has("date")) {
            from = date(f, "date");
            to = from;
            if (f.has("from") || f.has("to")) {
                f.invalid("from", "use either date or from/to, not both");
            }
        } else {
            from = date(f, "from");
            to = date(f, "to");
            if (from == null && !f.has("from")) {
                f.missing("date", "a date YYYY-MM-DD, or from and to");
            }
        }
        f.finish();
        if (from == null || to == null) {
            return Optional.empty();
        }
        if (to.isBefore(from)) {
            f.invalid("to", to + " is before from " + from + " (expected: from <= to)");
            return Optional.empty();
        }
        return Optional.of(new BusinessCalendar.Holiday(from, to, name));
    }

    private static LocalDate date(Fields f, String key) {
        YamlNode n = f.node(key);
        if (n == null) {
            return null;
        }
        return n instanceof YamlScalar s ? parseDate(s, f.problems()) : bad(n, f.problems());
    }

    private static LocalDate bad(YamlNode n, Problems problems) {
        problems.error(n, Fields.describe(n) + " (expected: a date YYYY-MM-DD)");
        return null;
    }

    private static LocalDate parseDate(YamlScalar s, Problems problems) {
        try {
            return LocalDate.parse(s.text() == null ? "" : s.text());
        } catch (DateTimeParseException e) {
            return bad(s, problems);
        }
    }

    private static List<TimeRange> ranges(YamlNode n, Problems problems) {
        List<YamlNode> items = n instanceof YamlList l ? l.items() : List.of(n);
        List<TimeRange> out = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof YamlScalar s && s.text() != null) {
                if (s.text().equals("closed") && items.size() == 1) {
                    return List.of();
                }
                try {
                    out.add(TimeRange.parse(s.text()));
                } catch (IllegalArgumentException e) {
                    problems.error(item, e.getMessage());
                }
            } else {
                problems.error(item, Fields.describe(item) + " (expected: HH:MM-HH:MM or closed)");
            }
        }
        out.sort(java.util.Comparator.comparingInt(TimeRange::start));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).start() < out.get(i - 1).end()) {
                problems.error(n, "hours " + out.get(i - 1) + " and " + out.get(i) + " overlap");
            }
        }
        return out;
    }

    /** The calendar name of a file: its name without {@code .yaml}/{@code .yml}. */
    public static String nameOf(java.nio.file.Path file) {
        String f = file.getFileName().toString();
        return f.replaceFirst("\\.ya?ml$", "");
    }
}
