package dev.hotline.yaml;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * YAML mistakes made by hand are reported where they were made and in plain words (SyntaxHints), not in the
 * parser's terms at the line before: the same message in {@code hotline validate}, {@code config check} and the
 * admin page, which all read through {@link YamlTreeReader}.
 */
class SyntaxErrorsTest {

    private static final Path MAIN_MENU = Path.of("..", "ivr-scripts", "main-menu.yaml");

    private static String error(String text) {
        try {
            YamlTreeReader.parse(text, "f.yaml");
        } catch (YamlSyntaxException e) {
            return e.problem().toString();
        }
        throw new AssertionError("parsed without error:\n" + text);
    }

    private static String mainMenu() throws IOException {
        return Files.readString(MAIN_MENU);
    }

    private static String replaceLine(String text, int line, String with) {
        List<String> lines = new java.util.ArrayList<>(text.lines().toList());
        lines.set(line - 1, with);
        return String.join("\n", lines) + "\n";
    }

    @Test
    void aTabInTheIndentationIsReportedAtTheTab() throws IOException {
        String text = replaceLine(mainMenu(), 15, "\tprompt: welcome");
        assertThat(error(text)).isEqualTo("f.yaml:15:1: error: YAML syntax error: a tab in the indentation (YAML"
                + " indents with spaces only: replace the tab with spaces)");
        assertThat(error("a:\n  b: 1\n  \tc: 2\n")).startsWith("f.yaml:3:3: error: YAML syntax error: a tab");
    }

    @Test
    void anIndentThatLinesUpWithNothingIsReportedOnItsLine() throws IOException {
        String text = replaceLine(mainMenu(), 21, "     prompt: [lang/choose]");
        assertThat(error(text)).isEqualTo("f.yaml:21:6: error: YAML syntax error: this line is indented more than"
                + " the line before, which does not open a block (expected: 4 spaces, or a \"key:\" with nothing"
                + " after it on the line before)");
        assertThat(error("a:\n    b: 1\n  c: 2\n")).isEqualTo("f.yaml:3:3: error: YAML syntax error: indented 2"
                + " spaces, which lines up with no enclosing block (expected: one of 0, 4 spaces, as the lines around"
                + " it)");
    }

    @Test
    void anUnclosedQuoteIsReportedAtTheOpeningQuote() {
        assertThat(error("id: x\nentry: \"welcome\nnodes: {}\n")).isEqualTo("f.yaml:2:8: error: YAML syntax error:"
                + " a quoted value that is never closed (the \" here has no closing \" on this line)");
    }

    @Test
    void otherErrorsKeepTheParsersFirstSentence() {
        assertThatThrownBy(() -> YamlTreeReader.parse("a: [1, 2\nb: 3\n", "f.yaml"))
                .isInstanceOf(YamlSyntaxException.class).hasMessageContaining("YAML syntax error: while parsing");
    }

    @Test
    void validDocumentsWithListsBlockScalarsCommentsAndFlowMapsParse() throws Exception {
        String ok = """
                # comment
                a:
                  - x: 1
                    y: "two # not a comment"
                  - {z: 3,
                     w: 4}
                b: |
                  text
                    indented more
                c: 'it''s'
                """;
        assertThat(YamlTreeReader.parse(ok, "ok.yaml")).isInstanceOf(YamlMap.class);
        assertThat(SyntaxHints.explain(ok)).isEmpty();
        assertThat(SyntaxHints.explain(mainMenu())).isEmpty();
        assertThat(SyntaxHints.explain(Files.readString(Path.of("..", "config", "hotline.yaml")))).isEmpty();
        assertThat(SyntaxHints.explain(Files.readString(Path.of("..", "config", "agents.yaml")))).isEmpty();
    }
}
