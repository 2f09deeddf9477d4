package dev.hotline.records.store;

import dev.hotline.schedule.Cadence;
import dev.hotline.schedule.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the records database answers, checked in the background every {@code period} (borrow a connection, ask
 * the driver whether it is valid), so a health page can say so without waiting on the database itself. The record
 * writer's own view ({@code RecordWriter.databaseUp()}) only changes when it writes; this one also notices an
 * outage while nothing is being written. The engine keeps taking calls either way: records are journaled and
 * replayed.
 */
public final class DatabaseHealth implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealth.class);
    private static final int VALID_TIMEOUT_SECONDS = 2;

    /**
     * One check's answer.
     *
     * @param up        the database answered
     * @param since     when it last changed between up and down
     * @param checkedAt when this check ran
     * @param reason    why it is down (the driver's message); empty when up
     */
    public record Status(boolean up, Instant since, Instant checkedAt, String reason) {
        public Status {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(checkedAt, "checkedAt");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final AppDatabase database;
    private final Scheduler scheduler;
    private final InstantSource clock;
    private final Duration period;
    private volatile Status status;
    private Scheduler.Task task;

    public DatabaseHealth(AppDatabase database, Scheduler scheduler, InstantSource clock, Duration period) {
        this.database = Objects.requireNonNull(database, "database");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.period = Objects.requireNonNull(period, "period");
    }

    /** Checks now (in the background) and then every period. */
    public DatabaseHealth start() {
        task = scheduler.start("records-health", Cadence.refreshEvery(period), a -> {
            check();   // never fails: a database that does not answer is the answer
            return true;
        });
        return this;
    }

    /** The last check's answer; empty until the first check is over. */
    public Optional<Status> status() {
        return Optional.ofNullable(status);
    }

    /** Runs one check and returns its answer (blocks up to the pool's connection timeout). */
    public Status check() {
        String reason;
        try (Connection c = database.dataSource().getConnection()) {
            reason = c.isValid(VALID_TIMEOUT_SECONDS) ? "" : "the connection did not answer within "
                    + VALID_TIMEOUT_SECONDS + " s";
        } catch (SQLException | RuntimeException e) {
            reason = AppDatabase.rootMessage(e);
        }
        Instant now = clock.instant();
        boolean up = reason.isEmpty();
        Status before = status;
        Instant since = before == null || before.up() != up ? now : before.since();
        if (before != null && before.up() != up) {
            if (up) {
                log.info("records: {} answers again", database.description());
            } else {
                log.warn("records: {} does not answer: {}", database.description(), reason);
            }
        } else if (before == null && !up) {
            log.warn("records: {} does not answer: {}", database.description(), reason);
        }
        Status s = new Status(up, since, now, up ? "" : database.description() + ": " + reason);
        status = s;
        return s;
    }

    @Override
    public void close() {
        if (task != null) {
            task.stop();
        }
    }
}
