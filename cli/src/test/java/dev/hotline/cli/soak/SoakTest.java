package dev.hotline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * A short soak (≈ 60 s: 35 s of callers and faults, then drain and settle) with every fault, run once through
 * {@code ./hotline soak}; each test checks one field of its last line. The run's detail lines (call ids, agents) are
 * printed to the test's output for whoever reads a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
class SoakTest {

    private static final Pattern LINE = Pattern.compile("soak: calls=(\\d+) dropped=(\\d+) phantom=(\\d+)"
            + " stuck_agents=(\\d+) leaked=(\\d+) records_missing=(\\d+) duplicates=(\\d+)"
            + " watch_repairs=(\\d+)\\s*$");

    private Path dataDir;
    private int exitCode;
    private String output;
    private Matcher line;
    private boolean mariaDb;

    /** The shared test MariaDB (127.0.0.1:3306, root without password), when one runs. */
    private static boolean mariaDbAnswers() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", 3306), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @BeforeAll
    void runTheSoak() throws Exception {
        System.setProperty("hotline.home", "..");
        dataDir = Files.createTempDirectory("hotline-soak-test-");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("soak", "--duration", "35s",
                "--faults", "all", "--rate", "90", "--agents", "8", "--drain", "10s", "--settle", "40s",
                "--phantom-after", "15s", "--every", "5s", "--data-dir", dataDir.toString()));
        mariaDb = mariaDbAnswers();
        if (mariaDb) {
            // slow-db needs a MariaDB server; the records go to a database of their own there, dropped at the end.
            args.addAll(java.util.List.of("--mariadb", "jdbc:mariadb://127.0.0.1:3306"));
        }
        exitCode = cli.execute(args.toArray(String[]::new));
        output = out + err.toString();
        System.out.println(output);
        line = LINE.matcher(output);
        assertThat(line.find()).as("the soak's last line; output:%n%s", output).isTrue();
    }

    @AfterAll
    void removeData() throws Exception {
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private int field(int group) {
        return Integer.parseInt(line.group(group));
    }

    @Test
    void theSoakPlacesCallsInjectsEveryFaultAndExitsNonZeroExactlyWhenItCountedAViolation() {
        assertThat(field(1)).as("calls").isGreaterThan(20);
        for (String fault : new String[] {"asterisk-restart", "ami-cut", "ami-down", "no-answer", "overload"}) {
            assertThat(output).contains("soak: fault " + fault);
        }
        if (mariaDb) {
            assertThat(output).contains("soak: fault slow-db");
        }
        int violations = field(2) + field(3) + field(4) + field(5) + field(6) + field(7);
        assertThat(exitCode).isEqualTo(violations == 0 ? 0 : 1);
    }

    @Test
    void noCallerIsDropped() {
        assertThat(field(2)).as("dropped").isZero();
    }

    @Test
    void noPhantomCall() {
        assertThat(field(3)).as("phantom").isZero();
    }

    @Test
    void noAgentIsStuck() {
        assertThat(field(4)).as("stuck_agents").isZero();
    }

    @Test
    void nothingLeaks() {
        assertThat(field(5)).as("leaked").isZero();
    }

    @Test
    void everyCallThatReachedHotlineHasARecord() {
        assertThat(field(6)).as("records_missing").isZero();
    }

    @Test
    void noCallHasTwoRecords() {
        assertThat(field(7)).as("duplicates").isZero();
    }

    @Test
    void everyCallEndReleasedItsAgentWithoutTheWatch() {
        assertThat(field(8)).as("watch_repairs: agents the invariant watch had to release").isZero();
    }
}
