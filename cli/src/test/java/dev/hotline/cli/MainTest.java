package dev.hotline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

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

    @Test
    void helpListsTheCommands() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: hotline").contains("config");
    }

    @Test
    void versionPrintsHotlineAndJavaVersions() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("hotline \\d+\\.\\d+\\.\\d+").contains("Java " + Runtime.version().feature());
    }

    @Test
    void configCheckAcceptsAGoodFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, "agi:\n  port: 4600\n");
        Result r = run("config", "check", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("OK").contains(":4600");
    }

    @Test
    void configCheckRejectsABadFileWithExitOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "agi:\n  port: 0\n");
        Result r = run("config", "check", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(f + ":2:9: error: agi.port: 0 (expected: an integer from 1 to 65535)");
    }

    @Test
    void configCheckDefaultsToTheConfigOption(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("other.yaml");
        Files.writeString(f, "agi:\n  colour: red\n");
        Result r = run("--config", f.toString(), "config", "check");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("agi.colour: unknown key");
    }

    @Test
    void unknownCommandIsAnError() {
        Result r = run("frobnicate");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Unmatched argument");
    }
}
