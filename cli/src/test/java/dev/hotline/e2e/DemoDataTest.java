package dev.hotline.e2e;

import dev.hotline.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo keeps its data in its own folder, says so, and its closing hint reads that folder. */
@Tag("slow")
class DemoDataTest {

    private static final Pattern HINT = Pattern.compile("see them with: \\./hotline (report --data-dir (\\S+) .+?)\\)");

    @Test
    void theDemoSaysWhereItsDataIsAndItsClosingHintReportsOnIt() throws Exception {
        String out;
        try (RunningDemo demo = RunningDemo.start("--duration", "8s", "--rate", "120", "--handle-time", "2s",
                "--every", "4s", "--seed", "5", "--gateway-port", "0")) {
            assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("stderr: %s", demo.errors()).isZero();
            out = demo.output();
            assertThat(out).contains("demo data: " + demo.dataDir().toAbsolutePath().normalize()
                    + " (its own folder: ./hotline run never reads it)");
            Matcher hint = HINT.matcher(out);
            assertThat(hint.find()).as(out).isTrue();
            assertThat(hint.group(2)).isEqualTo(demo.dataDir().toAbsolutePath().normalize().toString());

            // The printed command, as a user would paste it (same home: the repository).
            CommandLine cli = new CommandLine(new Main());
            StringWriter report = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(report, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(hint.group(1).split(" "));
            assertThat(err.toString()).isEmpty();
            assertThat(code).isZero();
            // The demo's calls are there: a row of all queues ('*') with calls offered.
            assertThat(report.toString()).containsPattern("(?m)^\\S+ \\S+ +\\* +[1-9]\\d* ");
        }
    }
}
