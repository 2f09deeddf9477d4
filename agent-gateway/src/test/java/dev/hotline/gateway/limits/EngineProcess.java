package dev.hotline.gateway.limits;

import dev.hotline.gateway.testing.TestGateway;

import java.nio.file.Path;

/**
 * A child JVM for {@link IdleConnectionsTest}: an engine with its gateway (as {@link TestGateway} starts them), run
 * under whatever open-file limit the test gives the process. Prints {@code agi <port>}, {@code gateway <port>} and
 * the file budget, then runs until its standard input closes.
 */
public final class EngineProcess {

    private EngineProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (TestGateway live = TestGateway.in(Path.of(args[0])).admin("root").start()) {
            System.out.println("agi " + live.engine().agiAddress().getPort());
            System.out.println("gateway " + live.gateway().address().getPort());
            System.out.println("budget " + live.engine().fileBudget().describe());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
        System.exit(0);
    }
}
