package dev.hotline.records.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Report intervals. Sub-day intervals are aligned to the hour in the report's time zone; days start at local
 * midnight, weeks on Monday (ISO), months, quarters and years on their first day.
 */
public enum Grouping {
    M15("15m"), M30("30m"), M60("60m"), DAY("day"), WEEK("week"), MONTH("month"), QUARTER("quarter"), YEAR("year");

    private final String label;

    Grouping(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Grouping parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.equals("1h") || v.equals("hour")) {
            return M60;
        }
        for (Grouping g : values()) {
            if (g.label.equals(v)) {
                return g;
            }
        }
        throw new IllegalArgumentException("interval: '" + s + "' (expected one of: "
                + Arrays.stream(values()).map(Grouping::label).collect(Collectors.joining(", ")) + ")");
    }

    /** The start of the interval containing {@code t}. */
    public Instant start(Instant t, ZoneId zone) {
        ZonedDateTime z = t.atZone(zone);
        ZonedDateTime s = switch (this) {
            case M15, M30, M60 -> {
                long minutes = minutes();
                ZonedDateTime hour = z.truncatedTo(ChronoUnit.HOURS);
                yield hour.plusMinutes(Duration.between(hour, z).toMinutes() / minutes * minutes);
            }
            case DAY -> z.toLocalDate().atStartOfDay(zone);
            case WEEK -> z.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone);
            case MONTH -> z.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
            case QUARTER -> {
                LocalDate d = z.toLocalDate();
                yield LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1).atStartOfDay(zone);
            }
            case YEAR -> z.toLocalDate().withDayOfYear(1).atStartOfDay(zone);
        };
        return s.toInstant();
    }

    /** The start of the interval after the one starting at {@code start}. */
    public Instant next(Instant start, ZoneId zone) {
        ZonedDateTime z = start.atZone(zone);
        return switch (this) {
            case M15, M30, M60 -> start.plus(Duration.ofMinutes(minutes()));
            case DAY -> z.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            case WEEK -> z.toLocalDate().plusWeeks(1).atStartOfDay(zone).toInstant();
            case MONTH -> z.toLocalDate().plusMonths(1).atStartOfDay(zone).toInstant();
            case QUARTER -> z.toLocalDate().plusMonths(3).atStartOfDay(zone).toInstant();
            case YEAR -> z.toLocalDate().plusYears(1).atStartOfDay(zone).toInstant();
        };
    }

    private long minutes() {
        return switch (this) {
            case M15 -> 15;
            case M30 -> 30;
            default -> 60;
        };
    }
}
