package dev.hotline.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The engine's one scheduler for periodic and retry work (re-reading a table, probing the database, reconnecting
 * AMI, loading what needs the database until it answers): each task runs its {@link Work} at once and then as its
 * {@link Cadence} says — never two runs of one task at a time, each run on its own virtual thread (so a run that
 * blocks on a database delays no other task). A run that throws is logged with the task's name and the error (once
 * per different message; the rest at DEBUG), and retried after the cadence's retry delay; the first run that works
 * after failures logs that it works again. Time comes from a {@link TaskTimer}: the system's, or a test's
 * {@link ManualTimer}.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** One run of a task. */
    @FunctionalInterface
    public interface Work {
        /**
         * Does the work once.
         *
         * @return true when it worked; false when it failed and has said why itself (retried quietly)
         * @throws Exception when it failed: logged with the task's name, retried
         */
        boolean run(Attempt attempt) throws Exception;
    }

    /**
     * What a run may want to know: how many runs in a row failed before it, and how long until the next try should it
     * fail too (for a message such as "retrying in 4 s").
     */
    public record Attempt(int failuresBefore, Duration retryIfFails) {
    }

    private final TaskTimer timer;
    private final Set<Task> tasks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public Scheduler(TaskTimer timer) {
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    /** A scheduler on the system's time (its timer thread is named {@code scheduler}). */
    public static Scheduler system() {
        return new Scheduler(TaskTimer.system("scheduler"));
    }

    /** Starts a task: its first run is due at once. */
    public Task start(String name, Cadence cadence, Work work) {
        if (closed) {
            throw new IllegalStateException("scheduler closed: task " + name + " not started");
        }
        Task t = new Task(name, cadence, work);
        tasks.add(t);
        t.schedule(Duration.ZERO);
        return t;
    }

    /** Stops every task (interrupting runs in progress) and the timer. */
    @Override
    public void close() {
        closed = true;
        tasks.forEach(Task::stop);
        timer.close();
    }

    /** A started task; stop it when its owner closes. */
    public final class Task {
        private final String name;
        private final Cadence cadence;
        private final Work work;
        private final CountDownLatch firstRun = new CountDownLatch(1);
        private final CountDownLatch worked = new CountDownLatch(1);
        private Runnable pending;
        private Thread running;
        private boolean again;
        private boolean stopped;
        private int failures;
        private String lastLogged;

        private Task(String name, Cadence cadence, Work work) {
            this.name = Objects.requireNonNull(name, "name");
            this.cadence = Objects.requireNonNull(cadence, "cadence");
            this.work = Objects.requireNonNull(work, "work");
        }

        public String name() {
            return name;
        }

        private synchronized void schedule(Duration delay) {
            if (!stopped) {
                pending = timer.schedule(delay, name, this::runOnce);
            }
        }

        private void runOnce() {
            Attempt attempt;
            synchronized (this) {
                if (stopped || running != null) {
                    return;
                }
                running = Thread.currentThread();
                pending = null;
                again = false;
                attempt = new Attempt(failures, cadence.retryAfter(failures + 1));
            }
            boolean ok = false;
            Exception failure = null;
            try {
                ok = work.run(attempt);
            } catch (Exception e) {
                failure = e;
            }
            Duration next;
            synchronized (this) {
                running = null;
                if (stopped) {
                    firstRun.countDown();
                    return;   // an interrupted run of a stopped task is no failure worth a line
                }
                if (ok) {
                    if (failures > 0 && lastLogged != null) {
                        log.info("{}: works again after {} failed attempt(s)", name, failures);
                    }
                    failures = 0;
                    lastLogged = null;
                } else {
                    failures++;
                    if (failure != null) {
                        logFailure(failure, cadence.retryAfter(failures));
                    }
                }
                if (ok) {
                    worked.countDown();
                }
                firstRun.countDown();
                if (ok && !cadence.repeat()) {
                    stopped = true;
                    tasks.remove(this);
                    return;
                }
                next = again ? Duration.ZERO : ok ? cadence.every() : cadence.retryAfter(failures);
            }
            schedule(next);
        }

        private void logFailure(Exception e, Duration retry) {
            String message = e.getMessage() == null ? e.toString() : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!message.equals(lastLogged)) {
                log.warn("{}: failed ({}); retrying in {} (attempt {})", name, message, human(retry), failures);
                log.debug("{}: failure", name, e);
                lastLogged = message;
            } else {
                log.debug("{}: failed again ({}); retrying in {} (attempt {})", name, message, human(retry), failures);
            }
        }

        /** Runs again as soon as possible (after the run in progress, if any), instead of at its time. */
        public void runNow() {
            synchronized (this) {
                if (stopped) {
                    return;
                }
                if (running != null) {
                    again = true;
                    return;
                }
                if (pending != null) {
                    pending.run();
                    pending = null;
                }
            }
            schedule(Duration.ZERO);
        }

        /** No more runs; a run in progress (on another thread) is interrupted. */
        public void stop() {
            Thread t;
            synchronized (this) {
                stopped = true;
                if (pending != null) {
                    pending.run();
                    pending = null;
                }
                t = running;
            }
            tasks.remove(this);
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }

        /** Whether the task will run again (false once stopped, or done after a run that worked). */
        public synchronized boolean active() {
            return !stopped;
        }

        /** Failed runs in a row (0 after a run that worked). */
        public synchronized int failures() {
            return failures;
        }

        /** Waits until the first run is over, worked or not; false on time-out. */
        public boolean awaitFirstRun(Duration timeout) throws InterruptedException {
            return firstRun.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** Waits until a run has worked; false on time-out. */
        public boolean awaitWorked(Duration timeout) throws InterruptedException {
            return worked.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
