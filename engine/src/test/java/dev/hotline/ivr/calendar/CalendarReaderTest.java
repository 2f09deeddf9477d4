package dev.hotline.ivr.calendar;

import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlTreeReader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CalendarReaderTest {

    private static Optional<BusinessCalendar> read(String yaml, Problems p) throws Exception {
        return CalendarReader.read("test", YamlTreeReader.parse(yaml, "cal.yaml"), p);
    }

    @Test
    void openUntilMidnightDailyInItsTimeZone() throws Exception {
        BusinessCalendar c = read("time_zone: Asia/Shanghai\nweekly:\n  daily: 09:00-24:00\n", new Problems())
                .orElseThrow();
        assertThat(c.status(Instant.parse("2026-03-02T15:59:00Z")).state()).isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(c.status(Instant.parse("2026-03-02T16:00:00Z")).state()).isEqualTo(BusinessCalendar.State.CLOSED);
        assertThat(c.status(Instant.parse("2026-03-02T01:00:00Z")).state()).isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(c.status(Instant.parse("2026-03-02T00:59:00Z")).state()).isEqualTo(BusinessCalendar.State.CLOSED);
    }

    @Test
    void aDayOverridesItsGroupAndSpecialHoursOverrideHolidays() throws Exception {
        BusinessCalendar c = read("""
                time_zone: UTC
                weekly: {monday: closed, daily: 08:00-10:00}
                holidays: [{from: 2026-03-03, to: 2026-03-05, name: works}]
                special: [{date: 2026-03-04, hours: [07:00-08:00]}]
                """, new Problems()).orElseThrow();
        assertThat(c.status(Instant.parse("2026-03-02T09:00:00Z")).state()).isEqualTo(BusinessCalendar.State.CLOSED);
        assertThat(c.status(Instant.parse("2026-03-03T09:00:00Z")).reason()).endsWith("holiday works");
        assertThat(c.status(Instant.parse("2026-03-04T07:30:00Z")).state()).isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(c.status(Instant.parse("2026-03-06T09:00:00Z")).state()).isEqualTo(BusinessCalendar.State.OPEN);
    }

    @Test
    void badValuesAreReportedAtTheirPlace() throws Exception {
        Problems p = new Problems();
        assertThat(read("""
                time_zone: Mars/Olympus
                weekly:
                  daily: [09:00-12:00, 11:00-13:00]
                  funday: 10:00-11:00
                holidays: [2026-02-30]
                special: [{date: 2026-01-01, hours: 18:00-09:00}]
                """, p)).isEmpty();
        assertThat(p.sorted()).extracting(YamlProblem::toString).containsExactly(
                "cal.yaml:1:12: error: time_zone: \"Mars/Olympus\" (expected: a time zone such as Europe/Paris or UTC)",
                "cal.yaml:3:10: error: weekly.daily: hours 09:00-12:00 and 11:00-13:00 overlap",
                "cal.yaml:4:3: error: weekly.funday: unknown key, did you mean 'sunday'? (expected one of: daily,"
                        + " friday, monday, saturday, sunday, thursday, tuesday, wednesday, weekdays, weekends)",
                "cal.yaml:5:12: error: holidays[0]: \"2026-02-30\" (expected: a date YYYY-MM-DD)",
                "cal.yaml:6:37: error: special[0].hours: hours: 18:00-09:00 (expected: start before end, within"
                        + " 00:00-24:00)");
    }
}
