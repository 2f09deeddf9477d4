package dev.hotline.ivr.calendar;

import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.testing.TestDatabase;
import dev.hotline.schedule.ManualTimer;
import dev.hotline.schedule.Scheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A background re-read of table {@code business_calendar} that overlaps an admin's save must not put the older
 * read back in memory: the save made while the re-read was between its query and its publication stays.
 */
@Tag("slow")
class DatabaseCalendarsReloadRaceTest {

    /** The tests call {@code reload()} themselves: nothing is ever scheduled on it. */
    private static final Scheduler UNSTARTED = new Scheduler(new ManualTimer(Instant.EPOCH));

    static final String UTC_CLOSED = "{\"time_zone\":\"UTC\",\"weekly\":{\"daily\":\"closed\"}}";

    @TempDir
    Path dir;
    TestDatabase db;
    DatabaseCalendars calendars;
    /** Run (once) when the connection that read the whole table is closed: just after the read, before publishing. */
    final AtomicReference<Runnable> afterTableRead = new AtomicReference<>();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.h2(dir.resolve("db"));
        db.database().migrate();
        DataSource real = db.database().dataSource();
        DataSource hooked = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object r = invoke(real, method, args);
                    return method.getName().equals("getConnection") ? hook((Connection) r) : r;
                });
        calendars = new DatabaseCalendars(AppDatabase.of(hooked, "hooked H2"), UNSTARTED,
                InstantSource.system(), Duration.ofHours(1));
    }

    private Connection hook(Connection c) {
        AtomicBoolean readAll = new AtomicBoolean();
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args[0] instanceof String sql
                    && sql.startsWith("SELECT") && sql.contains("FROM business_calendar ORDER BY")) {
                readAll.set(true);
            }
            Object r = invoke(c, method, args);
            if (method.getName().equals("close") && readAll.get()) {
                Runnable task = afterTableRead.getAndSet(null);
                if (task != null) {
                    task.run();
                }
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @AfterEach
    void close() throws Exception {
        calendars.close();
        db.close();
    }

    @Test
    void aSaveMadeWhileTheTableIsReReadIsNotUndoneInMemory() throws Exception {
        assertThat(calendars.reload()).isTrue();
        assertThat(calendars.find("support")).isEmpty();
        AtomicReference<Throwable> saveFailed = new AtomicReference<>();
        Thread saver = new Thread(() -> {
            try {
                calendars.save("support", UTC_CLOSED, "root");
            } catch (Exception | Error e) {
                saveFailed.set(e);
            }
        }, "admin-save");
        // Between the re-read's query and its publication, an admin saves a calendar from another thread. The
        // re-read waits until that save has either finished or is blocked waiting for the re-read to finish.
        afterTableRead.set(() -> {
            saver.start();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (saver.getState() != Thread.State.BLOCKED && saver.getState() != Thread.State.TERMINATED
                    && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        assertThat(calendars.reload()).isTrue();
        saver.join(10_000);
        assertThat(saveFailed.get()).isNull();
        assertThat(calendars.find("support")).as("the saved calendar, in memory").isPresent();
        assertThat(calendars.overlay()).containsKey("support");
    }
}
