package dev.hotline.gateway.ws;

import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.model.Node;
import dev.hotline.ivr.runtime.IvrCatalog;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each queue is open today, for the wallboard's interval chart: the calendars of the IVR {@code hours} nodes
 * whose "open" way leads to the queue's {@code queue} node in the published scripts (the graph the validator walks),
 * turned into the 15-minute slots of the chart's day that are open in any of them. A queue no hours node guards is
 * open all day (empty answer). Cached per day and catalog version: the wallboard asks every second.
 */
final class OpeningHours {

    private record Key(LocalDate day, long version, String queue) {
    }

    private final Map<Key, List<int[]>> cache = new ConcurrentHashMap<>();

    /**
     * The open runs of slots {@code [from, to)} of {@code day} (slots of {@code minutes} from local midnight in
     * {@code zone}), or empty when the queue is open all day.
     */
    List<int[]> slots(IvrCatalog catalog, String queue, LocalDate day, ZoneId zone, int minutes) {
        if (cache.size() > 1000) {
            cache.clear();
        }
        return cache.computeIfAbsent(new Key(day, catalog.version(), queue), k -> compute(catalog, queue, day, zone,
                minutes));
    }

    private static List<int[]> compute(IvrCatalog catalog, String queue, LocalDate day, ZoneId zone, int minutes) {
        Set<String> calendars = calendarsOf(catalog, queue);
        List<BusinessCalendar> found = calendars.stream().map(catalog::calendar).flatMap(java.util.Optional::stream)
                .toList();
        if (found.isEmpty()) {
            return List.of();
        }
        Instant start = day.atStartOfDay(zone).toInstant();
        long slots = Duration.between(start, day.plusDays(1).atStartOfDay(zone).toInstant()).toMinutes() / minutes;
        List<int[]> runs = new ArrayList<>();
        int from = -1;
        for (int s = 0; s <= slots; s++) {
            Instant middle = start.plus(Duration.ofMinutes((long) s * minutes + minutes / 2));
            boolean open = s < slots && found.stream().anyMatch(c -> c.status(middle).state()
                    == BusinessCalendar.State.OPEN);
            if (open && from < 0) {
                from = s;
            } else if (!open && from >= 0) {
                runs.add(new int[] {from, s});
                from = -1;
            }
        }
        if (runs.isEmpty()) {
            runs.add(new int[] {0, 0});   // closed all day
        }
        return List.copyOf(runs);
    }

    /** The calendars of the hours nodes from whose "open" way the queue's queue node can be reached. */
    static Set<String> calendarsOf(IvrCatalog catalog, String queue) {
        Set<String> out = new TreeSet<>();
        for (IvrScript script : catalog.scripts().values()) {
            for (Node n : script.nodes().values()) {
                if (n instanceof Node.Hours h && reaches(script, h.open(), queue)) {
                    out.add(h.calendar());
                }
            }
        }
        return out;
    }

    private static boolean reaches(IvrScript script, String from, String queue) {
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            var node = script.node(name);
            if (node.isEmpty()) {
                continue;
            }
            if (node.get() instanceof Node.Queue q && q.queue().equals(queue)) {
                return true;
            }
            todo.addAll(node.get().successors());
        }
        return false;
    }
}
