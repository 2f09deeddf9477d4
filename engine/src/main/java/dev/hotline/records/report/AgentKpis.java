package dev.hotline.records.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One agent's (or, with {@code agentId} {@code *}, one team's) figures for one interval. State times are the
 * parts of each state that fall inside the interval.
 *
 * @param handled       calls answered (counted when answered)
 * @param inProgress    of those, calls still going on when the report ran (records {@code IN_PROGRESS}): their
 *                      handle time is not known yet, so AHT is over the others
 * @param handleMs      their talk + hold + wrap-up
 * @param noAnswers     offers that rang out (RINGNOANSWER)
 * @param notReadyMs    not-ready time per reason ({@code ""}: no reason given)
 * @param loggedInMs    time in any state but logged out
 * @param firstLogin    first login in the interval
 * @param lastLogout    last logout in the interval
 */
public record AgentKpis(Instant intervalStart, Instant intervalEnd, String team, String agentId, long handled,
                        long inProgress, long handleMs, long noAnswers, long readyMs, long reservedMs, long onCallMs, long wrapUpMs,
                        Map<String, Long> notReadyMs, long loggedInMs, Optional<Instant> firstLogin,
                        Optional<Instant> lastLogout) {

    public AgentKpis {
        notReadyMs = Map.copyOf(notReadyMs);
    }

    public Duration aht() {
        return QueueKpis.avg(handleMs, handled - inProgress);
    }

    public long notReadyTotalMs() {
        return notReadyMs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** (on call + wrap-up) / (ready + reserved + on call + wrap-up): busy share of the time available for calls. */
    public OptionalDouble occupancy() {
        return QueueKpis.ratio(onCallMs + wrapUpMs, readyMs + reservedMs + onCallMs + wrapUpMs);
    }
}
