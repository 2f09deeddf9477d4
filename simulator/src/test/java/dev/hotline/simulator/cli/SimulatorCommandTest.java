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
}
