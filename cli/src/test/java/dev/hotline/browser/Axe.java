package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * axe-core, the accessibility checker, run in a page: {@link #check} injects it (the npm package the build fetched
 * into {@code cli/target/npm-test}, never a CDN), runs the WCAG 2.1 A and AA rules and the best practices, saves the
 * whole report next to the screenshots ({@code NN-<browser>-axe-<page>.json}) and fails on any violation of impact
 * serious or critical, naming the rule, its help and the elements.
 */
final class Axe {

    static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "target", "npm-test", "node_modules",
            "axe-core", "axe.min.js");

    private static String source;

    private Axe() {
    }

    private static synchronized String source() {
        if (source == null) {
            try {
                source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(SCRIPT + " is missing: the build fetches axe-core with npm"
                        + " (cli/pom.xml, src/test/js/package.json); run the tests through Maven", e);
            }
        }
        return source;
    }

    /** Runs axe on what {@code b} shows now ({@code page} names it in the report); fails on serious violations. */
    static JsonNode check(BrowserSession b, String page) {
        if (!b.script("return typeof window.axe !== 'undefined';").asBoolean()) {
            b.script(source() + "\nreturn true;");
        }
        JsonNode result = b.scriptAsync("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                    'best-practice']}, resultTypes: ['violations']})
                  .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))}))
                  .catch(e => done({error: String(e)}));
                """);
        try {
            Files.writeString(b.artifacts().next(b.name(), "axe-" + page, "json"), result.toPrettyString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(result.path("error").isMissingNode()).as("axe on %s: %s", page, result.path("error")).isTrue();
        List<String> serious = new ArrayList<>();
        for (JsonNode v : result.path("violations")) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                List<String> where = new ArrayList<>();
                v.path("nodes").forEach(n -> where.add(n.path("target").asText() + " (" + n.path("summary").asText()
                        .replace('\n', ' ') + ")"));
                serious.add(impact + " " + v.path("id").asText() + ": " + v.path("help").asText() + " — " + where);
            }
        }
        assertThat(serious).as("axe-core: serious or critical accessibility violations on %s (%s)", page, b.name())
                .isEmpty();
        return result;
    }
}
