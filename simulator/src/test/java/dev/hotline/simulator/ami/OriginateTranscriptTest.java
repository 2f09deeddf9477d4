package dev.hotline.simulator.ami;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
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
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AMI Originate compared with the recorded Asterisk 22 sessions 01 (async, answered) and 08 (sync, failed). */
class OriginateTranscriptTest {

    private static final List<Message> RECORDED_01 =
            AmiTranscript.received("/transcripts/ami/01_originate_fastagi_normal.txt");
    private static final List<Message> RECORDED_08 =
            AmiTranscript.received("/transcripts/ami/08_ami_queue_management_actions.txt");
    /** Values that differ per call: ids, channel sequence numbers, times. */
    private static final Set<String> PER_CALL = Set.of("Channel", "DestChannel", "Uniqueid", "Linkedid",
            "DestUniqueid", "DestLinkedid", "LocalOneChannel", "LocalTwoChannel", "LocalOneUniqueid",
            "LocalTwoUniqueid", "LocalOneLinkedid", "LocalTwoLinkedid");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:21:46Z"));
    private ServerSocket agi;
    private AsteriskSimulator asterisk;

    @BeforeEach
    void start() throws Exception {
        agi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        agi.setSoTimeout(5_000);
        asterisk = AsteriskSimulator.builder().clock(clock).threads(1)
                .context(DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + agi.getLocalPort() + "/main-menu"))
                .start();
    }

    @AfterEach
    void stop() throws Exception {
        asterisk.close();
        agi.close();
    }

    @Test
    void asyncOriginateOfALocalChannelGivesTheRecordedEventsFieldsAndOrder() throws Exception {
        try (AmiTestClient ami = loggedIn()) {
            ami.send("Action: Originate", "ActionID: orig-1", "Channel: Local/5551234@from-pstn",
                    "Application: Wait", "Data: 5", "CallerID: \"PSTN Caller\" <0612345678>", "Async: true");
            Message reply = ami.read();
            assertThat(reply).isEqualTo(AmiTranscript.find(RECORDED_01, "orig-1", null));
            // OriginateResponse may come before Newchannel (README of the transcripts, scenario 09): only its place
            // after the Response is fixed.

            try (Socket session = agi.accept()) {
                session.setSoTimeout(5_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(),
                        StandardCharsets.UTF_8));
                while (!in.readLine().isEmpty()) {
                    // the environment
                }
                session.shutdownOutput();
                assertThat(in.readLine()).isEqualTo("HANGUP");
                assertThat(in.readLine()).isNull();
            }
            List<Message> events = new ArrayList<>();
            int hangups = 0;
            while (hangups < 2) {
                Message event = ami.read();
                assertThat(event).as("events so far: %s", names(events)).isNotNull();
                events.add(event);
                if ("Hangup".equals(event.get("Event"))) {
                    hangups++;
                }
            }
            assertThat(names(events)).as("the simulator's events for the call")
                    .containsSubsequence("Newchannel;1", "Newchannel;2", "DialBegin", "Newstate;2", "Newstate;1",
                            "DialEnd", "Hangup;2", "Hangup;1")
                    .contains("OriginateResponse;1");
            assertThat(names(recordedCall())).as("the recording, in its order, restricted to those events")
                    .filteredOn(n -> names(events).contains(n) && !n.startsWith("OriginateResponse"))
                    .containsExactlyElementsOf(names(events).stream()
                            .filter(n -> !n.startsWith("OriginateResponse")).toList());
            String one = events.getFirst().get("Uniqueid");
            for (Message event : events) {
                Message recorded = recordedCall().stream()
                        .filter(r -> names(List.of(r)).equals(names(List.of(event)))).findFirst().orElseThrow();
                assertThat(event.keys()).as("%s keys", names(List.of(event))).isEqualTo(recorded.keys());
                for (String key : event.keys()) {
                    if (PER_CALL.contains(key) || key.equals("Priority") || key.equals("Exten")) {
                        continue;
                    }
                    assertThat(event.get(key)).as("%s %s", names(List.of(event)), key).isEqualTo(recorded.get(key));
                }
                String channel = event.get("Channel") != null ? event.get("Channel") : event.get("DestChannel");
                assertThat(channel).matches("Local/5551234@from-pstn-[0-9a-f]{8};[12]");
                String linkedid = event.get("Linkedid") != null ? event.get("Linkedid") : event.get("DestLinkedid");
                if (linkedid != null) {
                    assertThat(linkedid).as("Linkedid is the ;1 half's Uniqueid").isEqualTo(one);
                }
            }
            assertThat(events.get(1).get("Uniqueid")).as("the ;2 half has its own id").isNotEqualTo(one)
                    .matches("\\d+\\.\\d+");
        }
    }

    @Test
    void failedSyncOriginateAnswersOriginateFailed() throws Exception {
        try (AmiTestClient ami = loggedIn()) {
            Message recorded = RECORDED_08.stream().filter(m -> "Originate failed".equals(m.get("Message")))
                    .findFirst().orElseThrow();
            ami.send("Action: Originate", "ActionID: " + recorded.get("ActionID"),
                    "Channel: Local/123@nosuchcontext", "Application: Wait", "Data: 1", "Async: false",
                    "Timeout: 5000");
            assertThat(ami.readReply(recorded.get("ActionID"))).isEqualTo(recorded);
        }
    }

    /** The recorded events of the originated call (from the Originate's response to the second Hangup). */
    private static List<Message> recordedCall() {
        int from = RECORDED_01.indexOf(AmiTranscript.find(RECORDED_01, "orig-1", null));
        int to = RECORDED_01.indexOf(RECORDED_01.stream().filter(m -> "Hangup".equals(m.get("Event")))
                .filter(m -> m.get("Channel").endsWith(";1")).findFirst().orElseThrow());
        return RECORDED_01.subList(from + 1, to + 1);
    }

    private AmiTestClient loggedIn() throws Exception {
        AmiTestClient client = new AmiTestClient(asterisk.amiPort());
        client.readLine();
        client.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: login-1");
        client.readReply("login-1");
        assertThat(client.read().get("Event")).isEqualTo("FullyBooted");
        assertThat(client.read().get("Event")).isEqualTo("SuccessfulAuth");
        return client;
    }

    private static List<String> names(List<Message> events) {
        return events.stream().map(e -> e.get("Event") + (e.get("Channel") == null ? ""
                : e.get("Channel").substring(e.get("Channel").length() - 2))).toList();
    }
}
