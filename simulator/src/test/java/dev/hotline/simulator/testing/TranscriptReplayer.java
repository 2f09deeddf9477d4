package dev.hotline.simulator.testing;

import dev.hotline.simulator.clock.ManualClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the FastAGI server's side ({@code >>>}) of a recorded session against the simulator on {@code socket},
 * and collects what the simulator sends next to what Asterisk sent, both normalised (uniqueid, threadid, channel
 * name, AGI port). Time is virtual: before sending a line the clock moves to its recorded time (or stays, if
 * already past it: the offset is kept); a reply that Asterisk gave 100 ms or more after the command is waited for
 * by first making sure the simulator has set a timer for it, then moving the clock to the recorded reply time plus
 * the offset plus 100 ms of slack (beep is 248 ms on the wire and 250 ms in the simulator's media table).
 */
public final class TranscriptReplayer {

    private static final Duration SLACK = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The two sides, line by line, ready for {@code containsExactlyElementsOf}. */
    public record Comparison(List<String> expected, List<String> actual) {
    }

    private TranscriptReplayer() {
    }

    public static Comparison replay(AgiTranscript transcript, Socket socket, ManualClock clock, int agiPort)
            throws IOException, InterruptedException {
        socket.setSoTimeout((int) WAIT.toMillis());
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        Normaliser expectedSide = new Normaliser(4573);
        Normaliser actualSide = new Normaliser(agiPort);
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        double lastSend = 0;
        boolean replyPending = false;
        int timersBeforeSend = 0;
        boolean eof = false;
        Duration offset = Duration.ZERO;
        for (AgiTranscript.Entry entry : transcript.entries()) {
            Duration at = Duration.ofNanos((long) (entry.seconds() * 1e9));
            switch (entry.direction()) {
                case FROM_SERVER -> {
                    if (eof) {
                        return new Comparison(expected, actual);
                    }
                    clock.advanceTo(at);
                    offset = clock.elapsed().minus(at);
                    timersBeforeSend = clock.pendingTimers();
                    out.write(entry.payload().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastSend = entry.seconds();
                    replyPending = true;
                }
                case NOTE -> {
                    if (entry.payload().contains("shutdown(SHUT_WR)")) {
                        socket.shutdownOutput();
                    }
                }
                case FROM_ASTERISK -> {
                    if (entry.payload().startsWith("<EOF")) {
                        expected.add("<EOF>");
                        String extra = in.readLine();
                        actual.add(extra == null ? "<EOF>" : "unexpected line before EOF: " + extra);
                        eof = true;
                        continue;
                    }
                    boolean delayed = replyPending && entry.seconds() - lastSend >= 0.1;
                    if (delayed) {
                        clock.awaitPendingTimersAbove(timersBeforeSend, WAIT);
                    }
                    replyPending = false;
                    clock.advanceTo(at.plus(offset).plus(delayed ? SLACK : Duration.ZERO));
                    String payload = entry.payload();
                    expected.add(expectedSide.apply(payload.endsWith("\n")
                            ? payload.substring(0, payload.length() - 1) : payload));
                    String line;
                    try {
                        line = in.readLine();
                    } catch (SocketTimeoutException e) {
                        actual.add("<nothing within " + WAIT + ">");
                        return new Comparison(expected, actual);
                    }
                    actual.add(line == null ? "<EOF>" : actualSide.apply(line));
                }
            }
        }
        return new Comparison(expected, actual);
    }

    /** Masks what differs per call: uniqueid, threadid, channel number, the AGI server's port. */
    private static final class Normaliser {
        private final int port;
        private String channel;

        Normaliser(int port) {
            this.port = port;
        }

        String apply(String line) {
            if (line.startsWith("agi_channel: ")) {
                channel = line.substring("agi_channel: ".length());
                return "agi_channel: <channel>";
            }
            if (line.startsWith("agi_uniqueid: ")) {
                return "agi_uniqueid: <uniqueid>";
            }
            if (line.startsWith("agi_threadid: ")) {
                return "agi_threadid: <threadid>";
            }
            if (line.startsWith("agi_type: ")) {
                return "agi_type: <type>";
            }
            String result = line.replace("127.0.0.1:" + port + "/", "127.0.0.1:<port>/");
            return channel == null ? result : result.replace(channel, "<channel>");
        }
    }
}
