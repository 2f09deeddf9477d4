package dev.hotline.ivr.runtime;

import dev.hotline.ivr.TestFiles;
import dev.hotline.ivr.lookup.StubLookupClient;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IvrRepositoryTest {

    @TempDir
    Path dir;

    private static String menu(String queue) {
        return """
                id: main
                entry: menu
                nodes:
                  menu:
                    type: menu
                    prompt: menu
                    options: {"1": q}
                    on_failure: q
                  q: {type: queue, queue: %s}
                """.formatted(queue);
    }

    private IvrRepository repository() {
        return new IvrRepository(dir, TestFiles.resource("calendars"),
                new IvrLoader(Optional.of(Set.of("sales", "support")), Map.of()));
    }

    private void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aValidChangeIsPublishedAsANewVersion() {
        write("main.yaml", menu("sales"));
        IvrRepository repo = repository();
        assertThat(repo.poll()).isTrue();
        assertThat(repo.current().version()).isEqualTo(1);
        assertThat(repo.poll()).as("nothing changed").isFalse();

        write("main.yaml", menu("support"));
        assertThat(repo.poll()).isTrue();
        assertThat(repo.current().version()).isEqualTo(2);
        assertThat(repo.current().script("main").orElseThrow().nodes().get("q"))
                .hasFieldOrPropertyWithValue("queue", "support");
        assertThat(repo.problems()).isEmpty();
    }

    @Test
    void anInvalidChangeKeepsThePreviousVersionAndExposesTheProblem() {
        write("main.yaml", menu("sales"));
        IvrRepository repo = repository();
        repo.poll();
        IvrCatalog before = repo.current();

        write("main.yaml", menu("marketing"));
        assertThat(repo.poll()).isFalse();
        assertThat(repo.current()).isSameAs(before);
        assertThat(repo.problems()).extracting(YamlProblem::toString).containsExactly(dir.resolve("main.yaml")
                + ":9:27: error: nodes.q.queue: unknown queue \"marketing\" (expected: a queue of the configuration,"
                + " one of [sales, support])");

        write("main.yaml", "id: main\nentry: [oops\n");
        assertThat(repo.poll()).isFalse();
        assertThat(repo.current().script("main")).isPresent();
        assertThat(repo.problems()).singleElement().asString().contains("YAML syntax error");
    }

    @Test
    void aNewInvalidFileIsNotPublishedWhileTheOthersAre() {
        write("main.yaml", menu("sales"));
        write("other.yaml", "id: other\nentry: nowhere\nnodes:\n  a: {type: hangup}\n");
        IvrRepository repo = repository();
        repo.poll();
        assertThat(repo.current().scripts()).containsOnlyKeys("main");
        assertThat(repo.problems()).hasSize(1);
    }

    @Test
    void aDeletedScriptStaysWhileAnotherStillGoesToIt() throws IOException {
        write("main.yaml", menu("sales"));
        write("front.yaml", "id: front\nentry: g\nnodes:\n  g: {type: goto, script: main}\n");
        IvrRepository repo = repository();
        repo.poll();
        Files.delete(dir.resolve("main.yaml"));
        repo.poll();
        assertThat(repo.current().scripts()).containsOnlyKeys("front", "main");
        Files.delete(dir.resolve("front.yaml"));
        repo.poll();
        assertThat(repo.current().scripts()).isEmpty();
    }

    @Test
    void aCallInProgressFinishesOnTheVersionItStartedWith() throws Exception {
        write("main.yaml", menu("sales"));
        IvrRepository repo = repository();
        repo.poll();
        IvrInterpreter interpreter = new IvrInterpreter(InstantSource.fixed(Instant.EPOCH), StubLookupClient.none(),
                IvrMetrics.NONE);
        IvrCallResult[] results = new IvrCallResult[2];
        // While the first caller listens to the menu, an admin publishes a change.
        ScriptedSession first = ScriptedSession.caller("1").keys("1").onCommand("STREAM FILE en/menu", () -> {
            write("main.yaml", menu("support"));
            assertThat(repo.poll()).isTrue();
        });
        IvrScriptHandler.forScript("main", repo::current, interpreter, (r, s) -> results[0] = r).run(first);
        IvrScriptHandler.forScript("main", repo::current, interpreter, (r, s) -> results[1] = r)
                .run(ScriptedSession.caller("2").keys("1"));

        assertThat(results[0].outcome().describe()).isEqualTo("queue sales");
        assertThat(results[0].catalogVersion()).isEqualTo(1);
        assertThat(results[1].outcome().describe()).isEqualTo("queue support");
        assertThat(results[1].catalogVersion()).isEqualTo(2);
    }

    @Test
    void anUnknownScriptNameEndsTheSessionWithoutRunningAnything() throws Exception {
        write("main.yaml", menu("sales"));
        IvrRepository repo = repository();
        repo.poll();
        ScriptedSession s = new ScriptedSession("nope", "1", "2", "en");
        IvrScriptHandler.byScriptName(repo::current, new IvrInterpreter(InstantSource.fixed(Instant.EPOCH),
                StubLookupClient.none(), IvrMetrics.NONE), (r, x) -> {
                    throw new AssertionError("no result expected");
                }).run(s);
        // Handed back on purpose (the handshake): the dialplan sends the caller to the fallback queue.
        assertThat(s.log()).containsExactly("VERBOSE Hotline: no valid IVR script nope",
                "EXEC MSet HOTLINE_OUTCOME=fallback,HOTLINE_TARGET=no valid IVR script nope,HOTLINE_HANDLED=1");
    }
}
