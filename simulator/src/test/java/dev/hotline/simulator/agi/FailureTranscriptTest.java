package dev.hotline.simulator.agi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.model.CallTrace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the FastAGI probe that was run against a real Asterisk 22.10.1
 * ({@code transcripts/failure/agi-probe-real-asterisk.jsonl}, from asterisk-22-failure-transcripts): the same
 * commands must get the same replies, and the session must end as res_agi ends it (README's facts 1, 2, 4–6).
 */
class FailureTranscriptTest {

    private static final Pattern COMMAND = Pattern.compile("\"cmd\": \"((?:[^\"\\\\]|\\\\.)*)\", \"reply\": \\[\"([^\"]*)\"\\], \"ms\": ([0-9.]+)");
    /** en/welcome played 2400 samples (300 ms) on the real Asterisk. */
    private static final Media PROBE_MEDIA = Media.files(List.of("en/welcome"), Duration.ofMillis(300));

    private record Step(String command, String reply, double ms) {
    }

    @Test
    void everyCommandOfTheRealProbeGetsTheRealReplyAndTheSessionEndsWithFailure() throws Exception {
        List<Step> probe = probe();
        assertThat(probe).hasSize(15);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AsteriskSimulator asterisk = simulator(server.getLocalPort())) {
            server.setSoTimeout(10_000);
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("559000000").build());
            List<String> actual = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            try (Socket session = server.accept()) {
                session.setSoTimeout(10_000);
                BufferedReader in = reader(session.getInputStream());
                skipEnvironment(in);
                OutputStream out = session.getOutputStream();
                for (Step step : probe) {
                    long started = System.nanoTime();
                    send(out, step.command());
                    String reply = in.readLine();
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    expected.add(step.command() + " -> " + mask(step.reply()));
                    actual.add(step.command() + " -> " + mask(reply));
                    if (step.command().contains("nosuchfile")) {
                        // Fact 4: a missing file fails at once (~1 ms on Asterisk), it does not play silence.
                        assertThat(ms).as("%s answered after %d ms", step.command(), ms).isLessThan(1_000);
                    }
                }
                session.shutdownOutput();
                assertThat(in.readLine()).as("after the server's half-close").isEqualTo("HANGUP");
                assertThat(in.readLine()).as("then Asterisk closes").isNull();
            }
            assertThat(actual).containsExactlyElementsOf(expected);
            // Fact 1: the failed STREAM FILE (and GET DATA) made the whole session FAILURE, though it went on.
            assertThat(call.variable("AGISTATUS").get(5, TimeUnit.SECONDS)).contains("FAILURE");
            call.ended().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theServerVanishingInTheMiddleOfASessionGivesSuccess() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AsteriskSimulator asterisk = simulator(server.getLocalPort())) {
            server.setSoTimeout(10_000);
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("558700000").build());
            try (Socket session = server.accept()) {
                BufferedReader in = reader(session.getInputStream());
                skipEnvironment(in);
                send(session.getOutputStream(), "ANSWER");
                assertThat(in.readLine()).isEqualTo("200 result=0");
                send(session.getOutputStream(), "SET MUSIC ON default");
                assertThat(in.readLine()).isEqualTo("200 result=0");
                send(session.getOutputStream(), "WAIT FOR DIGIT 30000");
                session.setSoLinger(true, 0);
            } // closed with a reset while the caller waits: the engine was killed
            call.ended().get(5, TimeUnit.SECONDS);
            CallTrace.Session last = call.trace().lastSession().orElseThrow();
            assertThat(last.agiStatus()).as("fact 2").isEqualTo("SUCCESS");
            assertThat(last.onHoldAtEnd()).as("the caller was left waiting on hold music").isTrue();
            assertThat(call.trace().endedBy()).contains(CallTrace.EndedBy.DIALPLAN);
        }
    }

    @Test
    void aFailedConnectGivesFailure() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (AsteriskSimulator asterisk = simulator(closedPort)) {
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("558800000").build());
            call.ended().get(10, TimeUnit.SECONDS);
            assertThat(call.trace().lastSession().orElseThrow().agiStatus()).isEqualTo("FAILURE");
            assertThat(call.trace().reachedHotline()).isFalse();
        }
    }

    @Test
    void aDigitPressedWhileNoCommandReadsIsLost() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AsteriskSimulator asterisk = simulator(server.getLocalPort())) {
            server.setSoTimeout(10_000);
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("559100000").build());
            try (Socket session = server.accept()) {
                BufferedReader in = reader(session.getInputStream());
                skipEnvironment(in);
                send(session.getOutputStream(), "ANSWER");
                assertThat(in.readLine()).isEqualTo("200 result=0");
                call.pressDigits("5");
                // The digit is delivered on the call's loop; a command queued behind it proves it was handled.
                send(session.getOutputStream(), "CHANNEL STATUS");
                assertThat(in.readLine()).isEqualTo("200 result=6");
                send(session.getOutputStream(), "WAIT FOR DIGIT 100");
                assertThat(in.readLine()).as("fact 5: res_agi dropped the digit between commands")
                        .isEqualTo("200 result=0");
                session.shutdownOutput();
                assertThat(in.readLine()).isEqualTo("HANGUP");
            }
            assertThat(call.variable("AGISTATUS").get(5, TimeUnit.SECONDS)).contains("SUCCESS");
        }
    }

    @Test
    void aMissingFileGivenToTheSimulatorPlays() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             AsteriskSimulator asterisk = AsteriskSimulator.builder().amiPort(-1).threads(1)
                     .media(Media.only(Map.of("nosuchfile", Duration.ofMillis(50))))
                     .context(DialplanContext.inbound("from-pstn",
                             "agi://127.0.0.1:" + server.getLocalPort() + "/main-menu"))
                     .start()) {
            server.setSoTimeout(10_000);
            SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("559200000").build());
            try (Socket session = server.accept()) {
                BufferedReader in = reader(session.getInputStream());
                skipEnvironment(in);
                send(session.getOutputStream(), "STREAM FILE nosuchfile \"\"");
                assertThat(in.readLine()).isEqualTo("200 result=0 endpos=400");
                session.shutdownOutput();
                assertThat(in.readLine()).isEqualTo("HANGUP");
            }
            assertThat(call.variable("AGISTATUS").get(5, TimeUnit.SECONDS)).contains("SUCCESS");
        }
    }

    private static AsteriskSimulator simulator(int agiPort) {
        return AsteriskSimulator.builder().amiPort(-1).threads(1).media(PROBE_MEDIA)
                .context(DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + agiPort + "/main-menu"))
                .start();
    }

    private static List<Step> probe() throws IOException {
        try (InputStream in = FailureTranscriptTest.class.getResourceAsStream(
                "/transcripts/failure/agi-probe-real-asterisk.jsonl")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Step> steps = new ArrayList<>();
            Matcher m = COMMAND.matcher(text);
            while (m.find()) {
                steps.add(new Step(m.group(1).replace("\\\"", "\""), m.group(2), Double.parseDouble(m.group(3))));
            }
            return steps;
        }
    }

    /** The linkedid differs between any two runs. */
    private static String mask(String reply) {
        return reply == null ? null : reply.replaceAll("\\(\\d+\\.\\d+\\)", "(<linkedid>)");
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static void skipEnvironment(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            assertThat(line).startsWith("agi_");
        }
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
