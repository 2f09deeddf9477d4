package dev.hotline.schedule;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private final ManualTimer time = new ManualTimer(T0);
    private final Scheduler scheduler = new Scheduler(time);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Scheduler.class);

    @BeforeEach
    void captureLog() {
        logger.setLevel(Level.INFO);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(null);
        scheduler.close();
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void aRefreshRunsAtOnceThenEveryPeriodOnTheInjectedTime() {
        List<Instant> runs = new ArrayList<>();
        scheduler.start("calendars", Cadence.refreshEvery(Duration.ofSeconds(30)), a -> runs.add(time.instant()));

        time.runDue();
        time.advance(Duration.ofSeconds(29));
        assertThat(runs).containsExactly(T0);
        time.advance(Duration.ofSeconds(1));
        time.advance(Duration.ofSeconds(60));
        assertThat(runs).containsExactly(T0, T0.plusSeconds(30), T0.plusSeconds(60), T0.plusSeconds(90));
    }

    @Test
    void aFailureIsLoggedWithTheTasksNameAndRetriedAfterTheRetryDelayThenTheRefreshResumes() {
        AtomicInteger calls = new AtomicInteger();
        List<Instant> runs = new ArrayList<>();
        Scheduler.Task task = scheduler.start("calendars", Cadence.refreshEvery(Duration.ofSeconds(30))
                .retryEvery(Duration.ofSeconds(5)), a -> {
                    runs.add(time.instant());
                    if (calls.incrementAndGet() <= 2) {
                        throw new java.sql.SQLException("Connection refused");
                    }
                    return true;
                });

        time.runDue();
        assertThat(task.failures()).isEqualTo(1);
        assertThat(warnings()).containsExactly(
                "calendars: failed (SQLException: Connection refused); retrying in 5 s (attempt 1)");
        time.advance(Duration.ofSeconds(5));   // fails again: the same message is not repeated at WARN
        assertThat(warnings()).hasSize(1);
        time.advance(Duration.ofSeconds(5));   // works
        assertThat(task.failures()).isZero();
        assertThat(logged.list).anyMatch(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().equals("calendars: works again after 2 failed attempt(s)"));
        time.advance(Duration.ofSeconds(30));
        assertThat(runs).containsExactly(T0, T0.plusSeconds(5), T0.plusSeconds(10), T0.plusSeconds(40));
    }

    @Test
    void aRunThatReportsItsOwnFailureIsRetriedQuietly() {
        List<Instant> runs = new ArrayList<>();
        scheduler.start("users", Cadence.refreshEvery(Duration.ofSeconds(60)).retryEvery(Duration.ofSeconds(5)),
                a -> runs.add(time.instant()) && runs.size() > 1);
        time.runDue();
        time.advance(Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(60));
        assertThat(runs).containsExactly(T0, T0.plusSeconds(5), T0.plusSeconds(65));
        assertThat(warnings()).isEmpty();
    }

    @Test
    void untilDoneStopsAtTheFirstRunThatWorks() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        Scheduler.Task task = scheduler.start("directory-load", Cadence.untilDone(Duration.ofSeconds(5)),
                a -> calls.incrementAndGet() == 3);
        time.runDue();
        assertThat(task.awaitFirstRun(Duration.ZERO)).isTrue();
        assertThat(task.awaitWorked(Duration.ZERO)).isFalse();
        time.advance(Duration.ofMinutes(5));
        assertThat(calls).hasValue(3);
        assertThat(task.active()).isFalse();
        assertThat(task.awaitWorked(Duration.ZERO)).isTrue();
        assertThat(time.pending()).isZero();
    }

    @Test
    void theRetryDelayDoublesUpToItsCapAndTheRunIsToldIt() {
        List<Duration> told = new ArrayList<>();
        List<Instant> runs = new ArrayList<>();
        scheduler.start("ami-pbx1", Cadence.refreshEvery(Duration.ofSeconds(1)).retryEvery(Duration.ofSeconds(1))
                .backoffUpTo(Duration.ofSeconds(8)), a -> {
                    told.add(a.retryIfFails());
                    runs.add(time.instant());
                    return false;
                });
        time.advance(Duration.ofSeconds(40));
        assertThat(runs).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(3), T0.plusSeconds(7),
                T0.plusSeconds(15), T0.plusSeconds(23), T0.plusSeconds(31), T0.plusSeconds(39));
        assertThat(told.subList(0, 5)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8));
    }

    @Test
    void aStoppedTaskNeverRunsAgainAndRunNowBringsTheNextRunForward() {
        List<Instant> runs = new ArrayList<>();
        Scheduler.Task task = scheduler.start("health", Cadence.refreshEvery(Duration.ofSeconds(5)),
                a -> runs.add(time.instant()));
        time.runDue();
        time.advance(Duration.ofSeconds(2));
        task.runNow();
        time.runDue();
        assertThat(runs).containsExactly(T0, T0.plusSeconds(2));
        time.advance(Duration.ofSeconds(5));
        assertThat(runs).containsExactly(T0, T0.plusSeconds(2), T0.plusSeconds(7));

        task.stop();
        task.runNow();
        time.advance(Duration.ofMinutes(1));
        assertThat(runs).hasSize(3);
        assertThat(time.pending()).isZero();
    }

    @Test
    void closingStopsEveryTaskAndRefusesNewOnes() {
        AtomicInteger calls = new AtomicInteger();
        scheduler.start("a", Cadence.refreshEvery(Duration.ofSeconds(1)), a -> calls.incrementAndGet() > 0);
        scheduler.start("b", Cadence.refreshEvery(Duration.ofSeconds(1)), a -> calls.incrementAndGet() > 0);
        time.runDue();
        scheduler.close();
        time.advance(Duration.ofSeconds(10));
        assertThat(calls).hasValue(2);
        assertThatThrownBy(() -> scheduler.start("c", Cadence.untilDone(Duration.ofSeconds(1)), a -> true))
                .hasMessage("scheduler closed: task c not started");
    }

    @Test
    void cadencesRefuseNonsense() {
        assertThatThrownBy(() -> Cadence.refreshEvery(Duration.ZERO)).hasMessage("every: PT0S (expected: > 0)");
        assertThatThrownBy(() -> Cadence.untilDone(Duration.ofSeconds(-1)))
                .hasMessage("every: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> Cadence.refreshEvery(Duration.ofSeconds(1)).retryEvery(Duration.ofSeconds(2))
                .backoffUpTo(Duration.ofSeconds(1))).hasMessage("maxRetry: PT1S (expected: >= retry PT2S)");
    }

    @Test
    void onTheSystemTimerRunsAreOnVirtualThreadsAndStoppingInterruptsARunInProgress() throws Exception {
        try (Scheduler system = Scheduler.system()) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            List<Boolean> virtual = new ArrayList<>();
            Scheduler.Task task = system.start("blocking", Cadence.refreshEvery(Duration.ofMillis(10)), a -> {
                virtual.add(Thread.currentThread().isVirtual());
                started.countDown();
                try {
                    Thread.sleep(Duration.ofMinutes(1));
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return true;
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            task.stop();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(virtual).containsExactly(true);
            assertThat(warnings()).isEmpty();
        }
    }
}
