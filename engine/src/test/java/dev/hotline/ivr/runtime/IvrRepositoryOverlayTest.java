package dev.hotline.ivr.runtime;

import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.calendar.CalendarDefinition;
import dev.hotline.ivr.validate.IvrLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Database calendars laid over the calendar files: they add, replace, and when withdrawn the file comes back. */
class IvrRepositoryOverlayTest {

    static final String SCRIPT = """
            id: main
            entry: hours
            nodes:
              hours: {type: hours, calendar: %s, open: q, closed: bye}
              q: {type: queue, queue: sales}
              bye: {type: hangup}
            """;
    static final Instant MONDAY_NOON = Instant.parse("2026-03-02T12:00:00Z");

    @TempDir
    Path dir;

    private static BusinessCalendar calendar(String name, String json) {
        return CalendarDefinition.read(name, json).calendar().orElseThrow();
    }

    @Test
    void aScriptUsingADatabaseCalendarIsPublishedOnceTheCalendarExists() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("ivr"));
        Path cals = Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(scripts.resolve("main.yaml"), SCRIPT.formatted("support"));
        Map<String, BusinessCalendar> overlay = new HashMap<>();
        IvrRepository repo = new IvrRepository(scripts, cals, new IvrLoader(Optional.of(Set.of("sales")), Map.of()))
                .overlay(() -> Map.copyOf(overlay));
        repo.poll();
        assertThat(repo.current().script("main")).isEmpty();
        assertThat(repo.problems()).anySatisfy(p -> assertThat(p.message()).contains("unknown calendar \"support\""));

        overlay.put("support", calendar("support", "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"09:00-17:00\"}}"));
        assertThat(repo.poll()).isTrue();
        assertThat(repo.current().script("main")).isPresent();
        assertThat(repo.current().calendar("support").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(repo.fileCalendars()).isEmpty();
    }

    @Test
    void aDatabaseCalendarReplacesTheFileOfItsNameUntilWithdrawn() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("ivr"));
        Path cals = Files.createDirectories(dir.resolve("calendars"));
        Files.writeString(cals.resolve("office.yaml"), "time_zone: UTC\nweekly:\n  daily: 09:00-17:00\n");
        Files.writeString(scripts.resolve("main.yaml"), SCRIPT.formatted("office"));
        Map<String, BusinessCalendar> overlay = new HashMap<>();
        IvrRepository repo = new IvrRepository(scripts, cals, new IvrLoader(Optional.of(Set.of("sales")), Map.of()))
                .overlay(() -> Map.copyOf(overlay));
        repo.poll();
        IvrCatalog fromFile = repo.current();
        assertThat(fromFile.calendar("office").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.OPEN);

        overlay.put("office", calendar("office", "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}"));
        assertThat(repo.poll()).isTrue();
        assertThat(repo.current().calendar("office").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.CLOSED);
        assertThat(repo.fileCalendars().get("office").status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.OPEN);
        // A call that started before keeps its catalog.
        assertThat(fromFile.calendar("office").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.OPEN);

        overlay.clear();
        assertThat(repo.poll()).isTrue();
        assertThat(repo.current().calendar("office").orElseThrow().status(MONDAY_NOON).state())
                .isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(repo.current().script("main")).isPresent();
    }
}
