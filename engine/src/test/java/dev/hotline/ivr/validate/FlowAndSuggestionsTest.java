package dev.hotline.ivr.validate;

import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** "Did you mean" for misspelt node types and targets, and the script's flow graph the admin page draws. */
class FlowAndSuggestionsTest {

    private final IvrLoader loader = new IvrLoader(Optional.of(Set.of("sales", "support")), Map.of());

    private static final String SCRIPT = """
            id: demo
            entry: welcome
            nodes:
              welcome:
                type: play
                prompt: welcome
                next: main
              main:
                type: meun
                prompt: main-menu
              billing:
                type: menu
                prompt: [billing, "promo/{lang}/spring", "beep/short"]
                options: {"1": sales, "2": billng}
                on_failure: sales
              sales: {type: queue, queue: sale}
            """;

    private IvrLoader.ScriptFile read() {
        return loader.parse(Path.of("demo.yaml"), SCRIPT);
    }

    @Test
    void unknownTypesNodesAndQueuesGetTheClosestName() {
        IvrLoader.ScriptFile f = read();
        List<String> problems = new java.util.ArrayList<>(f.problems().stream().map(YamlProblem::toString).toList());
        loader.crossCheck(List.of(f), Set.of(), Set.of()).forEach(p -> problems.add(p.toString()));
        assertThat(problems).contains(
                "demo.yaml:9:11: error: nodes.main.type: unknown node type \"meun\", did you mean \"menu\"? (expected"
                        + " one of: play, menu, input, set, branch, hours, lookup, language, queue, transfer, voicemail,"
                        + " goto, hangup, survey)",
                "demo.yaml:14:32: error: nodes.billing.options.2: unknown node \"billng\", did you mean \"billing\"?"
                        + " (expected: one of [welcome, main, billing, sales])",
                "demo.yaml:16:31: error: nodes.sales.queue: unknown queue \"sale\", did you mean \"sales\"? (expected:"
                        + " a queue of the configuration, one of [sales, support])");
    }

    @Test
    void theFlowHasEveryWrittenNodeTheirExitsAndTheMissingTargets() {
        Flow flow = read().result().flow();
        assertThat(flow.entry()).isEqualTo("welcome");
        assertThat(flow.nodes()).extracting(Flow.FlowNode::name, Flow.FlowNode::type, Flow.FlowNode::line,
                Flow.FlowNode::reachable, Flow.FlowNode::missing).containsExactly(
                org.assertj.core.groups.Tuple.tuple("welcome", "play", 4, true, false),
                org.assertj.core.groups.Tuple.tuple("main", "meun", 8, true, false),
                org.assertj.core.groups.Tuple.tuple("billing", "menu", 11, false, false),
                org.assertj.core.groups.Tuple.tuple("sales", "queue", 16, false, false),
                org.assertj.core.groups.Tuple.tuple("billng", "missing", 0, false, true));
        assertThat(flow.edges()).extracting(e -> e.from() + " -" + e.label() + "-> " + e.to()).containsExactly(
                "welcome -next-> main", "billing -key 1-> sales", "billing -key 2-> billng",
                "billing -on_failure-> sales");
        assertThat(Flow.nodeOf("nodes.billing.options.2")).contains("billing");
        assertThat(Flow.nodeOf("nodes.sales")).contains("sales");
        assertThat(Flow.nodeOf("entry")).isEmpty();
    }

    @Test
    void everySoundIsListedWithWhereItIsWrittenAndTheFilesItPlays() {
        ScriptReader.Result r = read().result();
        assertThat(r.sounds()).extracting(s -> s.name() + "@" + s.at().line() + ":" + s.at().column())
                .containsExactly("welcome@6:13", "billing@13:14", "promo/{lang}/spring@13:23",
                        "beep/short@13:46");
        assertThat(r.sounds().get(2).files(List.of("en", "fr"))).containsExactly("promo/en/spring", "promo/fr/spring");
        assertThat(r.sounds().get(3).files(List.of("en", "fr"))).containsExactly("beep/short");
        assertThat(r.sounds().get(0).files(List.of("en", "fr"))).containsExactly("en/welcome", "fr/welcome");
    }
}
