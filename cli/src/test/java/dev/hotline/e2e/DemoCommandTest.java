package dev.hotline.e2e;

import dev.hotline.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./hotline demo} runs the whole engine against the simulator and ends with a per-queue summary. */
class DemoCommandTest {

    @Test
    void aShortDemoRunsCallsThroughAndExitsZeroWithASummary() {
        System.setProperty("hotline.home", "..");
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new Main());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute("demo", "--duration", "12s", "--rate", "120", "--handle-time", "2s",
                    "--every", "3s", "--seed", "3", "--gateway-port", "0");
            assertThat(code).as("stderr: %s", err).isZero();
            String text = out.toString();
            assertThat(text).contains("Hotline demo: 12 agents, 4 queues");
            assertThat(text).containsPattern("\\[ +\\d+s\\] in IVR \\d+ \\| waiting \\d+");
            assertThat(text).contains("queue       offered  answered");
            assertThat(text).containsPattern("agent desktop, wallboard, admin: http://127\\.0\\.0\\.1:\\d+/");
            // Some calls reached agents through IVR, queue and redirect: a queue row with answered >= 1.
            assertThat(text).containsPattern("(?m)^(sales|support|billing|operator) +\\d+ +[1-9]\\d* ");
        } finally {
            System.clearProperty("hotline.home");
        }
    }
}
