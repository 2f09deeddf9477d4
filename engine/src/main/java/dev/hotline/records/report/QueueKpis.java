package dev.hotline.records.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One queue's figures for one interval (queue {@code *}: all queues together, plus IVR-contained calls). Every
 * queue visit counts in the interval in which it <em>entered</em> the queue, even when it was answered or
 * abandoned in the next one. Ratios are empty when their denominator is zero.
 *
 * @param shortAbandoned     abandons with {@code wait < short-abandon threshold} (included in {@code abandoned})
 * @param answeredWithinSl   answered with {@code wait <= service-level time}
 * @param answeredWaitMs     sum of waits of answered visits (for ASA)
 * @param totalWaitMs        sum of waits of all visits
 * @param longestWaitMs      longest wait of any visit
 * @param handleMs           sum of talk + hold + wrap-up of answered visits
 * @param wrapUpMs           sum of wrap-up of answered visits
 * @param transfers          transfers made from visits answered in this interval
 * @param ivrContained       calls that ended in the IVR (row {@code *} only)
 * @param engineFailed       calls an engine failure lost: visits closed {@code ENGINE_FAILED} (counted in
 *                           {@code offered} too), and in row {@code *} also such calls that never reached a queue
 * @param inProgress         visits of calls still going on when the report ran (records {@code IN_PROGRESS}: waiting,
 *                           or answered and talking), counted in {@code offered} and, once answered, in
 *                           {@code answered} (with their wait: service level, ASA), but not in {@code abandoned}
 *                           or anything else until they end
 * @param answeredInProgress of those, the answered ones: their talk and wrap-up are not known yet, so AHT and average
 *                           wrap-up are over the other answered visits
 * @param csatResponses      survey answers of calls whose last answered visit is counted here
 * @param csatSatisfied      of which scored 4 or 5
 * @param csatScoreSum       sum of scores
 * @param dispositions       calls per disposition code (of the last answered visit)
 */
public record QueueKpis(Instant intervalStart, Instant intervalEnd, String queue, long offered, long answered,
                        long abandoned, long shortAbandoned, long timeouts, long callbacks, long answeredWithinSl,
                        long answeredWaitMs, long totalWaitMs, long longestWaitMs, long handleMs, long wrapUpMs,
                        long transfers, long ivrContained, long engineFailed, long inProgress, long answeredInProgress,
                        long csatResponses, long csatSatisfied, long csatScoreSum,
                        Map<String, Long> dispositions) {

    public static final String ALL = "*";

    public QueueKpis {
        dispositions = Map.copyOf(dispositions);
    }

    /** answeredWithinSl / offered: Hotline's one formula, {@link ServiceLevels}. */
    public OptionalDouble serviceLevel() {
        return ServiceLevels.of(answeredWithinSl, offered);
    }

    /** answeredWithinSl / (offered − shortAbandoned). */
    public OptionalDouble serviceLevelExcludingShortAbandons() {
        return ratio(answeredWithinSl, offered - shortAbandoned);
    }

    /** (abandoned − shortAbandoned) / (offered − shortAbandoned). */
    public OptionalDouble abandonRate() {
        return ratio(abandoned - shortAbandoned, offered - shortAbandoned);
    }

    /** Average speed of answer: answeredWaitMs / answered. */
    public Duration asa() {
        return avg(answeredWaitMs, answered);
    }

    /** totalWaitMs / offered. */
    public Duration averageWait() {
        return avg(totalWaitMs, offered);
    }

    public Duration longestWait() {
        return Duration.ofMillis(longestWaitMs);
    }

    /** Average handle time: (talk + hold + wrap-up) / answered, over the answered calls that have ended. */
    public Duration aht() {
        return avg(handleMs, answered - answeredInProgress);
    }

    /** wrapUpMs / answered, over the answered calls that have ended. */
    public Duration averageWrapUp() {
        return avg(wrapUpMs, answered - answeredInProgress);
    }

    /** Share of survey answers scored 4 or 5. */
    public OptionalDouble csatShare() {
        return ratio(csatSatisfied, csatResponses);
    }

    public OptionalDouble csatAverage() {
        return ratio(csatScoreSum, csatResponses);
    }

    static OptionalDouble ratio(long num, long den) {
        return den <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) num / den);
    }

    static Duration avg(long sumMs, long n) {
        return n <= 0 ? Duration.ZERO : Duration.ofMillis(Math.round((double) sumMs / n));
    }
}
