package dev.hotline.agi.server;

import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.AgiTimeoutException;
import dev.hotline.agi.ChannelState;
import dev.hotline.agi.DigitInput;
import dev.hotline.agi.Playback;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiReply;
import dev.hotline.agi.server.micrometer.MicrometerAgiMetrics;
import dev.hotline.agi.testing.Transcript;
import dev.hotline.agi.testing.TranscriptPeer;
import dev.hotline.config.AgiConfig;
import dev.hotline.net.Cidr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class AgiServerTest {

    private static final String ENV = "agi_network: yes\nagi_network_script: %s\nagi_request: agi://127.0.0.1/%s\n"
            + "agi_channel: PJSIP/trunk-00000001\nagi_uniqueid: 1700000000.1\nagi_callerid: 0612345678\n\n";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CopyOnWriteArrayList<Throwable> scriptErrors = new CopyOnWriteArrayList<>();
    private AgiServer server;
    private InetSocketAddress address;

    private AgiConfig config() {
        return AgiConfig.DEFAULTS.withPort(0);
    }

    private void start(AgiConfig config, AgiScriptRouter router) throws Exception {
        server = new AgiServer(config, router, new MicrometerAgiMetrics(registry), 1);
        address = server.start();
    }

    private void start(String name, AgiScript script) throws Exception {
        start(config(), new AgiScripts().register(name, s -> {
            try {
                script.run(s);
            } catch (Throwable t) {
                scriptErrors.add(t);
                throw t;
            }
        }));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ofSeconds(1));
        }
    }

    private double counter(String name, String tag, String value) {
        var c = registry.find(name).tag(tag, value).counter();
        return c == null ? 0 : c.count();
    }

    /** Until every connection is gone: calls and connections still waiting for their environment alike. */
    private void awaitNoSessions() throws InterruptedException {
        for (int i = 0; i < 200 && server.activeSessions() + server.pendingConnections() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(server.activeSessions()).isZero();
        assertThat(server.pendingConnections()).isZero();
    }

    @Test
    void normalTranscriptThroughTheTypedApi() throws Exception {
        CompletableFuture<List<Object>> results = new CompletableFuture<>();
        start("main-menu", s -> {
            s.answer();
            Playback p = s.streamFile("beep", "");
            DigitInput in = s.getData("beep", Duration.ofSeconds(2), 1);
            s.setVariable("FOO", "bar");
            Optional<String> foo = s.getVariable("FOO");
            Optional<String> full = s.getFullVariable("${CHANNEL}-${FOO}");
            ChannelState state = s.channelStatus();
            s.verbose("fastagi main-menu done", 1);
            results.complete(List.of(p, in, foo, full, state, s.environment().callerId()));
        });
        try (TranscriptPeer peer = TranscriptPeer.start(Transcript.load("01_originate_fastagi_normal.txt"), address)) {
            TranscriptPeer.Result r = peer.await();
            assertThat(r.unexpected()).isEmpty();
            assertThat(r.skipped()).isEmpty();
            assertThat(r.serverHalfClosed()).as("server half-closed so Asterisk could send its last HANGUP").isTrue();
        }
        assertThat(results.get(5, TimeUnit.SECONDS)).containsExactly(
                new Playback(Optional.empty(), 2000), new DigitInput("", true), Optional.of("bar"),
                Optional.of("Local/5551234@from-pstn-00000004;2-bar"), ChannelState.UP, Optional.of("0612345678"));
        awaitNoSessions();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "completed")).isEqualTo(1);
        assertThat(registry.find("hotline.agi.command").tag("command", "GET DATA").timer().count()).isEqualTo(1);
    }

    @Test
    void callerHangupSurfacesAsOneExceptionAndThenOnlyVariableCommandsGoOut() throws Exception {
        CompletableFuture<List<Object>> results = new CompletableFuture<>();
        start("main-menu", s -> {
            s.answer();
            s.setVariable("FOO", "bar");
            Throwable waited = null;
            try {
                s.waitForDigit(Duration.ofSeconds(30));
            } catch (AgiHangupException e) {
                waited = e;
            }
            s.setVariable("AFTER", "hangup");
            Optional<String> foo = s.getVariable("FOO");
            Throwable status = catchIt(s::channelStatus);
            Throwable stream = catchIt(() -> s.streamFile("beep", ""));
            s.verbose("after hangup", 1);
            results.complete(List.of(waited, foo, status, stream, s.isHungUp()));
        });
        try (TranscriptPeer peer = TranscriptPeer.start(
                Transcript.load("02_originate_fastagi_caller_hangs_up.txt"), address)) {
            TranscriptPeer.Result r = peer.await();
            assertThat(r.unexpected()).isEmpty();
            // Channel commands after the hang-up were refused locally, never sent.
            assertThat(r.skipped()).containsExactly("CHANNEL STATUS", "STREAM FILE beep \"\"");
            assertThat(r.received()).doesNotContain("HANGUP");
            assertThat(r.serverHalfClosed()).isTrue();
        }
        List<Object> got = results.get(5, TimeUnit.SECONDS);
        assertThat(got.get(0)).isInstanceOf(AgiHangupException.class);
        assertThat(got.get(1)).isEqualTo(Optional.of("bar"));
        assertThat(got.get(2)).isInstanceOf(AgiHangupException.class);
        assertThat(got.get(3)).isInstanceOf(AgiHangupException.class);
        assertThat(got.get(4)).isEqualTo(true);
        awaitNoSessions();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "hangup")).isEqualTo(1);
    }

    @Test
    void asteriskClosingAfterHangupEndsTheSession() throws Exception {
        CompletableFuture<Throwable> after = new CompletableFuture<>();
        start("main-menu", s -> {
            s.answer();
            s.setVariable("FOO", "bar");
            assertThatThrownBy(() -> s.waitForDigit(Duration.ofSeconds(30))).isInstanceOf(AgiHangupException.class);
            after.complete(catchIt(() -> s.setVariable("AFTER", "hangup")));
        });
        try (TranscriptPeer peer = TranscriptPeer.start(
                Transcript.load("03_originate_fastagi_exitonhangup.txt"), address)) {
            peer.await();
        }
        // Depending on whether the EOF is seen before or during the command, the message differs; both name it.
        assertThat(after.get(5, TimeUnit.SECONDS)).isInstanceOf(AgiHangupException.class)
                .hasMessageStartingWith("SET VARIABLE: ").hasMessageContaining("closed");
        awaitNoSessions();
    }

    @Test
    void errorRepliesBecomeCommandExceptionsNamingTheCommand() throws Exception {
        CompletableFuture<List<Throwable>> results = new CompletableFuture<>();
        start("main-menu", s -> {
            s.answer();
            Throwable unknown = s.send(AgiCommand.of("FOO BAR BAZ"), Duration.ZERO) instanceof AgiReply.InvalidCommand
                    ? null : new AssertionError("expected 510");
            AgiReply usage = s.send(AgiCommand.of("STREAM FILE"), Duration.ZERO);
            Throwable setVar = catchIt(() -> s.send(AgiCommand.of("SET VARIABLE"), Duration.ZERO));
            s.send(AgiCommand.of("DATABASE PUT", "acd", "test", "42"), Duration.ZERO);
            s.send(AgiCommand.of("DATABASE GET", "acd", "test"), Duration.ZERO);
            s.exec("Playback", "beep", Duration.ofSeconds(5));
            s.exec("Wait", "1", Duration.ofSeconds(5));
            Optional<String> unset = s.getVariable("NOSUCHVAR");
            Throwable missingFile = catchIt(() -> s.streamFile("no-such-file", ""));
            results.complete(java.util.Arrays.asList(unknown, usage instanceof AgiReply.Usage ? null
                    : new AssertionError("expected usage"), setVar, unset.isEmpty() ? null
                    : new AssertionError("expected unset"), missingFile));
        });
        try (TranscriptPeer peer = TranscriptPeer.start(Transcript.load("04_originate_fastagi_errors.txt"), address)) {
            TranscriptPeer.Result r = peer.await();
            assertThat(r.unexpected()).isEmpty();
            // The -1 of the missing file was told apart from a hang-up by a CHANNEL STATUS probe.
            assertThat(r.received()).endsWith("STREAM FILE no-such-file \"\"", "CHANNEL STATUS");
        }
        List<Throwable> got = results.get(5, TimeUnit.SECONDS);
        assertThat(got.get(0)).isNull();
        assertThat(got.get(1)).isNull();
        assertThat(got.get(2)).isNull();
        assertThat(got.get(3)).isNull();
        assertThat(got.get(4)).isInstanceOf(AgiCommandException.class)
                .hasMessageContaining("STREAM FILE [no-such-file, ]: failed (200 result=-1)");
    }

    @Test
    void typedUsageErrorIsACommandException() throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        start("x", s -> result.complete(catchIt(() -> s.setVariable("", ""))));
        try (Socket asterisk = connect("x")) {
            BufferedReader in = reader(asterisk);
            assertThat(in.readLine()).isEqualTo("SET VARIABLE \"\" \"\"");
            write(asterisk, "520-Invalid command syntax.  Proper usage follows:\nSets a variable.\n520 End of proper usage.\n");
            assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(AgiCommandException.class)
                    .hasMessage("SET VARIABLE [, ]: invalid syntax (520 Invalid command syntax.  Proper usage follows:)");
        }
    }

    @Test
    void redirectDuringAWaitReturnsMinusOneToRawSendAndTheSessionCanCloseAtOnce() throws Exception {
        CompletableFuture<AgiReply> waitReply = new CompletableFuture<>();
        start("main-menu", s -> {
            s.answer();
            s.musicOn("default");
            // The call flow uses the raw reply: -1 while waiting for an agent means "redirected, leave now".
            waitReply.complete(s.send(AgiCommand.of("WAIT FOR DIGIT", "30000"), Duration.ofSeconds(30)));
        });
        try (TranscriptPeer peer = TranscriptPeer.start(
                Transcript.load("r01_redirect_during_wait_for_digit.txt"), address)) {
            TranscriptPeer.Result r = peer.await();
            assertThat(r.received()).containsExactly("ANSWER", "SET MUSIC ON default", "WAIT FOR DIGIT 30000");
            assertThat(r.serverHalfClosed()).isTrue();
        }
        assertThat(waitReply.get(5, TimeUnit.SECONDS)).isEqualTo(AgiReply.Success.of("-1"));
    }

    @Test
    void unknownScriptSetsAVariableAndReturnsToTheDialplan() throws Exception {
        start(config(), new AgiScripts());
        try (Socket asterisk = connect("no-such-menu?x=1")) {
            BufferedReader in = reader(asterisk);
            assertThat(in.readLine()).isEqualTo("SET VARIABLE HOTLINE_ERROR \"unknown script 'no-such-menu'\"");
            write(asterisk, "200 result=1\n");
            // The handshake: handed back on purpose, to the fallback queue (one MSet).
            assertThat(in.readLine()).isEqualTo("EXEC MSet \"HOTLINE_OUTCOME=fallback,HOTLINE_TARGET=unknown script"
                    + " no-such-menu,HOTLINE_HANDLED=1\"");
            write(asterisk, "200 result=0\n");
            assertThat(in.readLine()).as("half-close after the script").isNull();
            write(asterisk, "HANGUP\n");
        }
        awaitNoSessions();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "unknown_script")).isEqualTo(1);
    }

    @Test
    void diagnosticScriptReportsWithoutTouchingTheCall() throws Exception {
        AgiScripts scripts = new AgiScripts();
        start(config(), scripts);
        scripts.register(DiagnosticScript.NAME, new DiagnosticScript("test-engine", "1.2.3", server::activeSessions));
        try (Socket asterisk = connect("diag")) {
            BufferedReader in = reader(asterisk);
            List<String> seen = new java.util.ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                seen.add(line);
                write(asterisk, line.startsWith("GET VARIABLE") ? "200 result=0\n" : "200 result=1\n");
            }
            assertThat(seen).contains("SET VARIABLE HOTLINE_DIAG OK", "SET VARIABLE HOTLINE_ENGINE test-engine",
                    "SET VARIABLE HOTLINE_VERSION 1.2.3", "SET VARIABLE HOTLINE_SESSIONS 1");
            assertThat(seen).noneMatch(l -> l.startsWith("ANSWER") || l.startsWith("STREAM"));
        }
    }

    @Test
    void peersOutsideTheAllowListAreRefusedAndCounted() throws Exception {
        AgiConfig onlyTen = new AgiConfig("127.0.0.1", 0, List.of(Cidr.parse("10.0.0.0/8")), 10,
                Duration.ofMinutes(1), Duration.ofSeconds(5), Duration.ZERO, 8192, 16384);
        start(onlyTen, new AgiScripts().register("x", s -> s.answer()));
        try (Socket asterisk = connect("x")) {
            assertClosedWithoutAByte(asterisk);
        }
        assertThat(counter("hotline.agi.refused", "reason", "not_allowed")).isEqualTo(1);
    }

    @Test
    void sessionsBeyondTheLimitAreRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        start(config().withMaxSessions(1), new AgiScripts().register("hold", s -> release.await()));
        try (Socket first = connect("hold"); Socket second = connect("hold")) {
            assertClosedWithoutAByte(second);
            assertThat(counter("hotline.agi.refused", "reason", "max_sessions")).isEqualTo(1);
            release.countDown();
            assertThat(reader(first).readLine()).isNull();
        }
        awaitNoSessions();
    }

    @Test
    void aCommandWithNoReplyTimesOutAndClosesTheSession() throws Exception {
        AgiConfig quick = new AgiConfig("127.0.0.1", 0, AgiConfig.DEFAULTS.allow(), 10, Duration.ofMinutes(1),
                Duration.ofMillis(300), Duration.ZERO, 8192, 16384);
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        start(quick, new AgiScripts().register("x", s -> result.complete(catchIt(s::answer))));
        try (Socket asterisk = connect("x")) {
            assertThat(reader(asterisk).readLine()).isEqualTo("ANSWER");
            assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(AgiTimeoutException.class)
                    .hasMessage("ANSWER: no reply from Asterisk within PT0.3S; session closed");
        }
        awaitNoSessions();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "timeout")).isEqualTo(1);
    }

    @Test
    void aSessionIdleWithNoCommandPendingIsClosed() throws Exception {
        AgiConfig idle = new AgiConfig("127.0.0.1", 0, AgiConfig.DEFAULTS.allow(), 10, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, 8192, 16384);
        start(idle, new AgiScripts().register("x", s -> s.answer()));
        try (Socket asterisk = new Socket()) {
            asterisk.connect(address, 2000);
            asterisk.setSoTimeout(5000);
            write(asterisk, "agi_network: yes\n");   // ... and never the rest of the environment
            assertClosedWithoutAByte(asterisk);
        }
        awaitNoSessions();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "idle")).isEqualTo(1);
    }

    @Test
    void halfOpenConnectionsThatTrickleHeaderLinesAreClosedAtTheDeadlineAndNeverCountAsCallers() throws Exception {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        CountDownLatch release = new CountDownLatch(1);
        server = new AgiServer(config().withEnvironmentTimeout(Duration.ofSeconds(5)), new AgiScripts()
                .register("x", s -> release.await()), new MicrometerAgiMetrics(registry), 1, now::get);
        address = server.start();
        List<Socket> trickling = new java.util.ArrayList<>();
        try (Socket caller = new Socket()) {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.connect(address, 2000);
                s.setSoTimeout(10_000);
                write(s, "agi_network: yes\n");
                trickling.add(s);
            }
            awaitPending(20);
            // A real call arrives among them and is the only caller.
            caller.connect(address, 2000);
            write(caller, ENV.formatted("x", "x"));
            for (int i = 0; i < 200 && server.activeSessions() < 1; i++) {
                Thread.sleep(10);
            }
            assertThat(server.activeSessions()).as("callers").isEqualTo(1);
            assertThat(registry.find("hotline.agi.sessions.active").gauge().value()).isEqualTo(1);
            assertThat(registry.find("hotline.agi.connections.pending").gauge().value()).isEqualTo(20);

            // A line every 3 s keeps them busy but never finishes an environment.
            now.addAndGet(Duration.ofSeconds(3).toNanos());
            for (Socket s : trickling) {
                write(s, "agi_request: agi://127.0.0.1/x\n");
            }
            now.addAndGet(Duration.ofSeconds(3).toNanos());   // 6 s since they opened: past the 5 s deadline
            for (Socket s : trickling) {
                assertClosedWithoutAByte(s);
            }
            awaitPending(0);
            assertThat(server.activeSessions()).as("the call is untouched").isEqualTo(1);
            assertThat(counter("hotline.agi.sessions.ended", "outcome", "environment_timeout")).isEqualTo(20);
            release.countDown();
        } finally {
            for (Socket s : trickling) {
                s.close();
            }
        }
        awaitNoSessions();
    }

    private void awaitPending(int n) throws InterruptedException {
        for (int i = 0; i < 500 && server.pendingConnections() != n; i++) {
            Thread.sleep(10);
        }
        assertThat(server.pendingConnections()).as("connections waiting for their environment").isEqualTo(n);
    }

    @Test
    void malformedInputClosesOnlyThatSession() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Optional<String>> good = new CompletableFuture<>();
        start(config(), new AgiScripts().register("x", s -> {
            release.await();
            good.complete(s.getVariable("V"));
        }));
        try (Socket healthy = connect("x"); Socket broken = connect("x")) {
            for (int i = 0; i < 100 && server.activeSessions() < 2; i++) {
                Thread.sleep(10);
            }
            write(broken, "garbage reply\n");
            assertClosedWithoutAByte(broken);
            release.countDown();
            BufferedReader in = reader(healthy);
            assertThat(in.readLine()).isEqualTo("GET VARIABLE V");
            write(healthy, "200 result=1 (ok)\n");
            assertThat(good.get(5, TimeUnit.SECONDS)).contains("ok");
        }
        awaitNoSessions();
        assertThat(registry.find("hotline.agi.protocol.errors").tag("reason", "unsolicited_reply").counter())
                .isNull();
        assertThat(registry.find("hotline.agi.protocol.errors").tag("reason", "bad_reply").counter().count())
                .isEqualTo(1);
    }

    @Test
    void oversizedLineClosesTheSession() throws Exception {
        start("x", AgiSession::answer);
        try (Socket asterisk = new Socket()) {
            asterisk.connect(address);
            OutputStream out = asterisk.getOutputStream();
            out.write(("agi_network: " + "x".repeat(9000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertClosedWithoutAByte(asterisk);
        }
        awaitNoSessions();
        assertThat(registry.find("hotline.agi.protocol.errors").tag("reason", "line_too_long").counter().count())
                .isEqualTo(1);
    }

    @Test
    void connectionClosedMidCommandIsAHangup() throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        start("x", s -> result.complete(catchIt(() -> s.streamFile("welcome", "123"))));
        try (Socket asterisk = connect("x")) {
            assertThat(reader(asterisk).readLine()).isEqualTo("STREAM FILE welcome 123");
        }
        assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(AgiHangupException.class);
        awaitNoSessions();
    }

    @Test
    void digitsAndRecordingResultsAreTyped() throws Exception {
        CompletableFuture<List<Object>> result = new CompletableFuture<>();
        start("x", s -> result.complete(List.of(
                s.streamFile("menu", "123"),
                s.waitForDigit(Duration.ofSeconds(5)),
                s.waitForDigit(Duration.ofSeconds(5)),
                s.getData("account", Duration.ofSeconds(3), 8),
                s.exec("Dial", "PJSIP/1001,20,tT", Duration.ofMinutes(60)),
                s.recordFile("/tmp/msg", "wav", "#", Duration.ofSeconds(60), Duration.ofSeconds(3), true))));
        try (Socket asterisk = connect("x")) {
            BufferedReader in = reader(asterisk);
            assertThat(in.readLine()).isEqualTo("STREAM FILE menu 123");
            write(asterisk, "200 result=50 endpos=5120\n");
            assertThat(in.readLine()).isEqualTo("WAIT FOR DIGIT 5000");
            write(asterisk, "200 result=35\n");
            assertThat(in.readLine()).isEqualTo("WAIT FOR DIGIT 5000");
            write(asterisk, "200 result=0\n");
            assertThat(in.readLine()).isEqualTo("GET DATA account 3000 8");
            write(asterisk, "200 result=00123456\n");
            assertThat(in.readLine()).isEqualTo("EXEC Dial PJSIP/1001,20,tT");
            write(asterisk, "200 result=0\n");
            assertThat(in.readLine()).isEqualTo("RECORD FILE /tmp/msg wav # 60000 BEEP s=3");
            write(asterisk, "200 result=35 (dtmf) endpos=24000\n");
            assertThat(result.get(5, TimeUnit.SECONDS)).containsExactly(
                    new Playback(Optional.of('2'), 5120), Optional.of('#'), Optional.empty(),
                    new DigitInput("00123456", false), 0,
                    new dev.hotline.agi.Recording(dev.hotline.agi.Recording.EndReason.DIGIT, Optional.of('#'), 24000));
        }
    }

    @Test
    void shutdownLetsCallsFinishWithinTheGrace() throws Exception {
        CountDownLatch inScript = new CountDownLatch(1);
        start("x", s -> {
            inScript.countDown();
            s.setVariable("DONE", "1");
        });
        try (Socket asterisk = connect("x")) {
            BufferedReader in = reader(asterisk);
            assertThat(inScript.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> server.close(Duration.ofSeconds(5)));
            assertThat(in.readLine()).isEqualTo("SET VARIABLE DONE 1");
            write(asterisk, "200 result=1\n");
            assertThat(in.readLine()).isNull();
            write(asterisk, "HANGUP\n");
            asterisk.close();
            closed.get(10, TimeUnit.SECONDS);
        }
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "completed")).isEqualTo(1);
        server = null;
    }

    @Test
    void mutatedSessionsEndCleanlyWithNoLeakAndOnlyAgiExceptions() throws Exception {
        start("main-menu", s -> {
            try {
                s.answer();
                s.streamFile("beep", "");
                s.getData("beep", Duration.ofSeconds(2), 1);
                s.setVariable("FOO", "bar");
                s.getVariable("FOO");
                s.channelStatus();
            } catch (dev.hotline.agi.AgiException expected) {
                // hang-ups, error replies and timeouts are how a broken peer shows up to call logic
            }
        });
        byte[] base = Transcript.load("01_originate_fastagi_normal.txt").bytesFromAsterisk()
                .getBytes(StandardCharsets.UTF_8);
        for (long seed = 0; seed < 150; seed++) {
            java.util.Random r = new java.util.Random(seed);
            byte[] input = dev.hotline.agi.testing.Fuzz.mutate(r, base);
            try (Socket asterisk = new Socket()) {
                asterisk.connect(address, 2000);
                asterisk.setSoTimeout(5000);
                asterisk.getOutputStream().write(input);
                asterisk.shutdownOutput();
                // Drain whatever the server says until it closes: proves the session ends by itself.
                while (asterisk.getInputStream().read() >= 0) {
                    // keep reading
                }
            }
        }
        awaitNoSessions();
        assertThat(scriptErrors).isEmpty();
        assertThat(counter("hotline.agi.sessions.ended", "outcome", "error")).isZero();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Socket connect(String script) throws IOException {
        Socket s = new Socket();
        s.connect(address, 2000);
        s.setSoTimeout(10_000);
        write(s, ENV.formatted(script, script));
        return s;
    }

    /** The server closed: EOF, or a reset when it closed with our unread bytes in its buffer. */
    private static void assertClosedWithoutAByte(Socket s) {
        int read;
        try {
            read = s.getInputStream().read();
        } catch (IOException e) {
            assertThat(e).hasMessageContaining("reset");
            return;
        }
        assertThat(read).as("closed without a byte").isEqualTo(-1);
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private interface Action {
        void run() throws Exception;
    }

    private static Throwable catchIt(Action a) {
        try {
            a.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
