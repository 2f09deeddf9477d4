package dev.hotline.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.testing.AmiTestClient;
import dev.hotline.simulator.testing.AmiTestClient.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AMI Atxfer on the agent's leg of a Dial: the caller is held while the agent consults a Local channel running the
 * transfer context; the transfer completes (AttendedTransfer, Result Success) only when the agent hangs up with the
 * target still up, and not at all when the target hangs up first.
 */
class AttendedTransferTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:24:40Z"));
    private ServerSocket agi;
    private AsteriskSimulator asterisk;
    private AmiTestClient ami;
    private Socket caller;
    private BufferedReader in;
    private String callerChannel;

    @BeforeEach
    void start() throws Exception {
        agi = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        agi.setSoTimeout(5_000);
        String base = "agi://127.0.0.1:" + agi.getLocalPort() + "/";
        asterisk = AsteriskSimulator.builder().clock(clock).threads(1)
                .context(DialplanContext.inbound("from-pstn", base + "main-menu"))
                .context(DialplanContext.redirectTarget("hotline-transfer", base + "transfer?to=${EXTEN}"))
                .endpoint("PJSIP/1001")
                .start();
        ami = new AmiTestClient(asterisk.amiPort());
        ami.readLine();
        ami.send("Action: Login", "Username: acd", "Secret: acdsecret", "ActionID: l");
        ami.readReply("l");
        asterisk.placeCall("from-pstn", CallerScript.calling("5551234").build());
        caller = agi.accept();
        caller.setSoTimeout(5_000);
        in = reader(caller);
        callerChannel = environment(in).get("agi_channel");
    }

    /** The caller dials the agent, who answers after 2 s (and would talk for 5 minutes). */
    private void dialAgent() throws Exception {
        asterisk.endpoint("PJSIP/1001").answerNext(Duration.ofSeconds(2), Duration.ofMinutes(5));
        int timers = clock.pendingTimers();
        send(caller, "EXEC Dial PJSIP/1001,20,g");
        clock.awaitPendingTimersAbove(timers, Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        caller.close();
        ami.close();
        asterisk.close();
        agi.close();
    }

    @Test
    void theAgentHangingUpWithTheTargetUpBridgesTheCallerToTheTargetAndReportsAttendedTransferSuccess()
            throws Exception {
        dialAgent();
        String agent = until(e -> "BridgeEnter".equals(e.get("Event")) && e.get("Channel").equals(callerChannel))
                .stream().filter(e -> "DialEnd".equals(e.get("Event"))).findFirst().orElseThrow().get("DestChannel");
        ami.send("Action: Atxfer", "ActionID: x1", "Channel: " + agent, "Context: hotline-transfer", "Exten: 1005");
        List<Message> started = until(e -> "x1".equals(e.get("ActionID")));
        assertThat(started.getLast().get("Response")).isEqualTo("Success");
        assertThat(started.getLast().get("Message")).isEqualTo("Atxfer successfully queued");
        assertThat(started).anySatisfy(e -> {
            assertThat(e.get("Event")).isEqualTo("MusicOnHoldStart");
            assertThat(e.get("Channel")).isEqualTo(callerChannel);
        });

        try (Socket target = agi.accept()) {
            target.setSoTimeout(5_000);
            Map<String, String> env = environment(reader(target));
            assertThat(env).containsEntry("agi_context", "hotline-transfer").containsEntry("agi_extension", "1005");
            String local = env.get("agi_channel");
            assertThat(local).matches("Local/1005@hotline-transfer-[0-9a-f]{8};2");

            asterisk.endpoint("PJSIP/1001").hangUp();
            List<Message> done = until(e -> "Hangup".equals(e.get("Event")) && agent.equals(e.get("Channel")));
            List<String> names = done.stream().map(e -> e.get("Event")).toList();
            assertThat(names).containsSubsequence("AttendedTransfer", "BridgeEnter", "MusicOnHoldStop", "Hangup");
            Message transfer = done.get(names.indexOf("AttendedTransfer"));
            assertThat(transfer.get("Result")).isEqualTo("Success");
            assertThat(transfer.get("OrigTransfererChannel")).isEqualTo(agent);
            assertThat(transfer.get("SecondTransfererChannel")).isEqualTo(agent);
            assertThat(transfer.get("TransfereeChannel")).isEqualTo(callerChannel);
            assertThat(transfer.get("TransferTargetChannel")).isEqualTo(local.replace(";2", ";1"));
            assertThat(transfer.get("DestType")).isEqualTo("Bridge");
            assertThat(transfer.get("DestBridgeUniqueid")).isEqualTo(transfer.get("OrigBridgeUniqueid"));
            assertThat(transfer.keys()).contains("OrigTransfererUniqueid", "OrigTransfererLinkedid",
                    "TransfereeUniqueid", "TransferTargetLinkedid", "SecondBridgeUniqueid", "IsExternal");
            Message rejoined = done.get(names.indexOf("BridgeEnter"));
            assertThat(rejoined.get("Channel")).isEqualTo(local.replace(";2", ";1"));
            assertThat(rejoined.get("BridgeUniqueid")).isEqualTo(transfer.get("OrigBridgeUniqueid"));
            // The phone forgets its call just after the Hangup event goes out (another thread): allow it a moment.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (asterisk.endpoint("PJSIP/1001").currentCall().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(asterisk.endpoint("PJSIP/1001").currentCall()).isEmpty();
        }
        // The target hung up (its AGI server closed): only now does the caller's Dial return, and the caller is up.
        assertThat(in.readLine()).isEqualTo("200 result=0");
        send(caller, "GET VARIABLE DIALSTATUS");
        assertThat(in.readLine()).isEqualTo("200 result=1 (ANSWER)");
        send(caller, "CHANNEL STATUS");
        assertThat(in.readLine()).isEqualTo("200 result=6");
    }

    @Test
    void whenTheTargetHangsUpFirstTheAgentIsBackWithTheCallerAndNoTransferIsReported() throws Exception {
        dialAgent();
        String agent = until(e -> "BridgeEnter".equals(e.get("Event")) && e.get("Channel").equals(callerChannel))
                .stream().filter(e -> "DialEnd".equals(e.get("Event"))).findFirst().orElseThrow().get("DestChannel");
        ami.send("Action: Atxfer", "ActionID: x2", "Channel: " + agent, "Context: hotline-transfer", "Exten: 1005");
        assertThat(until(e -> "x2".equals(e.get("ActionID"))).getLast().get("Response")).isEqualTo("Success");
        try (Socket target = agi.accept()) {
            environment(reader(target));
        }
        List<Message> back = until(e -> "MusicOnHoldStop".equals(e.get("Event")));
        assertThat(back.getLast().get("Channel")).isEqualTo(callerChannel);
        assertThat(back).anySatisfy(e -> {
            assertThat(e.get("Event")).isEqualTo("BridgeEnter");
            assertThat(e.get("Channel")).isEqualTo(agent);
        });
        assertThat(asterisk.endpoint("PJSIP/1001").currentCall()).isPresent();

        asterisk.endpoint("PJSIP/1001").hangUp();
        List<Message> after = until(e -> "Hangup".equals(e.get("Event")) && agent.equals(e.get("Channel")));
        assertThat(back).noneMatch(e -> "AttendedTransfer".equals(e.get("Event")));
        assertThat(after).noneMatch(e -> "AttendedTransfer".equals(e.get("Event")));
        assertThat(in.readLine()).as("Dial returns after the agent's own hang-up").isEqualTo("200 result=0");
    }

    @Test
    void atxferOfAChannelThatIsNotAnAgentsLegFails() throws Exception {
        dialAgent();
        until(e -> "BridgeEnter".equals(e.get("Event")) && e.get("Channel").equals(callerChannel));
        ami.send("Action: Atxfer", "ActionID: x3", "Channel: " + callerChannel, "Context: hotline-transfer",
                "Exten: 1005");
        Message reply = ami.readReply("x3");
        assertThat(reply.get("Response")).isEqualTo("Error");
        assertThat(reply.get("Message")).isEqualTo("Atxfer failed");
    }

    @Test
    void aPhoneThatTransfersAtOnceHangsUpAsSoonAsTheTargetIsUp() throws Exception {
        asterisk.endpoint("PJSIP/1001").setBehaviour(EndpointBehaviour.DEFAULT.withTransferAtOnce(true));
        dialAgent();
        String agent = until(e -> "BridgeEnter".equals(e.get("Event")) && e.get("Channel").equals(callerChannel))
                .stream().filter(e -> "DialEnd".equals(e.get("Event"))).findFirst().orElseThrow().get("DestChannel");
        ami.send("Action: Atxfer", "ActionID: x4", "Channel: " + agent, "Context: hotline-transfer", "Exten: 1005");
        try (Socket target = agi.accept()) {
            environment(reader(target));
            clock.awaitTimerDueBy(clock.elapsed(), Duration.ofSeconds(5));   // the phone's hang-up, due now
            clock.advance(Duration.ZERO);
            List<Message> done = until(e -> "Hangup".equals(e.get("Event")) && agent.equals(e.get("Channel")));
            assertThat(done).anySatisfy(e -> {
                assertThat(e.get("Event")).isEqualTo("AttendedTransfer");
                assertThat(e.get("Result")).isEqualTo("Success");
            });
            assertThat(clock.elapsed()).as("no talk time went by").isEqualTo(Duration.ofSeconds(2));
        }
    }

    /** Reads messages until one matches, returning all of them (the match last). */
    private List<Message> until(Predicate<Message> last) throws Exception {
        List<Message> seen = new ArrayList<>();
        while (true) {
            Message m = ami.read();
            assertThat(m).as("AMI message expected; got %s", seen).isNotNull();
            seen.add(m);
            if (last.test(m)) {
                return seen;
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String line) throws Exception {
        socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
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
