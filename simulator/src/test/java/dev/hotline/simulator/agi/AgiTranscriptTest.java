package dev.hotline.simulator.agi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.clock.ManualClock;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.model.HangupCause;
import dev.hotline.simulator.testing.AgiTranscript;
import dev.hotline.simulator.testing.TranscriptReplayer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Replays the FastAGI server's side of each recorded Asterisk 22 session against the simulator and checks that the
 * simulator answers line for line as Asterisk did (uniqueid, threadid, channel name and port masked).
 */
class AgiTranscriptTest {

    private static final Media RECORDED_MEDIA = Media.only(Map.of("beep", Media.BEEP));

    @Test
    void normalSessionMatchesTheRecording() throws Exception {
        SessionResult result = replay("01_normal.txt",
                port -> DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + port + "/main-menu"),
                CallerScript.calling("5551234").build());
        assertThat(result.agiStatus).contains("SUCCESS");
        assertThat(result.cause).isEqualTo(HangupCause.NORMAL_CLEARING);
    }

    @Test
    void callerHangingUpDuringWaitForDigitGivesMinusOneThenHangupThen511s() throws Exception {
        SessionResult result = replay("02_caller_hangs_up.txt",
                port -> DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + port + "/main-menu"),
                CallerScript.calling("5550002").hangUpAfter(Duration.ofMillis(4_504)).build());
        assertThat(result.agiStatus).contains("HANGUP");
    }

    @Test
    void exitOnHangupClosesTheSocketAfterTwoHangupLines() throws Exception {
        SessionResult result = replay("03_exitonhangup.txt",
                port -> DialplanContext.inbound("from-pstn-agi-exit", "agi://127.0.0.1:" + port + "/main-menu")
                        .withExitOnHangup(true),
                CallerScript.calling("5550003").hangUpAfter(Duration.ofMillis(4_501)).build());
        assertThat(result.agiStatus).contains("HANGUP");
    }

    @Test
    void errorRepliesMatchTheRecording510And520UsageAndMissingFile() throws Exception {
        SessionResult result = replay("04_errors.txt",
                port -> DialplanContext.inbound("from-pstn", "agi://127.0.0.1:" + port + "/main-menu"),
                CallerScript.calling("5550004").build());
        // The session's last command, STREAM FILE of a missing file, failed on a live channel: res_agi's sticky
        // FAILURE (asterisk-22-failure-transcripts, fact 1), although 510 and 520 before it did not fail it.
        assertThat(result.agiStatus).contains("FAILURE");
    }

    @Test
    void argumentsAndQueryStringReachTheEnvironment() throws Exception {
        replay("05_with_args.txt",
                port -> new DialplanContext("from-pstn-args", "agi://127.0.0.1:" + port + "/main-menu?queue=support",
                        List.of("${EXTEN}", "hello world"), 2, true, false),
                CallerScript.calling("5550005").build());
    }

    private record SessionResult(Optional<String> agiStatus, HangupCause cause) {
    }

    private SessionResult replay(String file, Function<Integer, DialplanContext> context, CallerScript script)
            throws Exception {
        AgiTranscript transcript = AgiTranscript.load("/transcripts/agi/" + file);
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T12:21:46Z"));
        try (ServerSocket agiServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            agiServer.setSoTimeout(5_000);
            DialplanContext dialplanContext = context.apply(agiServer.getLocalPort());
            try (AsteriskSimulator asterisk = AsteriskSimulator.builder()
                    .clock(clock).amiPort(-1).threads(1).media(RECORDED_MEDIA).context(dialplanContext).start()) {
                SimulatedCall call = asterisk.placeCall(dialplanContext.name(), script);
                try (Socket session = agiServer.accept()) {
                    TranscriptReplayer.Comparison comparison =
                            TranscriptReplayer.replay(transcript, session, clock, agiServer.getLocalPort());
                    assertThat(comparison.actual()).as(file).containsExactlyElementsOf(comparison.expected());
                }
                HangupCause cause = call.ended().get(5, TimeUnit.SECONDS);
                return new SessionResult(call.variable("AGISTATUS").get(5, TimeUnit.SECONDS), cause);
            }
        }
    }
}
