package dev.hotline.qa;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An answered call as sampling sees it.
 *
 * @param callId      the call
 * @param agentId     the agent who answered it
 * @param queue       the queue it was answered from
 * @param startedAt   when it began
 * @param talk        talk time
 * @param disposition the agent's disposition code, if any
 * @param csat        the caller's survey score, if any
 * @param recorded    whether it has a recording (only recorded calls are proposed: QA scores what it can hear)
 */
public record CandidateCall(String callId, String agentId, String queue, Instant startedAt, Duration talk,
                            Optional<String> disposition, OptionalInt csat, boolean recorded) {

    public CandidateCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(talk, "talk");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(csat, "csat");
    }
}
