package dev.hotline.records;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.queuelog.QueueLogEvent;
import dev.hotline.records.queuelog.QueueLogEvents;
import dev.hotline.records.queuelog.QueueLogWriter;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The records feature in one object, what the engine creates at start-up: the database (from
 * {@link DatabaseConfig}), the {@link RecordWriter}, the optional queue_log output and the {@link Reports}.
 *
 * <pre>
 *   CallRecords records = CallRecords.open(config.database(), RecordsSettings.defaults(config.database().dataDir()),
 *           config.queues(), metrics.registry(), InstantSource.system());
 *   records.submit(callRecord);        // at the end of a call (again when disposition / survey arrive)
 *   records.submit(agentStateChange);  // on every agent transition
 *   records.reports().queues(from, to, Grouping.M30, Optional.empty());
 * </pre>
 * {@code submit} never blocks; queue_log lines are written on their own thread.
 */
public final class CallRecords implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallRecords.class);

    private final AppDatabase database;
    private final RecordStore store;
    private final RecordWriter writer;
    private volatile Reports reports;
    private final QueueLogWriter queueLog;
    private final ThreadPoolExecutor queueLogThread;
    private final Counter queueLogDropped;

    private CallRecords(AppDatabase database, RecordWriter writer, Reports reports, QueueLogWriter queueLog,
                        MeterRegistry registry) {
        this.database = database;
        this.store = new RecordStore(database);
        this.writer = writer;
        this.reports = reports;
        this.queueLog = queueLog;
        this.queueLogDropped = Counter.builder("hotline.records.queue_log.dropped")
                .description("queue_log lines not written (queue full or I/O error)").register(registry);
        this.queueLogThread = queueLog == null ? null : new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(10_000), r -> {
                    Thread t = new Thread(r, "records-queue-log");
                    t.setDaemon(true);
                    return t;
                }, (r, ex) -> queueLogDropped.increment());
    }

    /** Opens the database pool (without connecting), the journal (replaying it) and the optional queue_log. */
    public static CallRecords open(DatabaseConfig config, RecordsSettings settings, List<QueueConfig> queues,
                                   MeterRegistry registry, InstantSource clock) throws IOException {
        AppDatabase db = AppDatabase.open(config);
        try {
            return open(db, settings, queues, registry, clock);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Same, over a database the caller opened (tests, benchmarks). */
    public static CallRecords open(AppDatabase db, RecordsSettings settings, List<QueueConfig> queues,
                                   MeterRegistry registry, InstantSource clock) throws IOException {
        RecordStore store = new RecordStore(db);
        RecordWriter writer = RecordWriter.start(store, settings.writer(), registry);
        QueueLogWriter ql = null;
        try {
            ql = settings.queueLog().isPresent() ? QueueLogWriter.open(settings.queueLog().get()) : null;
        } catch (IOException e) {
            writer.close();
            throw new IOException("records: opening queue_log " + settings.queueLog().get() + ": " + e.getMessage(),
                    e);
        }
        Reports reports = new Reports(store, clock, settings.reportZone(), queues, settings.shortAbandonByQueue(),
                settings.shortAbandonDefault());
        return new CallRecords(db, writer, reports, ql, registry);
    }

    /** Whether agent transitions are stored (false on a pair's standby engine). */
    private volatile java.util.function.BooleanSupplier historyActive = () -> true;

    /** Stores a call record (replacing an earlier version of the same call); never blocks. */
    public boolean submit(CallRecord record) {
        boolean ok = writer.submit(record);
        if (ok && queueLog != null) {
            queueLogThread.execute(() -> writeQueueLog(QueueLogEvents.forCall(record)));
        }
        return ok;
    }

    /**
     * Agent transitions are stored only while {@code active} says so: the standby engine of a pair follows the
     * agents' phones over AMI but the active engine alone writes their history (no transition twice).
     */
    public void agentHistoryOnlyWhile(java.util.function.BooleanSupplier active) {
        this.historyActive = java.util.Objects.requireNonNull(active, "active");
    }

    /** Stores an agent transition; never blocks. Dropped (true) on a pair's standby engine. */
    public boolean submit(AgentStateChange change) {
        if (!historyActive.getAsBoolean()) {
            return true;
        }
        boolean ok = writer.submit(change);
        if (ok && queueLog != null) {
            List<QueueLogEvent> lines = QueueLogEvents.forAgent(change);
            if (!lines.isEmpty()) {
                queueLogThread.execute(() -> writeQueueLog(lines));
            }
        }
        return ok;
    }

    private void writeQueueLog(List<QueueLogEvent> lines) {
        try {
            queueLog.write(lines);
        } catch (IOException e) {
            queueLogDropped.increment(lines.size());
            log.error("records: {}; {} line(s) not written", e.getMessage(), lines.size());
        }
    }

    public RecordWriter writer() {
        return writer;
    }

    public Reports reports() {
        return reports;
    }

    /**
     * Reports from now on take each queue's service-level target from {@code queues} at each report (the engine's
     * live definitions: a queue retargeted through the admin page is reported with its new target at once).
     */
    public void reportWithLiveQueues(java.util.function.Supplier<Map<String, QueueConfig>> queues) {
        reports = reports.withLiveQueues(queues);
    }

    /** Reads stored records back (reports, tests, the gateway). */
    public RecordStore store() {
        return store;
    }

    public AppDatabase database() {
        return database;
    }

    @Override
    public void close() {
        try {
            writer.close();
            if (queueLogThread != null) {
                queueLogThread.shutdown();
                if (!queueLogThread.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.warn("records: queue_log writer did not finish within 5 s");
                }
                queueLog.close();
            }
        } catch (IOException e) {
            log.error("records: closing queue_log: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            database.close();
        }
    }
}
