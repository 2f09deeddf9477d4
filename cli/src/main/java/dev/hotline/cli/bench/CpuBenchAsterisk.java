package dev.hotline.cli.bench;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.SimulatorSummary;
import dev.hotline.simulator.dialplan.DialplanContext;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.CallerModel;
import dev.hotline.simulator.load.Distribution;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The other process of {@code hotline bench cpu}: the simulated Asterisk (and the wallboard's WebSocket client), so
 * that the engine's JVM measures only the engine. Started by {@link CpuBenchCommand} with
 * {@code --agi-port P --agents N --talk-ms T --recordings DIR [--manager-conf FILE]}; prints {@code ami-port N},
 * then obeys one command per line on stdin and answers each with one line on stdout:
 * <ul>
 *   <li>{@code ws URL} opens the live WebSocket at URL (a ticket URL) → {@code ws ok} or {@code ws failed …};</li>
 *   <li>{@code run RATE SECONDS} places RATE calls a second for SECONDS, waits (at most 120 s) until they have all
 *   ended → {@code result placed=… ended=… answered=… ami_events=… agi_commands=… ws_messages=… ws_kb=…}
 *   (the counters over this run only);</li>
 *   <li>{@code quit}.</li>
 * </ul>
 */
public final class CpuBenchAsterisk {

    static final String AMI_USER = "hotline";
    static final String AMI_SECRET = "bench-secret";

    private CpuBenchAsterisk() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int agents = Integer.parseInt(options.get("--agents"));
        Duration talk = Duration.ofMillis(Long.parseLong(options.get("--talk-ms")));
        String agi = "agi://127.0.0.1:" + options.get("--agi-port") + "/";
        AsteriskSimulator.Builder builder = AsteriskSimulator.builder()
                .amiPort(0).amiBind(InetAddress.getLoopbackAddress()).amiCredentials(AMI_USER, AMI_SECRET)
                .media(Media.everyFile(Duration.ofMillis(100))).seed(7).threads(2)
                .recordings(Path.of(options.get("--recordings")))
                .context(DialplanContext.inbound("from-pstn", agi + "cpu-bench"))
                .context(DialplanContext.redirectTarget("hotline-connect", agi + "connect?call=${EXTEN}"));
        if (options.containsKey("--manager-conf")) {
            builder.managerConf(Path.of(options.get("--manager-conf")));
        }
        EndpointBehaviour phones = new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(300)), 1.0,
                new Distribution.Fixed(talk));
        for (int i = 0; i < agents; i++) {
            builder.endpoint("PJSIP/" + (20_000 + i), phones, true);
        }
        CallerModel callers = new CallerModel(Map.of("lang/choose", Map.of('1', 1.0),
                "en/main-menu", Map.of('2', 1.0)), Map.of(), new Distribution.Fixed(Duration.ofMillis(50)),
                new Distribution.Fixed(Duration.ofHours(1)), Duration.ofHours(1));
        AtomicLong wsMessages = new AtomicLong();
        AtomicLong wsChars = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        try (AsteriskSimulator asterisk = builder.start()) {
            out.println("ami-port " + asterisk.amiPort());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            SplittableRandom random = new SplittableRandom(11);
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "ws" -> {
                        try {
                            sockets.add(HttpClient.newHttpClient().newWebSocketBuilder()
                                    .buildAsync(URI.create(words[1]), counting(wsMessages, wsChars))
                                    .get(10, TimeUnit.SECONDS));
                            out.println("ws ok");
                        } catch (Exception e) {
                            out.println("ws failed " + e);
                        }
                    }
                    case "run" -> out.println(run(asterisk, callers, random, Double.parseDouble(words[1]),
                            Double.parseDouble(words[2]), wsMessages, wsChars));
                    default -> out.println("error unknown command '" + line + "'");
                }
            }
        } finally {
            sockets.forEach(WebSocket::abort);
        }
    }

    private static String run(AsteriskSimulator asterisk, CallerModel callers, SplittableRandom random, double rate,
                              double seconds, AtomicLong wsMessages, AtomicLong wsChars) throws InterruptedException {
        SimulatorSummary before = asterisk.summary();
        long events = asterisk.amiEventsSent();
        long messages = wsMessages.get();
        long chars = wsChars.get();
        int total = (int) Math.round(rate * seconds);
        List<CompletableFuture<?>> ended = new ArrayList<>(total);
        long start = System.nanoTime();
        long gap = (long) (1e9 / rate);
        for (int i = 0; i < total; i++) {
            long due = start + i * gap;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String number = "06" + (10_000_000 + random.nextInt(90_000_000));
            SimulatedCall call = asterisk.placeCall("from-pstn", "5551234", number, "Bench",
                    callers.newCaller(random.split()));
            ended.add(call.ended());
        }
        try {
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // reported through the counts below
        }
        SimulatorSummary after = asterisk.summary();
        return String.format(Locale.ROOT, "result placed=%d ended=%d answered=%d ami_events=%d agi_commands=%d"
                        + " ws_messages=%d ws_kb=%.1f", total, ended.stream().filter(CompletableFuture::isDone).count(),
                after.dialsAnswered() - before.dialsAnswered(), asterisk.amiEventsSent() - events,
                after.agiCommands() - before.agiCommands(), wsMessages.get() - messages,
                (wsChars.get() - chars) / 1024.0);
    }

    private static WebSocket.Listener counting(AtomicLong messages, AtomicLong chars) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                chars.addAndGet(data.length());
                if (last) {
                    messages.incrementAndGet();
                }
                ws.request(1);
                return null;
            }
        };
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--agi-port", "--agents", "--talk-ms", "--recordings")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("cpu-bench simulator: missing " + required);
            }
        }
        return options;
    }
}
