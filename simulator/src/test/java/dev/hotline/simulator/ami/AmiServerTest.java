package dev.hotline.simulator.ami;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.testing.AmiTestClient;
import dev.hotline.simulator.testing.AmiTestClient.Message;
import dev.hotline.simulator.testing.AmiTranscript;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's AMI answers compared with the recorded Asterisk 22 session (08): framing, keys, wording. */
class AmiServerTest {

    private static final List<Message> RECORDED = AmiTranscript.received("/transcripts/ami/08_ami_queue_management_actions.txt");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:25:23Z"));
    private AsteriskSimulator asterisk;

    @BeforeEach
    void start() {
        asterisk = AsteriskSimulator.builder().clock(clock).threads(1).endpoint("PJSIP/1001").start();
    }

    @AfterEach
    void stop() {
        asterisk.close();
    }

    @Test
    void bannerIsTheRecordedLineWithNoBlankLineAfterIt() throws Exception {
        byte[] raw;
        try (InputStream in = getClass().getResourceAsStream("/transcripts/ami/08_ami_queue_management_actions.txt.raw")) {
            raw = in.readAllBytes();
        }
        String recordedBanner = new String(raw, StandardCharsets.UTF_8).substring(0, AmiSession.BANNER.length());
        assertThat(recordedBanner).isEqualTo(AmiSession.BANNER);
        try (AmiTestClient client = new AmiTestClient(asterisk.amiPort())) {
            assertThat(client.readLine()).isEqualTo("Asterisk Call Manager/11.0.0");
            client.send("Action: Ping", "ActionID: early");
            assertThat(client.read().asMap()).containsEntry("Response", "Error")
                    .containsEntry("Message", "Permission denied");
        }
    }

    @Test
    void loginPingListCommandAndErrorsHaveTheRecordedFraming() throws Exception {
        try (AmiTestClient client = loggedIn()) {
            client.send("Action: Ping", "ActionID: ping-1");
            assertSameShape(client.read(), AmiTranscript.find(RECORDED, "ping-1", null));

            client.send("Action: CoreShowChannels", "ActionID: chans-1");
            assertThat(client.read()).isEqualTo(AmiTranscript.find(RECORDED, "chans-1", null));
            assertThat(client.read()).isEqualTo(AmiTranscript.find(RECORDED, "chans-1", "CoreShowChannelsComplete"));

            client.send("Action: Command", "ActionID: cmd-1", "Command: core show version");
            Message version = client.read();
            assertSameShape(version, AmiTranscript.find(RECORDED, "cmd-1", null));
            assertThat(version.get("Output")).startsWith("Asterisk 22.10.1 built by");

            client.send("Action: Hangup", "ActionID: hup-1", "Channel: Local/nonexistent-00000000;1");
            assertThat(client.read()).isEqualTo(AmiTranscript.find(RECORDED, "hup-1", null));

            client.send("Action: NoSuchAction", "ActionID: x-1");
            assertThat(client.read().asMap()).containsEntry("Response", "Error").containsEntry("ActionID", "x-1")
                    .containsEntry("Message",
                            "Invalid/unknown command: NoSuchAction. Use Action: ListCommands to show available commands.");

            client.send("Action: Logoff", "ActionID: logoff-1");
            assertThat(client.read()).isEqualTo(AmiTranscript.find(RECORDED, "logoff-1", null));
            assertThat(client.read()).isNull();
        }
    }

    @Test
    void deviceStateListIsAnEventListOfEndpoints() throws Exception {
        try (AmiTestClient client = loggedIn()) {
            client.send("Action: DeviceStateList", "ActionID: ds-1");
            assertThat(client.read().keys()).containsExactly("Response", "ActionID", "EventList", "Message");
            assertThat(client.read().asMap()).containsExactly(
                    java.util.Map.entry("Event", "DeviceStateChange"), java.util.Map.entry("ActionID", "ds-1"),
                    java.util.Map.entry("Device", "PJSIP/1001"), java.util.Map.entry("State", "NOT_INUSE"));
            assertThat(client.read().asMap()).containsEntry("Event", "DeviceStateListComplete")
                    .containsEntry("EventList", "Complete").containsEntry("ListItems", "1");
        }
    }

    @Test
    void failedLoginAnswersAfterOneSecondAndDisconnects() throws Exception {
        try (AmiTestClient client = new AmiTestClient(asterisk.amiPort())) {
            client.readLine();
            client.send("Action: Login", "Username: acd", "Secret: wrong", "ActionID: login-bad");
            clock.awaitPendingTimersAbove(0, Duration.ofSeconds(5));
            clock.advance(Duration.ofMillis(999));
            assertThat(clock.pendingTimers()).as("no answer before 1 s").isEqualTo(1);
            clock.advance(Duration.ofMillis(1));
            assertThat(client.read()).isEqualTo(new Message(List.of("Response", "ActionID", "Message"),
                    List.of("Error", "login-bad", "Authentication failed")));
            assertThat(client.read()).isNull();
        }
    }

    @Test
    void md5ChallengeLoginIsAccepted() throws Exception {
        try (AmiTestClient client = new AmiTestClient(asterisk.amiPort())) {
            client.readLine();
            client.send("Action: Challenge", "AuthType: MD5", "ActionID: ch-1");
            Message challenge = client.read();
            assertThat(challenge.keys()).containsExactly("Response", "ActionID", "Challenge");
            String key = AmiSession.md5(challenge.get("Challenge") + "acdsecret");
            client.send("Action: Login", "AuthType: MD5", "Username: acd", "Key: " + key, "ActionID: l-1");
            assertThat(client.read().get("Message")).isEqualTo("Authentication accepted");
        }
    }

    private AmiTestClient loggedIn() throws Exception {
        AmiTestClient client = new AmiTestClient(asterisk.amiPort());
        client.readLine();
        client.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: login-1");
        assertThat(client.read()).isEqualTo(AmiTranscript.find(RECORDED, "login-1", null));
        assertSameShape(client.read(), AmiTranscript.find(RECORDED, null, "FullyBooted"));
        assertSameShape(client.read(), AmiTranscript.find(RECORDED, null, "SuccessfulAuth"));
        return client;
    }

    /** Same keys in the same order; values that carry no per-session data equal. */
    private static void assertSameShape(Message actual, Message recorded) {
        assertThat(actual.keys()).isEqualTo(recorded.keys());
        for (String fixed : List.of("Response", "Event", "Privilege", "ActionID", "Message", "Ping", "Status",
                "Severity", "Service", "EventVersion", "AccountID", "UsingPassword")) {
            assertThat(actual.get(fixed)).as(fixed).isEqualTo(recorded.get(fixed));
        }
    }
}
