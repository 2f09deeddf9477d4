package dev.hotline.routing;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The ready agents holding one skill (or all ready agents, for queues with no required skill), kept sorted in each
 * order a queue's strategy needs. Orders are only maintained once some queue asks for them, so an agent becoming
 * ready costs O(log n) per (held skill × order in use).
 */
final class ReadyIndex {

    /** The sort orders strategies scan; each ends with the ordinal so that no two agents compare equal. */
    enum Ordering {
        /** Longest ready first. */
        IDLE,
        /** Highest level in the index's skill first, then longest ready. */
        SKILL,
        /** Fewest calls today, least talk today, then longest ready. */
        OCCUPANCY,
        /** Registration order (round-robin walks it from the queue's last agent). */
        ORDINAL
    }

    final String skill;
    private final Map<Ordering, TreeSet<AgentSlot>> sets = new EnumMap<>(Ordering.class);
    private int size;

    ReadyIndex(String skill) {
        this.skill = skill;
    }

    boolean has(Ordering ordering) {
        return sets.containsKey(ordering);
    }

    /** Starts maintaining {@code ordering}, seeded with the agents of an existing order (or none). */
    void enable(Ordering ordering, Iterable<AgentSlot> readyAgents) {
        TreeSet<AgentSlot> set = new TreeSet<>(comparator(ordering));
        for (AgentSlot a : readyAgents) {
            set.add(a);
        }
        if (sets.isEmpty()) {
            size = set.size();
        }
        sets.put(ordering, set);
    }

    /** Any maintained order, for seeding a new one. */
    Iterable<AgentSlot> members() {
        return sets.isEmpty() ? java.util.List.of() : sets.values().iterator().next();
    }

    void add(AgentSlot a) {
        for (TreeSet<AgentSlot> set : sets.values()) {
            set.add(a);
        }
        size++;
    }

    void remove(AgentSlot a) {
        for (TreeSet<AgentSlot> set : sets.values()) {
            set.remove(a);
        }
        size--;
    }

    int size() {
        return size;
    }

    NavigableSet<AgentSlot> view(Ordering ordering) {
        return sets.get(ordering);
    }

    private Comparator<AgentSlot> comparator(Ordering ordering) {
        return switch (ordering) {
            case IDLE -> (a, b) -> {
                int c = Long.compare(a.readyKey, b.readyKey);
                return c != 0 ? c : Integer.compare(a.ordinal, b.ordinal);
            };
            case SKILL -> (a, b) -> {
                int c = Integer.compare(b.profile.level(skill), a.profile.level(skill));
                if (c == 0) {
                    c = Long.compare(a.readyKey, b.readyKey);
                }
                return c != 0 ? c : Integer.compare(a.ordinal, b.ordinal);
            };
            case OCCUPANCY -> (a, b) -> {
                int c = Integer.compare(a.callsToday, b.callsToday);
                if (c == 0) {
                    c = Long.compare(a.talkNanosToday, b.talkNanosToday);
                }
                if (c == 0) {
                    c = Long.compare(a.readyKey, b.readyKey);
                }
                return c != 0 ? c : Integer.compare(a.ordinal, b.ordinal);
            };
            case ORDINAL -> Comparator.comparingInt(a -> a.ordinal);
        };
    }
}
