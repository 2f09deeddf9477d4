package dev.hotline.acd;

import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.RoutingCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one thread that owns the {@link RoutingCore}. Everyone else posts commands (call joined, agent ready,
 * offer answered…) into its inbox; the loop applies them in order, fires the core's timers when they are due
 * (sleeping until the next deadline, never polling) and hands every decision to {@code decisions} on this
 * thread — which must not block.
 */
final class AcdLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AcdLoop.class);

    private final RoutingCore core;
    private final InstantSource clock;
    private final Consumer<List<Decision>> decisions;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public AcdLoop(InstantSource clock, Consumer<List<Decision>> decisions) {
        this.clock = clock;
        this.core = new RoutingCore(clock);
        this.decisions = decisions;
        this.thread = Thread.ofPlatform().name("acd-loop").daemon().unstarted(this::run);
    }

    public AcdLoop start() {
        thread.start();
        return this;
    }

    /** Posts a command; returns at once. */
    public void post(Command command) {
        inbox.add(() -> emit(core.handle(command)));
    }

    /** Posts a command and answers with the decisions it produced (after they were handed to the listener). */
    public CompletableFuture<List<Decision>> submit(Command command) {
        CompletableFuture<List<Decision>> answer = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                List<Decision> out = core.handle(command);
                emit(out);
                answer.complete(out);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** Runs a read-only query on the loop thread (positions, estimated waits, agent views). */
    public <T> CompletableFuture<T> ask(Function<RoutingCore, T> query) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        inbox.add(() -> {
            try {
                answer.complete(query.apply(core));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    private void emit(List<Decision> out) {
        if (!out.isEmpty()) {
            try {
                decisions.accept(out);
            } catch (RuntimeException e) {
                log.error("ACD: a decision handler failed on {}", out, e);
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                Optional<Instant> deadline = core.nextDeadline();
                long waitNanos = deadline.map(d -> Math.max(0, Duration.between(clock.instant(), d).toNanos()))
                        .orElse(TimeUnit.SECONDS.toNanos(1));
                Runnable task = waitNanos == 0 ? inbox.poll() : inbox.poll(waitNanos, TimeUnit.NANOSECONDS);
                if (task != null) {
                    task.run();
                    Runnable more;
                    while ((more = inbox.poll()) != null) {
                        more.run();
                    }
                }
                Optional<Instant> due = core.nextDeadline();
                if (due.isPresent() && !due.get().isAfter(clock.instant())) {
                    emit(core.tick());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("ACD loop: unexpected error; continuing", e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
