package dev.hotline.simulator.dialplan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.model.CallTrace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulated {@code from-pstn} of docker/asterisk/extensions.conf after AGI, driven by a scripted FastAGI server:
 * the two failures recorded on a real Asterisk (asterisk-22-failure-transcripts) and the marker handshake that
 * avoids them.
 */
class HotlineDialplanTest {

    private static final Media MEDIA = Media.files(List.of("en/main-menu"), Duration.ofMillis(100));

    @Test
    void shippedDialplanSendsACallerServedPastAMissingPromptToTheFallbackQueue() throws Exception {
        try (ServerSocket server = server(); AsteriskSimulator asterisk = simulator(server, Handshake.shipped())) {
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("555100000").build());
            try (Agi agi = new Agi(server.accept())) {
                agi.expect("ANSWER", "200 result=0");
                agi.expect("STREAM FILE en/welcome \"\"", "200 result=-1 endpos=0");
                agi.expect("STREAM FILE en/main-menu \"\"", "200 result=0 endpos=800");
                agi.expect("SET VARIABLE HOTLINE_HANDLED 1", "200 result=1");
                agi.halfClose();
            }
            awaitRoute(call, "fallback");
            assertThat(call.trace().lastSession().orElseThrow().agiStatus()).isEqualTo("FAILURE");
            call.hangUp();
            assertThat(call.ended().get(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(call.trace().endedBy()).contains(CallTrace.EndedBy.CALLER);
        }
    }

    @Test
    void shippedDialplanHangsUpAWaitingCallerWhenTheEngineDies() throws Exception {
        try (ServerSocket server = server(); AsteriskSimulator asterisk = simulator(server, Handshake.shipped())) {
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("558700000").build());
            try (Agi agi = new Agi(server.accept())) {
                agi.expect("SET MUSIC ON default", "200 result=0");
                agi.send("WAIT FOR DIGIT 30000");
                agi.reset();
            }
            call.ended().get(5, TimeUnit.SECONDS);
            assertThat(call.trace().routes()).containsExactly("hangup");
            assertThat(call.trace().endedBy()).contains(CallTrace.EndedBy.DIALPLAN);
            assertThat(call.trace().lastSession().orElseThrow().onHoldAtEnd()).isTrue();
        }
    }

    @Test
    void markerHandshakeResumesTheLostCallerAndHonoursTheMarkerDespiteAFailedPrompt() throws Exception {
        try (ServerSocket server = server();
             AsteriskSimulator asterisk = simulator(server, Handshake.marker("HOTLINE_HANDLED",
                     Optional.of("agi://127.0.0.1:" + server.getLocalPort() + "/resume?call=${EXTEN}")))) {
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("558700001").build());
            try (Agi agi = new Agi(server.accept())) {
                agi.expect("SET MUSIC ON default", "200 result=0");
                agi.send("WAIT FOR DIGIT 30000");
                agi.reset();
            }
            try (Agi resumed = new Agi(server.accept())) {
                assertThat(resumed.environment).contains("agi_network_script: resume?call=558700001");
                resumed.expect("STREAM FILE en/sorry \"\"", "200 result=-1 endpos=0");
                resumed.expect("SET VARIABLE HOTLINE_OUTCOME voicemail", "200 result=1");
                resumed.expect("SET VARIABLE HOTLINE_TARGET sales", "200 result=1");
                resumed.expect("SET VARIABLE HOTLINE_HANDLED 1", "200 result=1");
                resumed.halfClose();
            }
            awaitRoute(call, "voicemail:sales@hotline");
            assertThat(call.trace().routes()).containsExactly("resume", "voicemail:sales@hotline");
            assertThat(call.trace().sessions()).extracting(CallTrace.Session::agiStatus)
                    .containsExactly("SUCCESS", "FAILURE");
        }
    }

    @Test
    void markerHandshakeFallsBackWhenTheResumeCannotConnect() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        try (ServerSocket server = server();
             AsteriskSimulator asterisk = simulator(server, Handshake.marker("HOTLINE_HANDLED",
                     Optional.of("agi://127.0.0.1:" + closed + "/resume")))) {
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("558800000").build());
            try (Agi agi = new Agi(server.accept())) {
                agi.expect("ANSWER", "200 result=0");
                agi.reset();
            }
            awaitRoute(call, "fallback");
            assertThat(call.trace().routes()).containsExactly("resume", "fallback");
            call.hangUp();
            call.ended().get(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitRoute(SimulatedCall call, String route) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!call.trace().routes().contains(route) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(call.trace().routes()).contains(route);
    }

    private static ServerSocket server() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
        return server;
    }

    private static AsteriskSimulator simulator(ServerSocket server, Handshake handshake) {
        return AsteriskSimulator.builder().amiPort(-1).threads(1).media(MEDIA).handshake(handshake)
                .context(DialplanContext.inbound("from-pstn",
                        "agi://127.0.0.1:" + server.getLocalPort() + "/main-menu?server=pbx1")
                        .then(DialplanContext.AfterAgi.HOTLINE_MAIN))
                .start();
    }

    /** The server's side of one FastAGI session. */
    private static final class Agi implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final String environment;

        Agi(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder env = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                env.append(line).append('\n');
            }
            this.environment = env.toString();
        }

        void send(String command) throws IOException {
            socket.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }

        void expect(String command, String reply) throws IOException {
            send(command);
            assertThat(in.readLine()).as(command).isEqualTo(reply);
        }

        void halfClose() throws IOException {
            socket.shutdownOutput();
            assertThat(in.readLine()).isEqualTo("HANGUP");
        }

        /** The engine is killed: the socket goes away with a reset. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
