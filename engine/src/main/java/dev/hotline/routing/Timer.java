package dev.hotline.routing;

import java.time.Instant;

/**
 * A deadline owned by one call (ring timeout, next escalation step, preference expiry, maximum wait) or one agent
 * (wrap-up end). Each owner holds at most one; re-arming removes the old one, so the timer set only holds live
 * deadlines.
 */
record Timer(Instant at, long seq, Object owner) implements Comparable<Timer> {

    @Override
    public int compareTo(Timer o) {
        int c = at.compareTo(o.at);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
