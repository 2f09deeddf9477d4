package dev.hotline.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The core's mutable record of a call waiting or ringing. Owned by {@link RoutingCore}'s thread. */
final class CallSlot {

    final Call call;
    /** Arrival order: the final tie-break of queue order. */
    final long seq;
    /** When the call first joined a queue; escalation, maximum wait and risk count from here, moves included. */
    final Instant enqueuedAt;
    final String language;
    QueueSlot queue;
    int priority;
    /** Queue order within a priority: the enqueue time in epoch nanoseconds, lowered to go back to the head. */
    long sortKey;
    /** Skills the agent must all hold (queue's and call's), with minimum levels; levels drop on escalation. */
    String[] skills;
    int[] levels;
    /** Escalation alternatives: an agent holding any one of these is eligible too. */
    final List<SkillRequirement> alternatives = new ArrayList<>(0);
    int nextStep;
    /** False while only the preferred agent may take the call. */
    boolean preferenceExpired;
    /** When the preference ends if the enqueue set it ({@code Enqueue.preferredFor}); null: the strategy's rule. */
    Instant preferenceUntil;
    /** A queued callback: the caller hung up; no max wait or escalation applies (see Command.KeepAsCallback). */
    boolean callback;
    AgentSlot offeredTo;
    Instant ringDeadline;
    /** The offer's ring is reported by the caller's session ({@link Command.OfferRinging}): no ring deadline. */
    boolean ringReported;
    Timer timer;

    CallSlot(Call call, long seq, Instant enqueuedAt, QueueSlot queue, int priority) {
        this.call = call;
        this.seq = seq;
        this.enqueuedAt = enqueuedAt;
        this.language = call.language().orElse(null);
        this.queue = queue;
        this.priority = priority;
        this.sortKey = RoutingCore.nanos(enqueuedAt);
        requireFrom(queue.spec);
    }

    /** Sets the must-have skills to {@code spec}'s requirements merged with the call's own (the higher level wins). */
    void requireFrom(QueueSpec spec) {
        List<SkillRequirement> all = new ArrayList<>(spec.requirements());
        for (SkillRequirement own : call.skills()) {
            int i = indexOf(all, own.skill());
            if (i < 0) {
                all.add(own);
            } else if (all.get(i).minLevel() < own.minLevel()) {
                all.set(i, own);
            }
        }
        skills = new String[all.size()];
        levels = new int[all.size()];
        for (int i = 0; i < skills.length; i++) {
            skills[i] = all.get(i).skill();
            levels[i] = all.get(i).minLevel();
        }
        alternatives.clear();
    }

    private static int indexOf(List<SkillRequirement> list, String skill) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).skill().equals(skill)) {
                return i;
            }
        }
        return -1;
    }

    /** Lowers the minimum level of {@code skill} to {@code level}; false if the call does not need that skill. */
    boolean lowerLevel(String skill, int level) {
        for (int i = 0; i < skills.length; i++) {
            if (skills[i].equals(skill)) {
                levels[i] = Math.min(levels[i], level);
                return true;
            }
        }
        return false;
    }

    String id() {
        return call.id();
    }

    @Override
    public String toString() {
        return call.id() + "(p" + priority + " " + Arrays.toString(skills) + Arrays.toString(levels) + ")";
    }
}
