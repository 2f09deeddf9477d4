package dev.hotline.events;

import dev.hotline.config.QueueConfig;
import dev.hotline.records.report.ServiceLevels;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Today's live counters per queue, kept from {@link CallEvent}s: what the demo prints and the wallboard shows.
 *
 * <p>Service level: Hotline's one formula ({@link ServiceLevels}), the same as {@code hotline report}'s — answered
 * within the queue's threshold ÷ queue visits that are over (answered, abandoned, left for a treatment, turned into
 * a callback). ASA = mean wait of answered calls.
 */
public final class LiveStats implements CallEventListener {

    /** One queue's counters. */
    public record QueueCounters(String queue, long offered, long answered, long answeredInSl, long abandoned,
                                long abandonedInSl, long exited, Duration totalAnsweredWait, Duration longestWait,
                                long offersNotAnswered, long callbacks) {

        /** Queue visits that are over: answered, abandoned, left for a treatment, turned into a callback. */
        public long finished() {
            return answered + abandoned + exited + callbacks;
        }

        /** Service level as a fraction 0–1 ({@link ServiceLevels}), or -1 when no visit is over yet. */
        public double serviceLevel() {
            return ServiceLevels.of(answeredInSl, finished()).orElse(-1);
        }

        public Duration averageSpeedOfAnswer() {
            return answered == 0 ? Duration.ZERO : totalAnsweredWait.dividedBy(answered);
        }
    }

    private static final class Counters {
        final AtomicLong offered = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final AtomicLong answeredInSl = new AtomicLong();
        final AtomicLong abandoned = new AtomicLong();
        final AtomicLong abandonedInSl = new AtomicLong();
        final AtomicLong exited = new AtomicLong();
        final AtomicLong answeredWaitMillis = new AtomicLong();
        final LongAccumulator longestWaitMillis = new LongAccumulator(Math::max, 0);
        final AtomicLong offersNotAnswered = new AtomicLong();
        final AtomicLong callbacks = new AtomicLong();
    }

    private final Map<String, Duration> thresholds = new ConcurrentHashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final Map<String, String> queueOfCall = new ConcurrentHashMap<>();

    public LiveStats(List<QueueConfig> queues) {
        for (QueueConfig q : queues) {
            thresholds.put(q.name(), q.serviceLevelTime());
            counters.put(q.name(), new Counters());
        }
    }

    /** A queue defined or redefined live: calls answered from now on count against its service-level time. */
    public void define(QueueConfig queue) {
        thresholds.put(queue.name(), queue.serviceLevelTime());
        counters.computeIfAbsent(queue.name(), q -> new Counters());
    }

    private Counters of(String queue) {
        return counters.computeIfAbsent(queue, q -> new Counters());
    }

    @Override
    public void on(CallEvent event) {
        switch (event) {
            case CallEvent.Queued q -> {
                queueOfCall.put(q.callId(), q.queue());
                of(q.queue()).offered.incrementAndGet();
            }
            case CallEvent.Answered a -> {
                Counters c = of(a.queue());
                c.answered.incrementAndGet();
                c.answeredWaitMillis.addAndGet(a.waited().toMillis());
                c.longestWaitMillis.accumulate(a.waited().toMillis());
                if (a.waited().compareTo(thresholds.getOrDefault(a.queue(), Duration.ofSeconds(20))) <= 0) {
                    c.answeredInSl.incrementAndGet();
                }
            }
            case CallEvent.Abandoned a -> {
                Counters c = of(a.queue());
                c.abandoned.incrementAndGet();
                c.longestWaitMillis.accumulate(a.waited().toMillis());
                if (a.waited().compareTo(thresholds.getOrDefault(a.queue(), Duration.ofSeconds(20))) <= 0) {
                    c.abandonedInSl.incrementAndGet();
                }
            }
            case CallEvent.ExitedQueue x -> {
                Counters c = of(x.queue());
                c.exited.incrementAndGet();
                c.longestWaitMillis.accumulate(x.waited().toMillis());
            }
            case CallEvent.OfferFailed f -> {
                String queue = queueOfCall.get(f.callId());
                if (queue != null) {
                    of(queue).offersNotAnswered.incrementAndGet();
                }
            }
            case CallEvent.CallbackRequested r -> of(r.queue()).callbacks.incrementAndGet();
            case CallEvent.Ended e -> queueOfCall.remove(e.callId());
            default -> { }
        }
    }

    /** A consistent-enough copy of every queue's counters, in configuration order. */
    public List<QueueCounters> snapshot() {
        return counters.entrySet().stream()
                .sorted((a, b) -> Integer.compare(order(a.getKey()), order(b.getKey())))
                .map(e -> {
                    Counters c = e.getValue();
                    return new QueueCounters(e.getKey(), c.offered.get(), c.answered.get(), c.answeredInSl.get(),
                            c.abandoned.get(), c.abandonedInSl.get(), c.exited.get(),
                            Duration.ofMillis(c.answeredWaitMillis.get()), Duration.ofMillis(c.longestWaitMillis.get()),
                            c.offersNotAnswered.get(), c.callbacks.get());
                }).toList();
    }

    private int order(String queue) {
        int i = 0;
        for (String q : thresholds.keySet()) {
            if (q.equals(queue)) {
                return i;
            }
            i++;
        }
        return Integer.MAX_VALUE;
    }
}
