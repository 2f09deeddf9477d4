package dev.hotline.simulator.recording;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.testing.AmiTestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MixMonitor as Hotline drives it: {@code EXEC MixMonitor} over AGI, the {@code MixMonitor}, {@code MixMonitorMute}
 * and {@code StopMixMonitor} AMI actions (with Asterisk 22's error answers), each leaving a WAV file in the
 * recordings folder.
 */
class MixMonitorAmiTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:00:00Z"));
    @TempDir
    Path dir;
    private ServerSocket agi;
    private AsteriskSimulator asterisk;
    private AmiTestClient ami;
    private Socket caller;
    private BufferedReader in;
    private String channel;

    @BeforeEach
    void start() throws Exception {
        agi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        agi.setSoTimeout(5_000);
        asterisk = AsteriskSimulator.builder().clock(clock).threads(1).recordings(dir)
                .context(DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + agi.getLocalPort() + "/main"))
                .start();
        ami = new AmiTestClient(asterisk.amiPort());
        ami.readLine();
        ami.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: l");
        ami.readReply("l");
        asterisk.placeCall("from-pstn", CallerScript.calling("5551234").build());
        caller = agi.accept();
        caller.setSoTimeout(5_000);
        in = new BufferedReader(new InputStreamReader(caller.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (line.startsWith("agi_channel: ")) {
                channel = line.substring("agi_channel: ".length());
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        caller.close();
        ami.close();
        asterisk.close();
        agi.close();
    }

    private String agi(String command) throws Exception {
        caller.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        caller.getOutputStream().flush();
        return in.readLine();
    }

    private AmiTestClient.Message action(String id, String... lines) throws Exception {
        String[] all = new String[lines.length + 1];
        System.arraycopy(lines, 0, all, 0, lines.length);
        all[lines.length] = "ActionID: " + id;
        ami.send(all);
        return ami.readReply(id);
    }

    @Test
    void execMixMonitorOverAgiWritesTheFileWhenTheCallerHangsUp() throws Exception {
        assertThat(agi("EXEC MixMonitor hotline/2026/11/23/c1-1001.wav,b")).isEqualTo("200 result=0");
        clock.advance(Duration.ofSeconds(3));
        assertThat(agi("HANGUP")).startsWith("200 result=1");
        caller.close();   // the script ends: the channel goes, and its recording is closed
        assertThat(MixMonitorRecorderTest.awaitFile(dir.resolve("hotline/2026/11/23/c1-1001.wav")))
                .hasSize(44 + 3 * 8000 * 2);
    }

    @Test
    void theAmiActionsStartMuteAndStopARecording() throws Exception {
        assertThat(action("m1", "Action: MixMonitor", "Channel: " + channel, "File: hotline/ami.wav", "Options: b")
                .get("Response")).isEqualTo("Success");
        clock.advance(Duration.ofSeconds(1));
        assertThat(action("m2", "Action: MixMonitorMute", "Channel: " + channel, "Direction: both", "State: 1")
                .get("Response")).isEqualTo("Success");
        clock.advance(Duration.ofSeconds(1));
        assertThat(action("m3", "Action: MixMonitorMute", "Channel: " + channel, "Direction: both", "State: 0")
                .get("Response")).isEqualTo("Success");
        AmiTestClient.Message noDirection = action("m4", "Action: MixMonitorMute", "Channel: " + channel);
        assertThat(noDirection.get("Response")).isEqualTo("Error");
        assertThat(noDirection.get("Message")).isEqualTo("No direction specified. Must be read, write or both");
        assertThat(action("m5", "Action: StopMixMonitor", "Channel: PJSIP/nobody").get("Message"))
                .isEqualTo("No such channel");
        assertThat(action("m6", "Action: StopMixMonitor", "Channel: " + channel).get("Response")).isEqualTo("Success");
        assertThat(action("m7", "Action: StopMixMonitor", "Channel: " + channel).get("Message"))
                .isEqualTo("Could not stop monitoring channel");
        byte[] wav = MixMonitorRecorderTest.awaitFile(dir.resolve("hotline/ami.wav"));
        assertThat(wav).hasSize(44 + 2 * 8000 * 2);
        assertThat(MixMonitorRecorderTest.le(wav).getShort(44 + 2 * (8000 + 100))).as("muted second").isZero();
    }
}
