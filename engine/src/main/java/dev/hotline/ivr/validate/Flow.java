package dev.hotline.ivr.validate;

import dev.hotline.ivr.model.Node;
import dev.hotline.yaml.YamlLocation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A script's flow as a graph, for the admin page's diagram: every node written in the file (also those read with
 * errors) and every way out of it, built from the same {@link Node#edges()} the validator walks. A target that
 * names no node becomes a node marked {@code missing}, so a broken reference shows where it points.
 *
 * @param entry the entry node's name (empty when the file has none)
 * @param nodes in file order, then the missing targets
 * @param edges in file order
 */
public record Flow(String entry, List<FlowNode> nodes, List<FlowEdge> edges) {

    public static final Flow EMPTY = new Flow("", List.of(), List.of());

    /**
     * One node: its {@code type} as written ("?" when unreadable), where it is written (line 0 for a missing
     * target), whether a call can reach it from the entry, and whether it is only a name nothing defines.
     */
    public record FlowNode(String name, String type, int line, int column, boolean reachable, boolean missing) {
        public FlowNode {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /** One way out of {@code from} to {@code to}, taken when {@code label} ("next", "key 1", "open"…). */
    public record FlowEdge(String from, String to, String label) {
        public FlowEdge {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(label, "label");
        }
    }

    public Flow {
        Objects.requireNonNull(entry, "entry");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * The node a problem is about, from its key path ({@code nodes.main.options.4} → {@code main}); empty for
     * problems about the script as a whole.
     */
    public static Optional<String> nodeOf(String problemPath) {
        if (problemPath == null || !problemPath.startsWith("nodes.")) {
            return Optional.empty();
        }
        String rest = problemPath.substring("nodes.".length());
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '.' || rest.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return end == 0 ? Optional.empty() : Optional.of(rest.substring(0, end));
    }

    /**
     * @param written  every node name in the file with where its key is written, in file order
     * @param types    the type written for each node, when readable
     * @param built    the nodes read without errors
     * @param unbuilt  for nodes read with errors: the references they make (label → target), as far as readable
     */
    static Flow of(String entry, Map<String, YamlLocation> written, Map<String, String> types, Map<String, Node> built,
                   Map<String, List<Node.Edge>> unbuilt) {
        List<FlowEdge> edges = new ArrayList<>();
        Map<String, List<String>> next = new LinkedHashMap<>();
        for (String name : written.keySet()) {
            Node n = built.get(name);
            List<Node.Edge> out = n != null ? n.edges() : unbuilt.getOrDefault(name, List.of());
            for (Node.Edge e : out) {
                edges.add(new FlowEdge(name, e.target(), e.label()));
                next.computeIfAbsent(name, k -> new ArrayList<>()).add(e.target());
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        if (written.containsKey(entry)) {
            todo.add(entry);
        }
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (written.containsKey(n) && reached.add(n)) {
                todo.addAll(next.getOrDefault(n, List.of()));
            }
        }
        List<FlowNode> nodes = new ArrayList<>();
        written.forEach((name, at) -> nodes.add(new FlowNode(name, types.getOrDefault(name, "?"), at.line(),
                at.column(), reached.contains(name), false)));
        Set<String> missing = new java.util.LinkedHashSet<>();
        edges.stream().map(FlowEdge::to).filter(t -> !written.containsKey(t)).forEach(missing::add);
        missing.forEach(name -> nodes.add(new FlowNode(name, "missing", 0, 0, false, true)));
        return new Flow(entry, nodes, edges);
    }
}
