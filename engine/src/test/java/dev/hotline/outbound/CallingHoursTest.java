package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallingHoursTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    private final CallingHours hours = CallingHours.parse("09:00-20:00", "mon-fri");

    @Test
    void theSameInstantIsOpenInOneZoneAndClosedInAnother() {
        Instant t = Instant.parse("2026-12-07T15:00:00Z");   // Monday: 16:00 Paris, 10:00 New York, Tue 02:00 Sydney
        assertThat(hours.allows(t, PARIS)).isTrue();
        assertThat(hours.allows(t, NEW_YORK)).isTrue();
        assertThat(hours.allows(t, SYDNEY)).isFalse();
        Instant evening = Instant.parse("2026-12-07T19:30:00Z");   // 20:30 Paris, 14:30 New York
        assertThat(hours.allows(evening, PARIS)).isFalse();
        assertThat(hours.allows(evening, NEW_YORK)).isTrue();
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        assertThat(hours.allows(Instant.parse("2026-12-07T08:00:00Z"), PARIS)).isTrue();
        assertThat(hours.allows(Instant.parse("2026-12-07T18:59:59Z"), PARIS)).isTrue();
        assertThat(hours.allows(Instant.parse("2026-12-07T19:00:00Z"), PARIS)).isFalse();
    }

    @Test
    void nextOpenIsTheContactsNextMorningSkippingTheWeekend() {
        Instant fridayNight = Instant.parse("2026-12-11T21:00:00Z");   // Fri 22:00 Paris
        assertThat(hours.nextOpen(fridayNight, PARIS)).isEqualTo(Instant.parse("2026-12-14T08:00:00Z"));
        Instant early = Instant.parse("2026-12-07T06:00:00Z");   // Mon 01:00 New York
        assertThat(hours.nextOpen(early, NEW_YORK)).isEqualTo(Instant.parse("2026-12-07T14:00:00Z"));
        Instant open = Instant.parse("2026-12-07T15:00:00Z");
        assertThat(hours.nextOpen(open, PARIS)).isEqualTo(open);
    }

    @Test
    void daylightSavingMovesTheWindowInUtc() {
        // 09:00 in New York is 14:00Z in winter, 13:00Z in summer.
        assertThat(hours.allows(Instant.parse("2026-07-06T13:30:00Z"), NEW_YORK)).isTrue();
        assertThat(hours.allows(Instant.parse("2026-12-07T13:30:00Z"), NEW_YORK)).isFalse();
    }

    @Test
    void badWindowsAndDaysAreRefusedWithWhatWasWritten() {
        assertThatThrownBy(() -> CallingHours.parse("20:00-09:00", "mon")).hasMessageContaining("from before to");
        assertThatThrownBy(() -> CallingHours.parse("9h-20h", "mon")).hasMessageContaining("'9h-20h' (expected: HH:MM-HH:MM)");
        assertThatThrownBy(() -> CallingHours.parse("09:00-20:00", "mon,fun"))
                .hasMessageContaining("'fun' in 'mon,fun'");
        assertThatThrownBy(() -> new CallingHours(LocalTime.NOON, LocalTime.MIDNIGHT.minusNanos(1), Set.of()))
                .hasMessageContaining("no days");
        assertThat(CallingHours.parse("10:00-12:00", "fri-mon").days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY,
                DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
    }
}
