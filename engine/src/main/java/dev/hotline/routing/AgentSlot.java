package dev.hotline.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The core's mutable record of one agent. Owned by {@link RoutingCore}'s thread. */
final class AgentSlot {

    Agent profile;
    /** Registration order: the round-robin order and the final tie-break everywhere. */
    final int ordinal;
    AgentState state = new AgentState.LoggedOut();
    Instant since;
    /** Nanoseconds (epoch) of the last transition into ready; fixed while the agent sits in ready indexes. */
    long readyKey;
    int callsToday;
    long talkNanosToday;
    /** The queues whose required skills the agent holds (any level) or that can widen to one of their skills. */
    List<QueueSlot> queues = new ArrayList<>();
    /** The current or last call's queue, for wrap-up policy and handle-time statistics. */
    QueueSlot callQueue;
    String callId;
    Instant talkStart;
    long lastTalkNanos;
    String pendingNotReady;
    /** Disabled in the directory: cannot log in or take calls; logged out once a call in progress is done. */
    boolean disabled;
    Timer timer;
    /** Ring-no-answer "skip": offered nothing before this (null: no skip). */
    Instant skipUntil;

    AgentSlot(Agent profile, int ordinal, Instant since) {
        this.profile = profile;
        this.ordinal = ordinal;
        this.since = since;
    }

    /** A search key for the registration-order index. */
    static AgentSlot probe(int ordinal) {
        return new AgentSlot(null, ordinal, null);
    }

    String id() {
        return profile.id();
    }

    @Override
    public String toString() {
        return profile.id() + "(" + state + ")";
    }
}
