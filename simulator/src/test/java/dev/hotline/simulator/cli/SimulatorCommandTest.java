package dev.hotline.simulator.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorCommandTest {

    @Test
    void theConnectScriptKeepsItsExtenPlaceholderForTheDialplan() {
        // picocli expands ${...} in default values; the dialplan's ${EXTEN} must reach the simulator as it is, or
        // every redirected caller runs connect?call=null and the engine answers "unknown call 'null'".
        SimulatorCommand command = new SimulatorCommand();
        new CommandLine(command).parseArgs();
        assertThat(command.connectScript).isEqualTo("connect?call=${EXTEN}");
    }

    @Test
    void theDefaultHandshakeIsTheShippedDialplansResumingAtTheCallsLinkedid() {
        SimulatorCommand command = new SimulatorCommand();
        new CommandLine(command).parseArgs();
        var h = command.handshake("agi://127.0.0.1:4573/");
        assertThat(h.mode()).isEqualTo(dev.hotline.simulator.dialplan.Handshake.Mode.MARKER);
        assertThat(h.resumeUrl()).contains("agi://127.0.0.1:4573/resume?call=${CHANNEL(linkedid)}");
        assertThat(h.rounds()).isEqualTo(15);

        SimulatorCommand old = new SimulatorCommand();
        new CommandLine(old).parseArgs("--handshake", "agistatus");
        assertThat(old.handshake("agi://127.0.0.1:4573/").mode())
                .isEqualTo(dev.hotline.simulator.dialplan.Handshake.Mode.AGISTATUS);
    }
}
