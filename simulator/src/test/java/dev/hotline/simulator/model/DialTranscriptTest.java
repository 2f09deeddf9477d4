package dev.hotline.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.testing.AmiTestClient;
import dev.hotline.simulator.testing.AmiTestClient.Message;
import dev.hotline.simulator.testing.AmiTranscript;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code EXEC Dial} from a test FastAGI server, with an AMI client logged in: DIALSTATUS, Dial's result, and the
 * DialBegin/DialEnd/BridgeEnter/BridgeLeave/Hangup events compared field by field with recording 07.
 */
class DialTranscriptTest {

    private static final List<Message> RECORDED_07 =
            AmiTranscript.received("/transcripts/ami/07_originate_into_queue_support.txt");

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
                .context(DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + agi.getLocalPort() + "/main-menu"))
                .endpoint("PJSIP/1001").endpoint("PJSIP/1002", EndpointBehaviour.DEFAULT, false)
                .start();
        ami = new AmiTestClient(asterisk.amiPort());
        ami.readLine();
        ami.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: l");
        ami.readReply("l");
        asterisk.placeCall("from-pstn", CallerScript.calling("5551234").build());
        session = agi.accept();
        session.setSoTimeout(5_000);
        in = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
        while (!in.readLine().isEmpty()) {
            // the environment
        }
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        ami.close();
        asterisk.close();
        agi.close();
    }

    @Test
    void answeredWithGTheCallerGoesOnAfterTheAgentHangsUpAndEventsHaveTheRecordedFields() throws Exception {
        asterisk.endpoint("PJSIP/1001").answerNext(Duration.ofSeconds(2), Duration.ofSeconds(10));
        int timers = clock.pendingTimers();
        send("EXEC Dial PJSIP/1001,20,g");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(10));
        assertThat(in.readLine()).isEqualTo("200 result=0");
        send("GET VARIABLE DIALSTATUS");
        assertThat(in.readLine()).isEqualTo("200 result=1 (ANSWER)");
        send("CHANNEL STATUS");
        assertThat(in.readLine()).as("the caller is still up").isEqualTo("200 result=6");

        List<Message> events = eventsUntil("Hangup");
        List<String> names = events.stream().map(e -> e.get("Event")).toList();
        assertThat(names).containsSubsequence("DialBegin", "DialEnd", "BridgeEnter", "BridgeEnter", "BridgeLeave",
                "BridgeLeave", "Hangup");
        String agent = events.stream().filter(e -> "DialBegin".equals(e.get("Event"))).findFirst().orElseThrow()
                .get("DestChannel");
        assertThat(agent).matches("PJSIP/1001-[0-9a-f]{8}");
        for (Message event : events) {
            String name = event.get("Event");
            if (List.of("DialBegin", "DialEnd", "BridgeEnter", "BridgeLeave", "Hangup").contains(name)) {
                assertThat(event.keys()).as(name).isEqualTo(recordedWithCallerAndDest(name).keys());
            }
        }
        Message dialEnd = events.get(names.indexOf("DialEnd"));
        assertThat(dialEnd.get("DialStatus")).isEqualTo("ANSWER");
        assertThat(dialEnd.get("Linkedid")).isEqualTo(dialEnd.get("DestLinkedid"));
        Message agentHangup = events.stream().filter(e -> "Hangup".equals(e.get("Event")))
                .filter(e -> agent.equals(e.get("Channel"))).findFirst().orElseThrow();
        assertThat(agentHangup.get("Cause")).isEqualTo("16");
        assertThat(agentHangup.get("Cause-txt")).isEqualTo("Normal Clearing");
    }

    @Test
    void noAnswerAfterTheTimeout() throws Exception {
        asterisk.endpoint("PJSIP/1001").ignoreNext();
        int timers = clock.pendingTimers();
        send("EXEC Dial PJSIP/1001,20");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(19_999));
        send("GET VARIABLE DIALSTATUS");
        clock.advance(Duration.ofMillis(1));
        assertThat(in.readLine()).isEqualTo("200 result=0");
        assertThat(in.readLine()).as("the queued command runs after Dial").isEqualTo("200 result=1 (NOANSWER)");
        Message dialEnd = eventsUntil("DialEnd").getLast();
        assertThat(dialEnd.get("DialStatus")).isEqualTo("NOANSWER");
        assertThat(dialEnd.keys()).isEqualTo(recordedWithCallerAndDest("DialEnd").keys());
    }

    @Test
    void chanunavailForAnUnregisteredEndpointAndBusyForAnEndpointInUse() throws Exception {
        send("EXEC Dial PJSIP/1002,20");
        assertThat(in.readLine()).isEqualTo("200 result=0");
        send("GET VARIABLE DIALSTATUS");
        assertThat(in.readLine()).isEqualTo("200 result=1 (CHANUNAVAIL)");

        asterisk.endpoint("PJSIP/1001").ignoreNext();
        asterisk.endpoint("PJSIP/1001").reserve(new java.util.SplittableRandom(1)).orElseThrow();
        send("EXEC Dial PJSIP/1001,20");
        assertThat(in.readLine()).isEqualTo("200 result=0");
        send("GET VARIABLE DIALSTATUS");
        assertThat(in.readLine()).isEqualTo("200 result=1 (BUSY)");
    }

    /** The first recorded event of that name that has both a caller and a Dest channel (or a Channel for bridges). */
    private static Message recordedWithCallerAndDest(String name) {
        return RECORDED_07.stream().filter(m -> name.equals(m.get("Event")))
                .filter(m -> !name.startsWith("Dial") || m.get("Channel") != null)
                .findFirst().orElseThrow();
    }

    private List<Message> eventsUntil(String last) throws Exception {
        List<Message> events = new ArrayList<>();
        while (true) {
            Message event = ami.read();
            assertThat(event).as("waiting for %s", last).isNotNull();
            events.add(event);
            if (last.equals(event.get("Event"))) {
                return events;
            }
        }
    }

    private void send(String line) throws Exception {
        session.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        session.getOutputStream().flush();
    }
}
