package dev.hotline.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.testing.AmiTestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code EXEC Dial} from the FastAGI session of an AMI-originated channel (how Hotline's callbacks reach the
 * customer): Dial's timeout ends the ring of a phone that never answers, long before the originated channel's
 * own call ends.
 */
class OriginatedDialTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:24:40Z"));
    private ServerSocket agi;
    private AsteriskSimulator asterisk;
    private AmiTestClient ami;
    private Socket session;
    private BufferedReader in;

    @BeforeEach
    void start() throws Exception {
        agi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        agi.setSoTimeout(5_000);
        asterisk = AsteriskSimulator.builder().clock(clock).threads(1)
                .media(new Media(Map.of("digits/6", Duration.ofMillis(300)), Optional.of(Duration.ofMillis(50))))
                .context(DialplanContext.redirectTarget("cb", "agi://127.0.0.1:" + agi.getLocalPort()
                        + "/callback?id=${EXTEN}"))
                .endpoint("PJSIP/1001").endpoint("PJSIP/0612345678")
                .start();
        ami = new AmiTestClient(asterisk.amiPort());
        ami.readLine();
        ami.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: l");
        ami.readReply("l");
        asterisk.endpoint("PJSIP/1001").answerNext(Duration.ofMillis(150), Duration.ofSeconds(60));
        int timers = clock.pendingTimers();
        ami.send("Action: Originate", "ActionID: o", "Channel: PJSIP/1001", "Context: cb", "Exten: cb42",
                "Priority: 1", "Timeout: 20000", "Async: true");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(150));
        session = agi.accept();
        session.setSoTimeout(5_000);
        in = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
        String line;
        boolean sawId = false;
        while (!(line = in.readLine()).isEmpty()) {
            sawId |= line.equals("agi_network_script: callback?id=cb42");
        }
        assertThat(sawId).as("the AGI URL carries the extension").isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        ami.close();
        asterisk.close();
        agi.close();
    }

    @Test
    void aCustomerWhoNeverAnswersEndsTheDialAfterItsTimeoutWithNoanswer() throws Exception {
        asterisk.endpoint("PJSIP/0612345678").ignoreNext();
        int timers = clock.pendingTimers();
        send("EXEC Dial \"PJSIP/0612345678,1,g\"");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(999));
        send("GET VARIABLE DIALSTATUS");
        clock.advance(Duration.ofMillis(1));
        assertThat(in.readLine()).isEqualTo("200 result=0");
        assertThat(in.readLine()).isEqualTo("200 result=1 (NOANSWER)");
        send("CHANNEL STATUS");
        assertThat(in.readLine()).as("the originated channel is still up").isEqualTo("200 result=6");
    }

    @Test
    void sayDigitsTakesTheLengthOfEachDigitFileSoAWhisperedNumberLeavesTimeToRing() throws Exception {
        // digits/6 lasts 300 ms, every other file 50 ms: 50 + 300 + 50 + 50.
        int timers = clock.pendingTimers();
        send("SAY DIGITS 0612 \"\"");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(449));
        assertThat(clock.pendingTimers()).as("still playing after 449 ms").isGreaterThan(timers);
        clock.advance(Duration.ofMillis(1));
        assertThat(in.readLine()).as("SAY DIGITS has no endpos, as in res_agi").isEqualTo("200 result=0");
    }

    private void send(String line) throws Exception {
        session.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        session.getOutputStream().flush();
    }
}
