package dev.hotline.records.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stay of a call in one queue, from entering it to leaving it; a call that overflows or is transferred to
 * another queue has several. When {@code result} is {@link Result#ANSWERED} the visit also carries the agent who
 * answered and that agent's handling of the call (talk, hold and wrap-up belong to the visit, so a call transferred
 * between agents gives each agent their own handle time).
 *
 * @param queue      queue name
 * @param enqueuedAt when the call entered the queue
 * @param leftAt     when it left: answered, abandoned, timed out, …
 * @param result     why it left
 * @param agentId    the agent who answered (present exactly when answered)
 * @param talk       time talking to the caller (answered visits), excluding hold
 * @param hold       time the caller was on hold
 * @param wrapUp     the agent's after-call work for this call
 */
public record QueueVisit(String queue, Instant enqueuedAt, Instant leftAt, Result result, Optional<String> agentId,
                         Duration talk, Duration hold, Duration wrapUp) {

    /** Why a call left a queue (the queue_log event it maps to in brackets). */
    public enum Result {
        /** An agent answered (CONNECT). */
        ANSWERED,
        /** The caller hung up while waiting (ABANDON). */
        ABANDONED,
        /** Waited the queue's maximum (EXITWITHTIMEOUT). */
        TIMEOUT,
        /** The caller pressed a key to leave, e.g. for voicemail or a callback (EXITWITHKEY). */
        EXIT_WITH_KEY,
        /** The queue was full on arrival (FULL). */
        FULL,
        /** Moved to another queue by overflow rules (EXITWITHTIMEOUT in this queue, ENTERQUEUE in the next). */
        OVERFLOW,
        /** Left the queue with a queued callback that keeps the caller's place. */
        CALLBACK,
        /** Sent to voicemail. */
        VOICEMAIL,
        /**
         * Still waiting (or ringing an agent) when the record was written: the record of a call in progress
         * ({@link CallOutcome#IN_PROGRESS}); {@code leftAt} is when it was written.
         */
        WAITING,
        /** The engine failed while the call waited here, and the caller was gone when an engine came back. */
        ENGINE_FAILED
    }

    public QueueVisit {
        RecordChecks.text("queue", queue, 64);
        RecordChecks.order("enqueuedAt", enqueuedAt, "leftAt", leftAt);
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(agentId, "agentId");
        agentId.ifPresent(a -> RecordChecks.text("agentId", a, 64));
        if ((result == Result.ANSWERED) != agentId.isPresent()) {
            throw new IllegalArgumentException("agentId: " + agentId.orElse("(none)") + " with result " + result
                    + " (expected: an agent exactly when ANSWERED)");
        }
        RecordChecks.nonNegative("talk", talk);
        RecordChecks.nonNegative("hold", hold);
        RecordChecks.nonNegative("wrapUp", wrapUp);
        if (result != Result.ANSWERED && !(talk.isZero() && hold.isZero() && wrapUp.isZero())) {
            throw new IllegalArgumentException("talk/hold/wrapUp: " + talk + "/" + hold + "/" + wrapUp + " with result "
                    + result + " (expected: zero unless ANSWERED)");
        }
    }

    /** A visit that ended without an agent. */
    public static QueueVisit unanswered(String queue, Instant enqueuedAt, Instant leftAt, Result result) {
        return new QueueVisit(queue, enqueuedAt, leftAt, result, Optional.empty(), Duration.ZERO, Duration.ZERO,
                Duration.ZERO);
    }

    /** A visit answered by {@code agentId} at {@code answeredAt}. */
    public static QueueVisit answered(String queue, Instant enqueuedAt, Instant answeredAt, String agentId,
                                      Duration talk, Duration hold, Duration wrapUp) {
        return new QueueVisit(queue, enqueuedAt, answeredAt, Result.ANSWERED, Optional.of(agentId), talk, hold,
                wrapUp);
    }

    /** Time in the queue: until answered, or until the caller left. */
    public Duration waited() {
        return Duration.between(enqueuedAt, leftAt);
    }

    public boolean isAnswered() {
        return result == Result.ANSWERED;
    }

    /** Talk + hold + wrap-up. */
    public Duration handleTime() {
        return talk.plus(hold).plus(wrapUp);
    }
}
