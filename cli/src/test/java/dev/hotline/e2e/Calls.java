package dev.hotline.e2e;

import dev.hotline.events.CallEvent;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the end-to-end tests share: a caller who reaches the support queue, and waiting for an engine event. */
final class Calls {

    private Calls() {
    }

    /** Dials the sample IVR from {@code from}, chooses English (1), then support (2). */
    static CallerScript.Builder toSupport(String from) {
        return CallerScript.calling("5551234").from(from, "Test Caller")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)));
    }

    /** The first event of {@code type} matching {@code match} among {@code events}, waiting up to {@code within}. */
    static <T extends CallEvent> T await(List<CallEvent> events, Class<T> type, Predicate<T> match, Duration within)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            for (CallEvent e : events) {
                if (type.isInstance(e) && match.test(type.cast(e))) {
                    return type.cast(e);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.getSimpleName() + " event within " + within + "; got " + events);
    }
}
