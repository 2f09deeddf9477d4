package dev.hotline.cli.ivr;

import dev.hotline.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code validate} and {@code ivr try} against the shipped samples and a throw-away Hotline folder. */
class IvrCommandsTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The project folder (holding config/ and ivr-scripts/); tests run in cli/. */
    static Path project() {
        return Path.of("").toAbsolutePath().getParent();
    }

    static String config() {
        return project().resolve("config/hotline.yaml").toString();
    }

    @BeforeEach
    void home() {
        // What the ./hotline launcher sets: the configured folders are relative to it.
        System.setProperty("hotline.home", project().toString());
    }

    @AfterEach
    void clearHome() {
        System.clearProperty("hotline.home");
    }

    @Test
    void validateWithSoundsListsEveryMissingPromptWhereItIsUsed(@TempDir Path sounds) throws Exception {
        // A sounds folder with the English welcome and the announcements in English only (no French, no survey).
        for (String f : new String[] {"en/welcome.wav", "queue-youarenext.gsm", "en/queue-thereare.ulaw",
                "en/queue-callswaiting.sln16", "en/queue-holdtime.wav", "en/queue-minutes.wav",
                "en/queue-periodic-announce.wav", "fr/queue-periodic-announce.gsm"}) {
            Path p = sounds.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "");
        }
        Result r = run("--config", config(), "validate", "--sounds", sounds.toString(),
                project().resolve("ivr-scripts").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        String scripts = project().resolve("ivr-scripts") + "/";
        assertThat(r.out().replace(scripts, "")).contains(
                "main-menu.yaml:15:13: error: nodes.welcome.prompt: sound \"fr/welcome\" is missing from " + sounds,
                "main-menu.yaml:55:21: error: nodes.main.invalid_prompt: sound \"en/invalid-option\" is missing",
                "survey.yaml:15:13: error: nodes.intro.prompt: sound \"survey/en/intro\" is missing")
                .doesNotContain("\"en/welcome\"").doesNotContain("queue-youarenext").doesNotContain("periodic");
        // The queues' announcements: reported at the configuration key, in each language the scripts speak.
        Path hotlineYaml = project().resolve("config/hotline.yaml");
        int line = Files.readAllLines(hotlineYaml).indexOf("  announce_interval: 30s") + 1;
        assertThat(line).as("acd.announce_interval in " + hotlineYaml).isPositive();
        assertThat(r.out()).contains(hotlineYaml + ":" + line + ":3: error: acd.announce_interval:"
                + " sound \"fr/queue-thereare\" is missing from " + sounds + " (looked for"
                + " fr/queue-thereare.{wav,gsm,ulaw,alaw,sln16,…} and queue-thereare.{wav,gsm,ulaw,alaw,sln16,…})");
    }

    @Test
    void validateAndConfigCheckSayAYamlMistakeInTheSameWordsAtItsLine(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("tabbed.yaml");
        Files.writeString(script, "id: tabbed\nentry: a\nnodes:\n  a:\n\ttype: hangup\n");
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "agi:\n  port: 4573\n\tbind: 0.0.0.0\n");
        String words = "YAML syntax error: a tab in the indentation (YAML indents with spaces only: replace the tab"
                + " with spaces)";
        Result validate = run("--config", config(), "validate", script.toString());
        assertThat(validate.out()).contains(script + ":5:1: error: " + words);
        Result check = run("config", "check", config.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.err()).contains(config + ":3:1: error: " + words);
    }

    @Test
    void validateAcceptsTheSamples() {
        Result r = run("--config", config(), "validate", project().resolve("ivr-scripts").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 script file(s) checked: 0 error(s), 0 warning(s); valid scripts: [main-menu,"
                + " survey]");
    }

    @Test
    void validatePrintsOneLinePerProblemAndExitsOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                id: bad
                entry: q
                nodes:
                  q: {type: queue, queue: nowhere}
                  lost: {type: hangup}
                """);
        Result r = run("--config", config(), "validate", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains(f + ":4:27: error: nodes.q.queue: unknown queue \"nowhere\"",
                f + ":5:3: warning: nodes.lost: unreachable", "1 error(s), 1 warning(s)");
    }

    @Test
    void tryRunsTheMainMenuToTheBillingQueueWithAStubbedCrm(@TempDir Path dir) throws Exception {
        Path stub = dir.resolve("crm.json");
        Files.writeString(stub, "{\"crm\": {\"customer\": {\"name\": \"Ada\", \"tier\": \"gold\"}}}");
        Result r = run("--config", config(), "ivr", "try", "main-menu", "--caller", "0612345678",
                "--digits", "2,3,12345678", "--at", "2026-03-02T10:00:00+01:00", "--lookup-stub", stub.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("play en/welcome", "play fr/main-menu", "-> calendar business",
                "-> if vars.tier == \"gold\" -> billing-priority");
        assertThat(r.out().strip()).endsWith("outcome: queue billing vars={account=12345678, customer_name=Ada,"
                + " tier=gold}");
    }

    @Test
    void tryAfterHoursEndsInVoicemail() {
        Result r = run("--config", config(), "ivr", "try", "main-menu", "--digits", "1",
                "--at", "2026-03-02T03:00:00+01:00");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).endsWith("outcome: voicemail 100@hotline vars={}");
    }

    @Test
    void tryAnUnknownScriptExitsOne() {
        Result r = run("--config", config(), "ivr", "try", "nope", "--digits", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("nope: no valid script with this id");
    }
}
