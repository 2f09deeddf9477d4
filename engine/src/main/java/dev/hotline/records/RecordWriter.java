package dev.hotline.records;

import dev.hotline.records.journal.EntryCodec;
import dev.hotline.records.journal.Journal;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.store.RecordStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores call records and agent transitions without ever blocking the caller and without losing what it
 * accepted.
 *
 * <p>Design. {@link #submit} only offers the entry to a bounded in-memory queue and returns. Two threads do the
 * rest:
 * <ol>
 *   <li><b>records-journal</b> drains the queue in batches, appends each batch to the {@link Journal} (a local
 *       append-only file) and fsyncs it by group commit: at most {@code fsync_interval} after the write, or after
 *       every write when the interval is zero. An entry is <em>durable</em> once fsynced: it survives kill -9 and
 *       power loss. The window in which an accepted entry can still be lost to a crash is the time it spends in
 *       the queue plus the fsync interval (normally well under 100 ms).</li>
 *   <li><b>records-db</b> reads the journal from the checkpoint and writes batches to the database in one
 *       transaction each, then moves the checkpoint. When the database fails it logs once, keeps the entries in
 *       the journal and retries with backoff; the journal thread is unaffected, so callers never notice. When
 *       the database is back, the backlog is replayed in journal order.</li>
 * </ol>
 * Database writes are idempotent (see {@link RecordStore}), so entries written just before a crash or a lost
 * commit acknowledgement and then replayed are stored once. On start the writer replays whatever the previous
 * run left after its checkpoint.
 *
 * <p>Metrics: {@code hotline.records.queue.depth}, {@code hotline.records.journal.bytes},
 * {@code hotline.records.pending} (in the journal, not yet in the database), {@code hotline.records.database.up},
 * {@code hotline.records.stored}, {@code hotline.records.rejected}.
 */
public final class RecordWriter implements AutoCloseable {

    private final List<java.util.function.Consumer<List<CallRecord>>> storedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Least time from one database transaction's start to the next one's when the first was not full. */
    static final Duration COALESCE = Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

    private final RecordStore store;
    private final WriterSettings settings;
    private final Journal journal;
    private final BlockingQueue<RecordEntry> queue;
    private final Thread journalThread;
    private final Thread dbThread;
    private final Object progress = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private final long recovered;
    private final Counter rejected;
    private final Counter storedCounter;
    private volatile long journaled;
    private volatile long durable;
    private volatile long stored;
    private volatile boolean databaseUp = true;
    private volatile boolean closing;
    private volatile boolean halted;
    private volatile Throwable journalFailure;

    private RecordWriter(RecordStore store, WriterSettings settings, MeterRegistry registry) throws IOException {
        this.store = store;
        this.settings = settings;
        this.journal = Journal.open(settings.journalDir(), settings.segmentBytes());
        this.recovered = journal.recoveredEntries();
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.rejected = Counter.builder("hotline.records.rejected")
                .description("Entries refused because the in-memory queue was full").register(registry);
        this.storedCounter = Counter.builder("hotline.records.stored")
                .description("Entries written to the database").register(registry);
        Gauge.builder("hotline.records.queue.depth", queue, BlockingQueue::size)
                .description("Entries accepted and not yet journaled").register(registry);
        Gauge.builder("hotline.records.journal.bytes", journal, Journal::sizeBytes)
                .description("Size of the record journal's segment files").baseUnit("bytes").register(registry);
        Gauge.builder("hotline.records.pending", this, RecordWriter::pending)
                .description("Entries in the journal not yet in the database").register(registry);
        Gauge.builder("hotline.records.database.up", this, w -> w.databaseUp ? 1 : 0)
                .description("1 while the last database write succeeded").register(registry);
        if (recovered > 0) {
            log.info("records: {} entries in {} not yet in {}; replaying", fmt(recovered), journal.dir(),
                    store.database().description());
        }
        this.journalThread = new Thread(this::journalLoop, "records-journal");
        this.dbThread = new Thread(this::databaseLoop, "records-db");
        journalThread.setDaemon(true);
        dbThread.setDaemon(true);
    }

    /** Opens the journal, replays what a previous run left in it, and starts the two writer threads. */
    public static RecordWriter start(RecordStore store, WriterSettings settings, MeterRegistry registry)
            throws IOException {
        RecordWriter w = new RecordWriter(store, settings, registry);
        w.journalThread.start();
        w.dbThread.start();
        return w;
    }

    /** Accepts a call record; never blocks. False (counted, logged) only when the queue is full or closed. */
    public boolean submit(CallRecord record) {
        return offer(record);
    }

    /** Accepts an agent state transition; never blocks. False only when the queue is full or closed. */
    public boolean submit(AgentStateChange change) {
        return offer(change);
    }

    private boolean offer(RecordEntry e) {
        if (closing || halted) {
            rejected.increment();
            long n = (long) rejected.count();
            if (Long.bitCount(n) == 1) {   // the 1st, 2nd, 4th, 8th, … refusal
                log.error("records: writer closed; {} refused ({} so far)", describe(e), fmt(n));
            }
            return false;
        }
        if (!queue.offer(e)) {
            rejected.increment();
            // Rate-limit: log the 1st, 2nd, 4th, 8th, … refusal.
            long n = (long) rejected.count();
            if (Long.bitCount(n) == 1) {
                log.error("records: queue full ({} entries; journal at {} not keeping up); {} refused ({} so far)",
                        settings.queueCapacity(), journal.dir(), describe(e), fmt(n));
            }
            return false;
        }
        accepted.incrementAndGet();
        return true;
    }

    private static String describe(RecordEntry e) {
        return switch (e) {
            case CallRecord c -> "call record " + c.callId();
            case AgentStateChange a -> "agent " + a.agentId() + " transition " + a.from() + "->" + a.to();
        };
    }

    /** Entries in the journal that the database does not have yet (including those recovered at start). */
    public long pending() {
        return Math.max(0, recovered + journaled - stored);
    }

    public long queueDepth() {
        return queue.size();
    }

    public long journalBytes() {
        return journal.sizeBytes();
    }

    public boolean databaseUp() {
        return databaseUp;
    }

    /** Entries accepted by {@link #submit} since start. */
    public long accepted() {
        return accepted.get();
    }

    /** Waits until every entry accepted before this call is fsynced in the journal; false on timeout. */
    public boolean awaitDurable(Duration timeout) throws InterruptedException {
        long target = accepted.get();
        return await(timeout, () -> durable >= target);
    }

    /** Waits until every entry accepted before this call (and every recovered one) is in the database. */
    public boolean awaitStored(Duration timeout) throws InterruptedException {
        long target = recovered + accepted.get();
        return await(timeout, () -> stored >= target);
    }

    private interface Condition {
        boolean met();
    }

    private boolean await(Duration timeout, Condition c) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!c.met()) {
                if (journalFailure != null) {
                    throw new IllegalStateException("records: journal in " + journal.dir() + " failed: "
                            + journalFailure.getMessage(), journalFailure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    private void signal() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void journalLoop() {
        List<RecordEntry> batch = new ArrayList<>(settings.batchSize());
        List<byte[]> frames = new ArrayList<>(settings.batchSize());
        long fsyncNanos = settings.fsyncInterval().toNanos();
        long unsynced = 0;
        long syncDeadline = 0;
        try {
            while (!halted) {
                long waitNanos = unsynced > 0 ? Math.max(0, syncDeadline - System.nanoTime())
                        : TimeUnit.MILLISECONDS.toNanos(200);
                RecordEntry first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (halted) {
                    return;
                }
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, settings.batchSize() - 1);
                    for (RecordEntry e : batch) {
                        frames.add(EntryCodec.encode(e));
                    }
                    journal.append(frames);
                    if (unsynced == 0) {
                        syncDeadline = System.nanoTime() + fsyncNanos;
                    }
                    unsynced += batch.size();
                    journaled += batch.size();
                    batch.clear();
                    frames.clear();
                    signal();
                }
                if (unsynced > 0 && System.nanoTime() - syncDeadline >= 0) {
                    journal.force();
                    durable += unsynced;
                    unsynced = 0;
                    signal();
                }
                if (closing && unsynced == 0 && queue.isEmpty()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            journalFailure = e;
            log.error("records: journal in {} failed; records can no longer be accepted safely: {}", journal.dir(),
                    e.toString(), e);
            closing = true;
            signal();
        }
    }

    private void databaseLoop() {
        Journal.Position cursor = journal.recoveredCheckpoint();
        Duration backoff = settings.retryMin();
        long closeDeadline = Long.MAX_VALUE;
        long failedAttempts = 0;
        try (Journal.Reader reader = journal.reader(cursor)) {
            while (!halted) {
                if (closing && closeDeadline == Long.MAX_VALUE) {
                    closeDeadline = System.nanoTime() + settings.closeTimeout().toNanos();
                }
                Journal.Position limit = journal.end();
                List<RecordEntry> batch = reader.read(settings.batchSize(), limit);
                if (batch.isEmpty()) {
                    if (closing && !journalThread.isAlive() && journal.end().equals(reader.position())) {
                        return;
                    }
                    synchronized (progress) {
                        if (journal.end().equals(reader.position()) && !closing && !halted) {
                            progress.wait(200);
                        }
                    }
                    continue;
                }
                long began = System.nanoTime();
                try {
                    store.write(batch);
                } catch (SQLException | RuntimeException e) {
                    reader.seek(cursor);
                    failedAttempts++;
                    log.debug("records: database write failed", e);
                    if (databaseUp) {
                        databaseUp = false;
                        log.error("records: {} unreachable ({}); {} records journaled in {}, will replay",
                                store.database().description(), rootMessage(e), fmt(pending()), journal.dir());
                    } else if (failedAttempts % 30 == 0) {
                        log.warn("records: {} still unreachable after {} attempts ({}); {} records journaled in {}",
                                store.database().description(), failedAttempts, rootMessage(e), fmt(pending()),
                                journal.dir());
                    }
                    if (closing && System.nanoTime() - closeDeadline >= 0) {
                        log.warn("records: closing with {} records left in {}; they are replayed at next start",
                                fmt(pending()), journal.dir());
                        return;
                    }
                    synchronized (progress) {
                        if (!halted) {
                            TimeUnit.NANOSECONDS.timedWait(progress, backoff.toNanos());
                        }
                    }
                    backoff = backoff.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax()
                            : backoff.multipliedBy(2);
                    continue;
                }
                tellStored(batch);
                cursor = reader.position();
                journal.checkpoint(cursor);
                stored += batch.size();
                storedCounter.increment(batch.size());
                if (!databaseUp) {
                    databaseUp = true;
                    log.info("records: {} reachable again after {} failed attempts; replaying the journal",
                            store.database().description(), failedAttempts);
                }
                failedAttempts = 0;
                backoff = settings.retryMin();
                signal();
                if (batch.size() < settings.batchSize()) {
                    coalesce(began);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (halted) {
                return;
            }
            log.error("records: reading journal {} for the database failed; the rest stays in the journal: {}",
                    journal.dir(), e.toString(), e);
        }
    }

    /**
     * Calls {@code listener} on the writer's database thread with the call records of each batch once the database
     * has committed it (the wallboard's intervals fold them in rather than read the day again). It must be quick and
     * not block; what it throws is logged and ignored. A record replayed after a crash may come twice.
     */
    public void onStored(java.util.function.Consumer<List<CallRecord>> listener) {
        storedListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    private void tellStored(List<RecordEntry> batch) {
        if (storedListeners.isEmpty()) {
            return;
        }
        List<CallRecord> calls = new java.util.ArrayList<>(batch.size());
        for (RecordEntry e : batch) {
            if (e instanceof CallRecord c) {
                calls.add(c);
            }
        }
        if (calls.isEmpty()) {
            return;
        }
        List<CallRecord> view = java.util.Collections.unmodifiableList(calls);
        for (var listener : storedListeners) {
            try {
                listener.accept(view);
            } catch (RuntimeException e) {
                log.warn("records: a listener of stored records failed: {}", e.toString());
            }
        }
    }

    /**
     * After a batch that was not full, waits until {@link #COALESCE} has passed since it began (unless closing): at a
     * contact centre's rates most batches held one or two entries, and each transaction costs a commit (embedded: a
     * CHECKPOINT SYNC) whatever its size, so a short wait puts several calls' records in one. The journal has them
     * durably meanwhile; the database lags by at most this much more.
     */
    private void coalesce(long began) throws InterruptedException {
        long until = began + COALESCE.toNanos();
        synchronized (progress) {
            for (long left = until - System.nanoTime(); left > 0 && !closing && !halted;
                 left = until - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.strip();
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /**
     * Stops accepting, journals and fsyncs everything accepted, then gives the database up to
     * {@code close_timeout} to catch up; whatever is left stays in the journal for the next start.
     */
    @Override
    public void close() {
        closing = true;
        signal();
        try {
            journalThread.join();
            dbThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("records: closing journal " + journal.dir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops both threads at once without draining, fsyncing or closing anything: what kill -9 leaves behind,
     * for crash tests. Entries still in the queue are lost, as they would be in a crash.
     */
    public void halt() throws InterruptedException {
        halted = true;
        journalThread.interrupt();
        dbThread.interrupt();
        journalThread.join();
        dbThread.join();
        try {
            journal.abandon();
        } catch (IOException e) {
            log.debug("records: abandoning journal: {}", e.toString());
        }
    }
}
