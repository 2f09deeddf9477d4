package dev.hotline.agi.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays Asterisk's side of a captured transcript against a FastAGI server over a real socket: sends the
 * environment, answers each command with the replies Asterisk gave to it, and behaves as Asterisk does at the
 * end (one more {@code HANGUP} after the server's half-close, then close).
 *
 * <p>A typed session may skip commands the transcript sent (it refuses channel commands after a hang-up without
 * touching the wire): the peer then skips forward to the matching command and records what was skipped. A
 * {@code CHANNEL STATUS} the transcript does not have (the session's probe after a {@code -1}) is answered as
 * Asterisk would: 511 on a dead channel, else {@code 200 result=6}.
 */
public final class TranscriptPeer implements AutoCloseable {

    public record Result(List<String> received, List<String> skipped, List<String> unexpected,
                         boolean serverHalfClosed) {
    }

    private final Transcript transcript;
    private final Socket socket;
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    private TranscriptPeer(Transcript transcript, InetSocketAddress server) throws IOException {
        this.transcript = transcript;
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 2000);
        socket.setSoTimeout(15_000);
        Thread.ofVirtual().name("transcript-peer").start(this::run);
    }

    public static TranscriptPeer start(Transcript transcript, InetSocketAddress server) throws IOException {
        return new TranscriptPeer(transcript, server);
    }

    /** Waits for the session to end (the peer saw EOF or Asterisk's side closed). */
    public Result await() throws Exception {
        return result.get(20, TimeUnit.SECONDS);
    }

    private void run() {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        boolean halfClosed = false;
        boolean dead = false;
        try {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(transcript.environment().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<Transcript.Exchange> exchanges = transcript.exchanges();
            int next = 0;
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    halfClosed = true;
                    for (String l : transcript.afterServerShutdown()) {
                        out.write(l.getBytes(StandardCharsets.UTF_8));
                    }
                    out.flush();
                    break;
                }
                String command = line + "\n";
                received.add(line);
                int match = -1;
                boolean probe = line.equals("CHANNEL STATUS")
                        && (next >= exchanges.size() || !exchanges.get(next).command().equals(command));
                for (int i = probe ? exchanges.size() : next; i < exchanges.size(); i++) {
                    if (exchanges.get(i).command().equals(command)) {
                        match = i;
                        break;
                    }
                }
                if (match < 0) {
                    if (line.equals("CHANNEL STATUS")) {
                        write(out, dead ? "511 Command Not Permitted on a dead channel or intercept routine\n"
                                : "200 result=6\n");
                    } else {
                        unexpected.add(line);
                        write(out, "510 Invalid or unknown command\n");
                    }
                    continue;
                }
                for (int i = next; i < match; i++) {
                    skipped.add(exchanges.get(i).command().strip());
                }
                Transcript.Exchange ex = exchanges.get(match);
                next = match + 1;
                for (String reply : ex.replies()) {
                    if (reply.startsWith("HANGUP")) {
                        dead = true;
                    }
                    out.write(reply.getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                if (ex.asteriskClosedAfter()) {
                    break;
                }
            }
        } catch (IOException e) {
            if (!result.isDone()) {
                unexpected.add("I/O: " + e);
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            result.complete(new Result(List.copyOf(received), List.copyOf(skipped), List.copyOf(unexpected),
                    halfClosed));
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
