package dev.hotline.ivr.calendar;

import dev.hotline.records.store.AppDatabase;
import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import dev.hotline.yaml.YamlProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The calendars kept in the database, as the engine sees them now: a snapshot of table {@code business_calendar},
 * changed at once by {@link #save} and {@link #setEnabled}, and re-read every {@code refresh} (changes made by
 * another engine on the same database). {@link #overlay()} is what the IVR repository lays over the calendar
 * files: every enabled row, replacing the file calendar of the same name. Each change runs the listener, which
 * publishes a new IVR catalog, so {@code hours} nodes and the callbacks window of calls that start afterwards
 * see it.
 *
 * <p>The database may be unreachable when the engine starts: the snapshot is then empty (the files alone count),
 * and a background thread migrates and loads it as soon as the database answers. Writes need the database and fail
 * with its error.
 */
public final class DatabaseCalendars implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCalendars.class);
    private static final Duration RETRY = Duration.ofSeconds(5);

    /** A definition that does not validate: its problems, each with its key path. */
    public static final class InvalidCalendarException extends Exception {
        private final transient List<YamlProblem> problems;

        public InvalidCalendarException(String name, List<YamlProblem> problems) {
            super("calendar " + name + ": " + problems.stream().map(p -> (p.path().isEmpty() ? "" : p.path() + ": ")
                    + p.message()).toList(), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<YamlProblem> problems() {
            return problems;
        }
    }

    private final AppDatabase database;
    private final CalendarStore store;
    private final Scheduler scheduler;
    private final InstantSource clock;
    private final Duration refresh;
    private final Object lock = new Object();
    private volatile Map<String, StoredCalendar> rows = Map.of();
    private volatile Map<String, BusinessCalendar> overlay = Map.of();
    private volatile boolean loaded;
    private volatile String lastError = "";
    private volatile Runnable listener = () -> { };
    private volatile Scheduler.Task loader;

    public DatabaseCalendars(AppDatabase database, Scheduler scheduler, InstantSource clock, Duration refresh) {
        this.database = Objects.requireNonNull(database, "database");
        this.store = new CalendarStore(database.dataSource());
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
    }

    /** Run after every change of the overlay (the engine republishes its IVR catalog). */
    public void onChange(Runnable r) {
        this.listener = Objects.requireNonNull(r, "listener");
    }

    /** Starts the loader: first load now, then every {@code refresh} (every 5 s while the database is down). */
    public DatabaseCalendars start() {
        loader = scheduler.start("calendars-db", Cadence.refreshEvery(refresh).retryEvery(RETRY), a -> reload());
        return this;
    }

    /** Waits until the first load attempt is over; true when the calendars have been read. */
    public boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
        Scheduler.Task t = loader;
        if (t != null) {
            t.awaitFirstRun(timeout);
        }
        return loaded;
    }

    /**
     * Re-reads the table (migrating first); runs the listener when the overlay changed.
     *
     * @return whether the table was read
     */
    public boolean reload() {
        try {
            database.migrate();
            List<StoredCalendar> all;
            boolean changed;
            // Read under the lock: a save or an enable/disable made meanwhile must not be replaced in memory by
            // this older read (it would stay undone until the next refresh).
            synchronized (lock) {
                all = store.all();
                Map<String, StoredCalendar> m = new LinkedHashMap<>();
                all.forEach(c -> m.put(c.name(), c));
                changed = publish(m);
            }
            if (!loaded) {
                log.info("calendars: {} calendar(s) in {} ({} enabled)", all.size(), database.description(),
                        overlay.size());
            } else if (!lastError.isEmpty()) {
                log.info("calendars: {} reachable again", database.description());
            }
            loaded = true;
            lastError = "";
            if (changed) {
                listener.run();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            if (lastError.isEmpty()) {
                log.warn("calendars: database {} unreachable ({}); the calendar files alone apply until it answers",
                        database.description(), e.toString());
            }
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            return false;
        }
    }

    /** Replaces the snapshot; whether the overlay changed. Called under {@link #lock}. */
    private boolean publish(Map<String, StoredCalendar> m) {
        Map<String, BusinessCalendar> o = new LinkedHashMap<>();
        m.values().stream().filter(StoredCalendar::enabled).forEach(c -> o.put(c.name(), c.calendar()));
        boolean changed = !o.equals(overlay);
        rows = Map.copyOf(m);
        overlay = Map.copyOf(o);
        return changed;
    }

    /** The enabled database calendars, by name: what replaces or adds to the calendar files. */
    public Map<String, BusinessCalendar> overlay() {
        return overlay;
    }

    /** Every database calendar, enabled or not, by name. */
    public List<StoredCalendar> all() {
        return rows.values().stream().sorted(java.util.Comparator.comparing(StoredCalendar::name)).toList();
    }

    public Optional<StoredCalendar> find(String name) {
        return Optional.ofNullable(rows.get(name));
    }

    /** Whether the table has been read since the start. */
    public boolean loaded() {
        return loaded;
    }

    /** Why the last read failed; empty when it succeeded. */
    public String lastError() {
        return lastError;
    }

    /**
     * Validates {@code definition} with the calendar files' rules and stores it as calendar {@code name} (enabled),
     * replacing a previous version.
     */
    public StoredCalendar save(String name, String definition, String by) throws InvalidCalendarException,
            SQLException {
        Optional<String> bad = CalendarDefinition.nameProblem(name);
        if (bad.isPresent()) {
            throw new InvalidCalendarException(name, List.of(YamlProblem.error(
                    new dev.hotline.yaml.YamlLocation("calendar " + name, 1, 1), "name", bad.get())));
        }
        CalendarDefinition.Result r = CalendarDefinition.read(name, definition);
        if (!r.valid()) {
            throw new InvalidCalendarException(name, r.problems().stream()
                    .filter(p -> p.severity() == YamlProblem.Severity.ERROR).toList());
        }
        database.migrate();
        StoredCalendar saved;
        boolean changed;
        synchronized (lock) {
            var now = clock.instant();
            StoredCalendar before = rows.get(name);
            saved = new StoredCalendar(name, definition, r.calendar().get(), true,
                    before == null ? now : before.createdAt(), now, by);
            store.save(saved);
            Map<String, StoredCalendar> m = new LinkedHashMap<>(rows);
            m.put(name, saved);
            changed = publish(m);
        }
        if (changed) {
            listener.run();
        }
        return saved;
    }

    /** Enables or disables database calendar {@code name}; empty when there is none. */
    public Optional<StoredCalendar> setEnabled(String name, boolean enabled, String by) throws SQLException {
        database.migrate();
        StoredCalendar updated;
        boolean changed;
        synchronized (lock) {
            StoredCalendar before = rows.get(name);
            var now = clock.instant();
            if (!store.setEnabled(name, enabled, now, by)) {
                return Optional.empty();
            }
            updated = before != null ? before.withEnabled(enabled, now, by)
                    : store.find(name).orElseThrow(() -> new SQLException("calendar " + name + " vanished"));
            Map<String, StoredCalendar> m = new LinkedHashMap<>(rows);
            m.put(name, updated);
            changed = publish(m);
        }
        if (changed) {
            listener.run();
        }
        return Optional.of(updated);
    }

    @Override
    public void close() {
        Scheduler.Task t = loader;
        if (t != null) {
            t.stop();
        }
    }
}
