package dev.hotline.schedule;

import java.time.Duration;

/**
 * Where a {@link Scheduler}'s time comes from: the system's ({@link #system()}), or a test's {@link ManualTimer}.
 */
public interface TaskTimer extends AutoCloseable {

    /**
     * Runs {@code action} once, {@code delay} from now, on a thread named {@code name} (the system timer starts a
     * virtual thread, so a run that blocks delays nothing else); the returned handle cancels it if it has not
     * started.
     */
    Runnable schedule(Duration delay, String name, Runnable action);

    @Override
    void close();

    /** The system's time: one daemon platform thread ({@code threadName}) that only starts the runs. */
    static TaskTimer system(String threadName) {
        return new SystemTimer(threadName);
    }
}
