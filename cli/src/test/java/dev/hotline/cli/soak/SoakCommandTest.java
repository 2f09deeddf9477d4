package dev.hotline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options are refused before anything starts, with exit code 2 and the option named. */
class SoakCommandTest {

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return new Result(cli.execute(args), err.toString());
    }

    @Test
    void anUnknownFaultIsNamedWithTheKnownOnes() {
        Result r = run("soak", "--faults", "ami-cut,meteor");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--faults: unknown fault 'meteor'").contains("asterisk-restart")
                .contains("dtmf-lost");
    }

    @Test
    void slowDbAskedForByNameNeedsAMariaDbServer() {
        Result r = run("soak", "--faults", "slow-db");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("slow-db needs --mariadb");
        assertThat(run("soak", "--faults", "slow-db", "--mariadb", "mysql://x").err())
                .contains("--mariadb: 'mysql://x'");
    }

    @Test
    void badDurationsRatesAndHandshakesAreRefused() {
        assertThat(run("soak", "--duration", "0s").err()).contains("--duration: '0s'");
        assertThat(run("soak", "--duration", "soon").code()).isEqualTo(2);
        assertThat(run("soak", "--rate", "-1").err()).contains("--rate: -1.0");
        assertThat(run("soak", "--handshake", "wave").err()).contains("--handshake: 'wave'");
    }

    @Test
    void theDefaultHandshakeIsTheShippedDialplansMarkerAndAgistatusIsTheOldOne() {
        SoakCommand defaults = new SoakCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.settings().handshake()).as("the demo's hotline-return, resuming at the engine").isEmpty();
        SoakCommand old = new SoakCommand();
        new CommandLine(old).parseArgs("--handshake", "agistatus");
        assertThat(old.settings().handshake()).hasValueSatisfying(h -> assertThat(h.mode())
                .isEqualTo(dev.hotline.simulator.dialplan.Handshake.Mode.AGISTATUS));
    }
}
