package dev.hotline.simulator.dialplan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.testing.AmiTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMI Redirect of a channel blocked in FastAGI, as recorded on Asterisk 22 (redirect transcripts 01 and 05). */
class RedirectTest {

    @Test
    void redirectEndsTheCommandWithMinusOneThenStartsTheTargetSessionOnlyAfterTheServerCloses() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T13:01:56Z"));
        try (ServerSocket agi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            agi.setSoTimeout(5_000);
            String base = "agi://127.0.0.1:" + agi.getLocalPort() + "/";
            try (AsteriskSimulator asterisk = AsteriskSimulator.builder().clock(clock).threads(1)
                    .context(DialplanContext.inbound("from-pstn", base + "main-menu"))
                    .context(DialplanContext.redirectTarget("hotline-connect", base + "connect?call=${EXTEN}"))
                    .start();
                 AmiTestClient ami = new AmiTestClient(asterisk.amiPort())) {
                ami.readLine();
                ami.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: l");
                ami.readReply("l");
                SimulatedCall call = asterisk.placeCall("from-pstn", CallerScript.calling("5551234").build());
                try (Socket first = agi.accept()) {
                    first.setSoTimeout(5_000);
                    BufferedReader in1 = reader(first);
                    Map<String, String> env1 = environment(in1);
                    send(first, "WAIT FOR DIGIT 30000\n");
                    clock.awaitPendingTimersAbove(0, Duration.ofSeconds(5));

                    redirect(ami, call.channelName(), "12345", "redir-1");
                    assertThat(ami.readReply("redir-1").get("Message")).isEqualTo("Redirect successful");
                    assertThat(in1.readLine()).isEqualTo("200 result=-1");
                    assertThat(in1.readLine()).isEqualTo("HANGUP");
                    send(first, "CHANNEL STATUS\n");
                    assertThat(in1.readLine())
                            .isEqualTo("511 Command Not Permitted on a dead channel or intercept routine");
                    send(first, "GET FULL VARIABLE ${CONTEXT},${EXTEN},${PRIORITY}\n");
                    assertThat(in1.readLine()).isEqualTo("200 result=1 (hotline-connect,12345,1)");
                    send(first, "GET VARIABLE AGISTATUS\n");
                    assertThat(in1.readLine()).isEqualTo("200 result=0");

                    redirect(ami, call.channelName(), "99999", "redir2-1");
                    assertThat(ami.readReply("redir2-1").asMap()).containsEntry("Response", "Error")
                            .containsEntry("Message", "Redirect failed, channel not up.");

                    first.shutdownOutput();
                    assertThat(in1.readLine()).isEqualTo("HANGUP");
                    assertThat(in1.readLine()).isNull();

                    try (Socket second = agi.accept()) {
                        second.setSoTimeout(5_000);
                        BufferedReader in2 = reader(second);
                        Map<String, String> env2 = environment(in2);
                        assertThat(env2).containsEntry("agi_network_script", "connect?call=12345")
                                .containsEntry("agi_context", "hotline-connect")
                                .containsEntry("agi_extension", "12345")
                                .containsEntry("agi_priority", "1")
                                .containsEntry("agi_uniqueid", env1.get("agi_uniqueid"))
                                .containsEntry("agi_channel", env1.get("agi_channel"))
                                .containsEntry("agi_threadid", env1.get("agi_threadid"));
                        send(second, "GET VARIABLE AGISTATUS\n");
                        assertThat(in2.readLine()).isEqualTo("200 result=1 (HANGUP)");
                        send(second, "CHANNEL STATUS\n");
                        assertThat(in2.readLine()).isEqualTo("200 result=6");
                    }
                }
            }
        }
    }

    private static void redirect(AmiTestClient ami, String channel, String exten, String id) throws Exception {
        ami.send("Action: Redirect", "ActionID: " + id, "Channel: " + channel, "Context: hotline-connect",
                "Exten: " + exten, "Priority: 1");
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String line) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Map<String, String> environment(BufferedReader in) throws Exception {
        Map<String, String> env = new HashMap<>();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(": ");
            env.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return env;
    }
}
