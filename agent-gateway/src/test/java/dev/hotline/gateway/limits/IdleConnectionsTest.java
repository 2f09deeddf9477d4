package dev.hotline.gateway.limits;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls first: an engine whose process may open {@value #FILE_LIMIT} files (a child JVM under {@code ulimit -n}) gets
 * thousands of idle connections to its gateway — connected, nothing sent — and must still serve a FastAGI session
 * within a second. Without the gateway's cap (computed from the open-file limit minus FastAGI's sessions and a
 * reserve) the idle sockets take every file descriptor and FastAGI's accept fails with "Too many open files".
 * {@code -Dhotline.test.idleConnections=N} changes the number of idle connections (default 5,000).
 */
@Tag("slow")
class IdleConnectionsTest {

    static final int FILE_LIMIT = 4096;
    static final int IDLE = Integer.getInteger("hotline.test.idleConnections", 5_000);

    @TempDir
    Path dir;
    Process child;
    final List<Socket> idle = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : idle) {
            s.close();
        }
        if (child != null) {
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void thousandsOfIdleGatewayConnectionsDoNotStopAFastAgiSessionFromBeingServedWithinOneSecond() throws Exception {
        Path out = dir.resolve("engine.out");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "ulimit -n " + FILE_LIMIT + " && exec \"$@\"", "sh",
                java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("..", "config", "logback-test.xml").toAbsolutePath(),
                EngineProcess.class.getName(), dir.resolve("engine").toString());
        pb.redirectOutput(out.toFile());
        pb.redirectError(dir.resolve("engine.err").toFile());
        child = pb.start();
        int agiPort = Integer.parseInt(await(out, "agi "));
        int gatewayPort = Integer.parseInt(await(out, "gateway "));
        System.out.println("engine under ulimit -n " + FILE_LIMIT + ": " + await(out, "budget "));

        // A first session before the flood: the code path is loaded and compiled, so the second one measures the
        // flood's effect and not the JVM's warm-up.
        Duration cold = diag(agiPort);
        for (int i = 0; i < IDLE; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", gatewayPort), 5_000);
            idle.add(s);
        }
        Duration served = diag(agiPort);
        System.out.println("FastAGI session served " + served.toMillis() + " ms after connecting with " + IDLE
                + " idle gateway connections (" + cold.toMillis() + " ms before them, cold)");
        assertThat(served).as("connect to first command, %d idle gateway connections", IDLE)
                .isLessThan(Duration.ofSeconds(1));
    }

    /** Runs the built-in diag script as Asterisk would; how long from connecting until its first command arrived. */
    private static Duration diag(int agiPort) throws Exception {
        long start = System.nanoTime();
        try (Socket asterisk = new Socket()) {
            asterisk.connect(new InetSocketAddress("127.0.0.1", agiPort), 5_000);
            asterisk.setSoTimeout(10_000);
            OutputStream w = asterisk.getOutputStream();
            w.write(("agi_network: yes\nagi_network_script: diag\nagi_request: agi://127.0.0.1/diag\n"
                    + "agi_channel: PJSIP/trunk-00000001\nagi_uniqueid: 1700000000.1\n\n")
                    .getBytes(StandardCharsets.US_ASCII));
            w.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(asterisk.getInputStream(),
                    StandardCharsets.US_ASCII));
            String first = in.readLine();
            Duration served = Duration.ofNanos(System.nanoTime() - start);
            assertThat(first).as("the diag script's first command").isEqualTo("GET VARIABLE HOTLINE_DIAG");
            // ... and the session runs to its end.
            List<String> commands = new ArrayList<>();
            for (String line = first; line != null; line = in.readLine()) {
                w.write((line.startsWith("GET VARIABLE") ? "200 result=0\n" : "200 result=1\n")
                        .getBytes(StandardCharsets.US_ASCII));
                w.flush();
                commands.add(line);
            }
            assertThat(commands).contains("SET VARIABLE HOTLINE_DIAG OK");
            return served;
        }
    }

    /** The rest of the child's first output line starting with {@code prefix}, within 60 s. */
    private String await(Path out, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            Optional<String> line = lines.stream().filter(l -> l.startsWith(prefix)).findFirst();
            if (line.isPresent()) {
                return line.get().substring(prefix.length());
            }
            if (!child.isAlive()) {
                throw new AssertionError("the engine ended (" + child.exitValue() + "): "
                        + Files.readString(dir.resolve("engine.err")));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the engine did not print '" + prefix + "' within 60 s");
    }
}
