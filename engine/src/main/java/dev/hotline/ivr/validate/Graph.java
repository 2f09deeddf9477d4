package dev.hotline.ivr.validate;

import dev.hotline.ivr.model.Node;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlLocation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need a script's whole node graph: nodes no call can reach (a warning: usually a forgotten
 * option) and loops along which the script never waits for the caller (an error: a call would spin in the
 * engine forever). A loop through a menu, input or survey is fine: the caller decides when it ends.
 *
 * <p>Loops are the strongly connected components (Tarjan) of the graph restricted to nodes that do not wait.
 */
final class Graph {

    private final Map<String, Node> nodes;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<List<String>> loops = new ArrayList<>();
    private int counter;

    private Graph(Map<String, Node> nodes) {
        this.nodes = nodes;
    }

    static void check(Map<String, Node> nodes, String entry, Map<String, YamlLocation> nodeAt, String nodesPath,
                      Problems problems) {
        Set<String> reached = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(entry));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (nodes.containsKey(n) && reached.add(n)) {
                todo.addAll(nodes.get(n).successors());
            }
        }
        for (String name : nodes.keySet()) {
            if (!reached.contains(name)) {
                problems.warning(nodeAt.get(name), path(nodesPath, name),
                        "unreachable: no path from the entry node \"" + entry + "\" leads here");
            }
        }
        Graph g = new Graph(nodes);
        for (String name : nodes.keySet()) {
            if (!nodes.get(name).waitsForCaller() && !g.index.containsKey(name)) {
                g.connect(name);
            }
        }
        for (List<String> loop : g.loops) {
            String first = loop.stream().min((a, b) -> Integer.compare(nodeAt.get(a).line(), nodeAt.get(b).line()))
                    .orElseThrow();
            problems.error(nodeAt.get(first), path(nodesPath, first), "loop " + String.join(" -> ", order(loop, first,
                    nodes)) + " -> " + first + " never waits for the caller (expected: a menu, input or survey in the"
                    + " loop, or a way out)");
        }
    }

    private static String path(String nodesPath, String name) {
        return nodesPath.isEmpty() ? name : nodesPath + "." + name;
    }

    /** The loop's nodes in the order a call walks them, starting at {@code first}. */
    private static List<String> order(List<String> loop, String first, Map<String, Node> nodes) {
        List<String> out = new ArrayList<>(List.of(first));
        Set<String> members = new HashSet<>(loop);
        String at = first;
        while (out.size() < loop.size()) {
            String nextNode = null;
            for (String s : nodes.get(at).successors()) {
                if (members.contains(s) && !out.contains(s)) {
                    nextNode = s;
                    break;
                }
            }
            if (nextNode == null) {
                // Not a simple cycle (several interleaved loops): list the rest as written.
                loop.stream().filter(s -> !out.contains(s)).forEach(out::add);
                break;
            }
            out.add(nextNode);
            at = nextNode;
        }
        return out;
    }

    private void connect(String v) {
        index.put(v, counter);
        low.put(v, counter);
        counter++;
        stack.push(v);
        onStack.add(v);
        boolean selfLoop = false;
        for (String w : nodes.get(v).successors()) {
            Node wn = nodes.get(w);
            if (wn == null || wn.waitsForCaller()) {
                continue;
            }
            if (w.equals(v)) {
                selfLoop = true;
            }
            if (!index.containsKey(w)) {
                connect(w);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1 || selfLoop) {
                loops.add(component);
            }
        }
    }
}
