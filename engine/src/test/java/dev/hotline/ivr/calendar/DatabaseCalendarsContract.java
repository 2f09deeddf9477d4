package dev.hotline.ivr.calendar;

import dev.hotline.records.testing.TestDatabase;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@link CalendarStore} and {@link DatabaseCalendars} on a migrated database; H2 and MariaDB by the subclasses. */
@Tag("slow")
abstract class DatabaseCalendarsContract {

    /** The tests call {@code reload()} themselves: nothing is ever scheduled on it. */
    private static final Scheduler UNSTARTED = new Scheduler(new ManualTimer(Instant.EPOCH));

    static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    static final String PARIS = "{\"time_zone\":\"Europe/Paris\",\"weekly\":{\"weekdays\":\"09:00-17:00\"},"
            + "\"holidays\":[{\"date\":\"2026-05-01\",\"name\":\"Fête du travail\"}],"
            + "\"special\":[{\"date\":\"2026-05-02\",\"hours\":[\"10:00-12:00\"]}]}";

    @TempDir
    Path dir;
    TestDatabase db;
    AtomicReference<Instant> now = new AtomicReference<>(T0);
    DatabaseCalendars calendars;
    AtomicInteger changes = new AtomicInteger();

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void open() {
        db = TestDatabase.open(kind(), dir.resolve("db"));
        calendars = new DatabaseCalendars(db.database(), UNSTARTED, (InstantSource) now::get, Duration.ofHours(1));
        calendars.onChange(changes::incrementAndGet);
    }

    @AfterEach
    void close() throws SQLException {
        calendars.close();
        db.close();
    }

    @Test
    void aSavedCalendarIsStoredReadBackAndLaidOverTheFiles() throws Exception {
        assertThat(calendars.reload()).isTrue();
        assertThat(calendars.overlay()).isEmpty();
        StoredCalendar saved = calendars.save("support", PARIS, "root");
        assertThat(changes.get()).isEqualTo(1);
        BusinessCalendar c = calendars.overlay().get("support");
        assertThat(c.zone().getId()).isEqualTo("Europe/Paris");
        // 2026-03-02 is a Monday: 09:00 Paris is 08:00Z.
        assertThat(c.status(T0).state()).isEqualTo(BusinessCalendar.State.OPEN);
        assertThat(c.status(Instant.parse("2026-05-01T10:00:00Z")).state()).isEqualTo(BusinessCalendar.State.HOLIDAY);
        assertThat(c.status(Instant.parse("2026-05-02T08:30:00Z")).state()).isEqualTo(BusinessCalendar.State.OPEN);

        CalendarStore store = new CalendarStore(db.database().dataSource());
        StoredCalendar read = store.find("support").orElseThrow();
        assertThat(read).isEqualTo(saved);
        assertThat(read.definition()).contains("Fête du travail");
        assertThat(read.updatedBy()).isEqualTo("root");
    }

    @Test
    void changingKeepsTheCreationTimeAndDisablingRemovesItFromTheOverlay() throws Exception {
        calendars.save("support", PARIS, "root");
        now.set(T0.plusSeconds(60));
        StoredCalendar changed = calendars.save("support", "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}",
                "ann");
        assertThat(changed.createdAt()).isEqualTo(T0);
        assertThat(changed.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(calendars.overlay().get("support").status(T0).state()).isEqualTo(BusinessCalendar.State.CLOSED);

        now.set(T0.plusSeconds(120));
        StoredCalendar off = calendars.setEnabled("support", false, "ann").orElseThrow();
        assertThat(off.enabled()).isFalse();
        assertThat(calendars.overlay()).doesNotContainKey("support");
        assertThat(calendars.all()).extracting(StoredCalendar::name).containsExactly("support");
        assertThat(changes.get()).isEqualTo(3);
        assertThat(calendars.setEnabled("nothing", false, "ann")).isEmpty();

        // A fresh engine reads the same state back.
        DatabaseCalendars again = new DatabaseCalendars(db.database(), UNSTARTED, InstantSource.system(), Duration.ofHours(1));
        assertThat(again.reload()).isTrue();
        assertThat(again.overlay()).isEmpty();
        assertThat(again.find("support").orElseThrow().enabled()).isFalse();
        assertThat(again.find("support").orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(120));
        calendars.setEnabled("support", true, "ann");
        assertThat(again.reload()).isTrue();
        assertThat(again.overlay()).containsKey("support");
    }

    @Test
    void anInvalidDefinitionIsRefusedWithEveryProblemAndItsKeyPath() throws Exception {
        var e = catchThrowableOfType(DatabaseCalendars.InvalidCalendarException.class, () -> calendars.save("support",
                "{\"time_zone\":\"Mars/Olympus\",\"weekly\":{\"monday\":\"9-17\"},"
                        + "\"holidays\":[{\"from\":\"2026-05-02\",\"to\":\"2026-05-01\"}],\"colour\":\"red\"}", "root"));
        assertThat(e.problems()).extracting(p -> p.path()).contains("time_zone", "weekly.monday", "colour");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).contains("Mars/Olympus"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.path()).startsWith("holidays[0]"));
        assertThat(e.getMessage()).contains("weekly.monday");
        assertThatThrownBy(() -> calendars.save("Bad Name", PARIS, "root"))
                .isInstanceOf(DatabaseCalendars.InvalidCalendarException.class).hasMessageContaining("Bad Name");
        assertThatThrownBy(() -> calendars.save("x", "{not json", "root"))
                .isInstanceOf(DatabaseCalendars.InvalidCalendarException.class);
        assertThat(changes.get()).isZero();
        db.database().migrate();
        assertThat(new CalendarStore(db.database().dataSource()).all()).isEmpty();
    }

    @Test
    void whileTheDatabaseIsDownWritesFailAndTheSnapshotStays() throws Exception {
        calendars.save("support", PARIS, "root");
        db.switchable().off();
        assertThat(calendars.reload()).isFalse();
        assertThat(calendars.lastError()).contains("Connection refused");
        assertThat(calendars.overlay()).containsKey("support");
        assertThatThrownBy(() -> calendars.save("other", PARIS, "root")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> calendars.setEnabled("support", false, "root")).isInstanceOf(SQLException.class);
        assertThat(calendars.overlay()).containsKey("support");
        assertThat(calendars.find("other")).isEmpty();
        db.switchable().on();
        assertThat(calendars.reload()).isTrue();
        assertThat(calendars.lastError()).isEmpty();
    }
}
