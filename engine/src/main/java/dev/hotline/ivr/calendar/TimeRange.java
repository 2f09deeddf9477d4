package dev.hotline.ivr.calendar;

import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opening hours within one day, {@code start} inclusive to {@code end} exclusive, in minutes since midnight;
 * {@code end} may be 1440 ({@code 24:00}). Written {@code 09:00-24:00}.
 */
public record TimeRange(int start, int end) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    public TimeRange {
        if (start < 0 || end > 1440 || start >= end) {
            throw new IllegalArgumentException("hours: " + show(start) + "-" + show(end)
                    + " (expected: start before end, within 00:00-24:00)");
        }
    }

    /** Parses {@code HH:MM-HH:MM}; throws with what is expected. */
    public static TimeRange parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: HH:MM-HH:MM, e.g. 09:00-17:30)");
        }
        int h1 = Integer.parseInt(m.group(1));
        int m1 = Integer.parseInt(m.group(2));
        int h2 = Integer.parseInt(m.group(3));
        int m2 = Integer.parseInt(m.group(4));
        if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || h2 == 24 && m2 != 0) {
            throw new IllegalArgumentException("\"" + text + "\" (expected: times from 00:00 to 24:00)");
        }
        return new TimeRange(h1 * 60 + m1, h2 * 60 + m2);
    }

    public boolean contains(LocalTime t) {
        int minute = t.getHour() * 60 + t.getMinute();
        return minute >= start && minute < end;
    }

    private static String show(int minutes) {
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }

    @Override
    public String toString() {
        return show(start) + "-" + show(end);
    }
}
