package dev.hotline.routing;

import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** The core's mutable record of a queue: its waiting calls in order and the indexes its strategy scans. */
final class QueueSlot {

    /** Higher priority first, then the lower sort key (longer wait), then arrival order. */
    static final Comparator<CallSlot> ORDER = (a, b) -> {
        if (a.priority != b.priority) {
            return a.priority > b.priority ? -1 : 1;
        }
        if (a.sortKey != b.sortKey) {
            return a.sortKey < b.sortKey ? -1 : 1;
        }
        return Long.compare(a.seq, b.seq);
    };

    /** The queue's configuration; replaced (with the indexes and ordering below) when it is redefined live. */
    QueueSpec spec;
    final String name;
    final TreeSet<CallSlot> waiting = new TreeSet<>(ORDER);
    /** Ready-agent indexes of the required skills (or the any-agent index when there are none). */
    List<ReadyIndex> baseIndexes;
    /** Indexes of the skills {@link EscalationStep.AddSkill} steps may widen to. */
    List<ReadyIndex> alternativeIndexes;
    ReadyIndex.Ordering ordering;
    double thresholdSeconds;
    /** A disabled queue admits no new calls; those already waiting are still served. */
    boolean disabled;
    /** Agents logged in and not on a break who can serve this queue. */
    int staffed;
    /** Ordinal of the agent this queue offered to last, for round-robin. */
    int lastOrdinal = -1;
    /** Exponentially weighted mean handle time (talk + wrap-up), seconds. */
    double handleSeconds;
    /** Carries outbound work ({@link Command.SetBlending}): its calls come after inbound ones, by the rule. */
    boolean outbound;
    /** Finished visits in the blending rule's window, oldest first: {epoch nanos, 1 if answered in time, else 0}. */
    final java.util.ArrayDeque<long[]> visits = new java.util.ArrayDeque<>();
    /** How many of {@link #visits} were answered within the service-level time. */
    int visitsInTime;

    /** A visit of this queue finished at {@code atNanos}: answered within its service-level time or not. */
    void visit(long atNanos, boolean inTime) {
        visits.addLast(new long[] {atNanos, inTime ? 1 : 0});
        visitsInTime += inTime ? 1 : 0;
    }

    /** Forgets the visits finished before {@code fromNanos}. */
    void forgetVisitsBefore(long fromNanos) {
        while (!visits.isEmpty() && visits.peekFirst()[0] < fromNanos) {
            visitsInTime -= (int) visits.pollFirst()[1];
        }
    }

    QueueSlot(QueueSpec spec, List<ReadyIndex> baseIndexes, List<ReadyIndex> alternativeIndexes,
              ReadyIndex.Ordering ordering) {
        this.name = spec.name();
        configure(spec, baseIndexes, alternativeIndexes, ordering);
        this.handleSeconds = spec.assumedHandleTime().toNanos() / 1e9;
    }

    /** Sets (or, on a live redefinition, replaces) the configuration; the measured handle time is kept. */
    void configure(QueueSpec spec, List<ReadyIndex> baseIndexes, List<ReadyIndex> alternativeIndexes,
                   ReadyIndex.Ordering ordering) {
        this.spec = spec;
        this.baseIndexes = List.copyOf(baseIndexes);
        this.alternativeIndexes = List.copyOf(alternativeIndexes);
        this.ordering = ordering;
        this.thresholdSeconds = spec.serviceLevel().threshold().toNanos() / 1e9;
    }
}
