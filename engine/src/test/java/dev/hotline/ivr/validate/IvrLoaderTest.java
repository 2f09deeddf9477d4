package dev.hotline.ivr.validate;

import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.TestFiles;
import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class IvrLoaderTest {

    private final IvrLoader loader = new IvrLoader(Optional.of(Set.of("sales", "support", "billing", "operator")),
            Map.of());

    private List<String> problems(String file) {
        Path f = TestFiles.resource("broken/" + file);
        IvrLoader.Validation v = loader.validate(List.of(f), TestFiles.resource("calendars"), Set.of());
        String prefix = f.getParent().toString() + "/";
        return v.problems().stream().map(YamlProblem::toString).map(s -> s.replace(prefix, "")).toList();
    }

    @Test
    void theSamplesValidateCleanAgainstTheShippedConfigAndCalendars() throws Exception {
        Path home = TestFiles.projectHome();
        HotlineConfig config = new ConfigLoader(Map.of()).load(home.resolve("config/hotline.yaml"));
        IvrLoader real = new IvrLoader(Optional.of(config.queues().stream().map(QueueConfig::name)
                .collect(Collectors.toSet())), Map.of());
        IvrLoader.Validation v = real.validate(List.of(home.resolve(config.ivrScripts())),
                home.resolve(config.calendars()), Set.of());
        assertThat(v.problems()).isEmpty();
        assertThat(v.catalog().scripts()).containsOnlyKeys("main-menu", "survey");
        assertThat(v.catalog().calendars()).containsKey("business");
    }

    @Test
    void yamlSyntaxErrorsAreReportedWhereTheParserStopped() {
        assertThat(problems("syntax.yaml")).singleElement().asString()
                .startsWith("syntax.yaml:6:17: error: YAML syntax error: while parsing a flow sequence");
    }

    @Test
    void unknownNodeTypesAreErrorsAtTheType() {
        assertThat(problems("unknown-type.yaml")).containsExactly(
                "unknown-type.yaml:5:11: error: nodes.a.type: unknown node type \"dance\" (expected one of: play, "
                        + "menu, input, set, branch, hours, lookup, language, queue, transfer, voicemail, goto, hangup,"
                        + " survey)");
    }

    @Test
    void unknownFieldsAreErrorsAtTheKeyWithAGuess() {
        assertThat(problems("unknown-field.yaml")).singleElement().asString()
                .startsWith("unknown-field.yaml:7:5: error: nodes.a.nxt: unknown key, did you mean 'next'?");
    }

    @Test
    void wrongTypesAndRangesNameTheValueAndWhatIsExpected() {
        assertThat(problems("wrong-types.yaml")).containsExactly(
                "wrong-types.yaml:9:7: error: nodes.m.options.12: option key \"12\" (expected: one of the keys 0-9,"
                        + " *, #)",
                "wrong-types.yaml:10:14: error: nodes.m.timeout: \"-1s\" (expected: a duration from 1s to 1m, such as"
                        + " 500ms, 30s, 5m, 1h)",
                "wrong-types.yaml:11:14: error: nodes.m.retries: 42 (expected: an integer from 0 to 9)",
                "wrong-types.yaml:15:20: error: nodes.done.prompt[1].say_colour: unknown prompt \"say_colour\""
                        + " (expected: a sound name, say_digits, say_number or say_date)");
    }

    @Test
    void aMissingEntryNodeIsAnErrorAtEntry() {
        assertThat(problems("missing-entry.yaml")).containsExactly(
                "missing-entry.yaml:2:8: error: entry: unknown node \"start\" (expected: one of [begin])");
    }

    @Test
    void referencesToUnknownNodesScriptsCalendarsAndQueuesAreErrorsWhereWritten() {
        assertThat(problems("unknown-refs.yaml")).containsExactly(
                "unknown-refs.yaml:6:15: error: nodes.check.calendar: unknown calendar \"weekend-only\" (expected: a"
                        + " valid file config/calendars/weekend-only.yaml or a calendar saved from the admin page;"
                        + " known: [office])",
                "unknown-refs.yaml:11:12: error: nodes.sell.queue: unknown queue \"marketing\" (expected: a queue of"
                        + " the configuration, one of [billing, operator, sales, support])",
                "unknown-refs.yaml:14:13: error: nodes.elsewhere.script: unknown script \"no-such-script\" (expected:"
                        + " the id of a script, one of [unknown-refs])",
                "unknown-refs.yaml:15:3: warning: nodes.spare: unreachable: no path from the entry node \"check\""
                        + " leads here",
                "unknown-refs.yaml:19:17: error: nodes.spare.on_failure: unknown node \"nowhere\" (expected: one of"
                        + " [check, sell, elsewhere, spare])");
    }

    @Test
    void loopsThatNeverWaitForTheCallerAreErrorsButMenuLoopsAreFine() {
        assertThat(problems("loop.yaml")).containsExactly(
                "loop.yaml:4:3: error: nodes.start: loop start -> check -> start never waits for the caller"
                        + " (expected: a menu, input or survey in the loop, or a way out)");
    }

    @Test
    void badConditionsNameTheCharacterAndTheAllowedComparisons() {
        assertThat(problems("bad-condition.yaml")).singleElement().asString().startsWith(
                "bad-condition.yaml:7:13: error: nodes.b.rules[0].if: condition \"caller begins with \"06\"\":"
                        + " unknown comparison 'begins' (expected: ==").endsWith("at character 8");
    }

    @Test
    void duplicateIdsAreErrorsOnTheSecondFile() {
        Path dir = TestFiles.resource("dup");
        IvrLoader.Validation v = loader.validate(List.of(dir), TestFiles.resource("calendars"), Set.of());
        assertThat(v.problems()).singleElement().asString()
                .isEqualTo(dir.resolve("b.yaml") + ":2:5: error: id: duplicate id \"same\" (also in "
                        + dir.resolve("a.yaml") + ":1:5; expected: one file per id)");
        assertThat(v.catalog().script("same").orElseThrow().source()).isEqualTo(dir.resolve("a.yaml").toString());
    }

    @Test
    void aMissingFileIsReported() {
        IvrLoader.Validation v = loader.validate(List.of(Path.of("no/such.yaml")), Path.of("no-calendars"), Set.of());
        assertThat(v.problems()).singleElement().asString()
                .isEqualTo("no/such.yaml:1:1: error: file not found"
                        + " (expected: an IVR script file or a folder of them)");
    }
}
