package dev.hotline.outbound;

import java.util.List;
import java.util.Objects;

/**
 * The inbound-priority rule for agents who hold inbound and outbound skills: outbound work is offered only while
 * every inbound queue meets its service level and has no caller waiting longer than its service-level time. Pure;
 * every decision says why (shown on the campaigns page and logged when it changes).
 */
public final class Blending {

    /**
     * An inbound queue's health now.
     *
     * @param queue            its name
     * @param serviceLevelPct  today's service level so far, percent (100 with no calls yet)
     * @param targetPct        its target, percent
     * @param waiting          callers waiting now
     * @param oldestWaitSecs   the longest current wait, seconds
     * @param targetSecs       the service-level time, seconds
     */
    public record InboundQueue(String queue, double serviceLevelPct, int targetPct, int waiting, long oldestWaitSecs,
                               long targetSecs) {
        public InboundQueue {
            Objects.requireNonNull(queue, "queue");
        }
    }

    /** Whether outbound may take agents now, and why. */
    public record Decision(boolean outboundAllowed, String why) {
    }

    private Blending() {
    }

    public static Decision decide(List<InboundQueue> inbound) {
        for (InboundQueue q : inbound) {
            if (q.serviceLevelPct() < q.targetPct()) {
                return new Decision(false, String.format(java.util.Locale.ROOT,
                        "inbound first: queue %s at service level %.0f%% (target %d%%)", q.queue(), q.serviceLevelPct(),
                        q.targetPct()));
            }
            if (q.waiting() > 0 && q.oldestWaitSecs() >= q.targetSecs()) {
                return new Decision(false, "inbound first: queue " + q.queue() + " has a caller waiting "
                        + q.oldestWaitSecs() + " s (service-level time " + q.targetSecs() + " s)");
            }
        }
        return new Decision(true, inbound.isEmpty() ? "no inbound queue shares these agents"
                : "every inbound queue meets its service level");
    }
}
