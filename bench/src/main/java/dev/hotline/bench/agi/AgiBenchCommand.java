package dev.hotline.bench.agi;

import dev.hotline.agi.server.AgiMetrics;
import dev.hotline.agi.server.AgiScripts;
import dev.hotline.agi.server.AgiServer;
import dev.hotline.config.AgiConfig;
import org.asteriskjava.fastagi.DefaultAgiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * {@code hotline bench agi}: Hotline's FastAGI server against asterisk-java's {@code DefaultAgiServer}, same
 * script, same load, same run. The load client runs in a child JVM ({@link AgiLoadClient}) so this JVM holds
 * only the servers: its peak thread count and heap are theirs.
 *
 * <p>Two phases per server: throughput (SESSIONS sessions, CONCURRENCY at a time, each ten commands answered at
 * once) and hold (HOLD sessions opened and left waiting in {@code WAIT FOR DIGIT}, to find how many concurrent
 * sessions the server keeps open, and the live heap that costs).
 */
@Command(name = "agi", mixinStandardHelpOptions = true,
        description = "FastAGI benchmark: Hotline's server vs asterisk-java's DefaultAgiServer, same script and load.")
public final class AgiBenchCommand implements Callable<Integer> {

    @Option(names = "--sessions", defaultValue = "20000", description = "Sessions in the throughput phase (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--concurrency", defaultValue = "1000", description = "Sessions open at once in the throughput phase (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--hold", defaultValue = "10000", description = "Sessions to open and hold in the hold phase; 0 skips it (default: ${DEFAULT-VALUE}).")
    int hold;

    @Option(names = "--warmup", defaultValue = "5000", description = "Warm-up sessions per server before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--no-asterisk-java", description = "Measure Hotline only.")
    boolean hotlineOnly;

    record Phase(double sessionsPerSecond, int completed, int failed, double p50Us, double p99Us, int peakThreads,
                 long peakHeapMb, double serverCpuUsPerSession, double clientCpuUsPerSession) {
    }

    record Hold(int held, int refused, int serverSessions, long liveHeapMb, int threads) {
    }

    @Override
    public Integer call() throws Exception {
        if (sessions < 1 || concurrency < 1 || hold < 0 || warmup < 0) {
            System.err.println("agi-bench: --sessions and --concurrency must be >= 1, --hold and --warmup >= 0");
            return 2;
        }
        quietAsteriskJava();
        System.out.printf(Locale.ROOT, "agi-bench: %d sessions x 10 commands, %d concurrent; hold %d; %d cores; %s%n",
                sessions, concurrency, hold, Runtime.getRuntime().availableProcessors(), Runtime.version());
        Phase hotline;
        Hold hotlineHold;
        AgiConfig cfg = new AgiConfig("127.0.0.1", 0, AgiConfig.DEFAULTS.allow(), Math.max(hold, concurrency) + 1000,
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5), 8192, 16384);
        AgiServer server = new AgiServer(cfg, new AgiScripts().register("bench", BenchScripts.HOTLINE), AgiMetrics.NONE);
        try {
            int port = server.start().getPort();
            hotline = measure("hotline", port, server::activeSessions);
            hotlineHold = hold > 0 ? holdPhase("hotline", port, server::activeSessions) : null;
        } finally {
            server.close(Duration.ofSeconds(5));
        }

        Phase ajava = null;
        Hold ajavaHold = null;
        if (!hotlineOnly) {
            int port = freePort();
            DefaultAgiServer aj = new DefaultAgiServer(new BenchScripts.AsteriskJava());
            aj.setPort(port);
            aj.setAddress(InetAddress.getLoopbackAddress());
            Thread accept = Thread.ofPlatform().daemon().name("asterisk-java-accept").start(() -> {
                try {
                    aj.startup();
                } catch (IOException | IllegalStateException e) {
                    System.err.println("agi-bench: asterisk-java server failed: " + e);
                }
            });
            waitForPort(port);
            try {
                ajava = measure("asterisk-java", port, aj::getPoolActiveThreadCount);
                ajavaHold = hold > 0 ? holdPhase("asterisk-java", port, aj::getPoolActiveThreadCount) : null;
            } finally {
                aj.shutdown();
                accept.join(5000);
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %12s %8s %10s %10s %12s %14s %18s%n", "server", "sessions/s", "failed",
                "p50 (us)", "p99 (us)", "peak threads", "peak heap (MB)", "server CPU/session");
        System.out.println("(load client CPU per session: hotline run " + Math.round(hotline.clientCpuUsPerSession())
                + " us" + (ajava == null ? "" : ", asterisk-java run " + Math.round(ajava.clientCpuUsPerSession()) + " us")
                + ")");
        row("hotline", hotline);
        if (ajava != null) {
            row("asterisk-java", ajava);
        }
        if (hold > 0) {
            System.out.println();
            System.out.printf(Locale.ROOT, "%-14s %10s %10s %16s %16s %10s%n", "server", "held", "refused",
                    "server sessions", "live heap (MB)", "threads");
            holdRow("hotline", hotlineHold);
            if (ajavaHold != null) {
                holdRow("asterisk-java", ajavaHold);
            }
        }
        System.out.println();
        if (ajava != null) {
            System.out.printf(Locale.ROOT, "agi-bench: hotline=%.0f asterisk-java=%.0f ratio=%.2f%n",
                    hotline.sessionsPerSecond(), ajava.sessionsPerSecond(),
                    hotline.sessionsPerSecond() / Math.max(1e-9, ajava.sessionsPerSecond()));
        } else {
            System.out.printf(Locale.ROOT, "agi-bench: hotline=%.0f asterisk-java=skipped ratio=n/a%n",
                    hotline.sessionsPerSecond());
        }
        return 0;
    }

    private static void row(String name, Phase p) {
        System.out.printf(Locale.ROOT, "%-14s %12.0f %8d %10.1f %10.1f %12d %14d %15.0f us%n", name,
                p.sessionsPerSecond(), p.failed(), p.p50Us(), p.p99Us(), p.peakThreads(), p.peakHeapMb(),
                p.serverCpuUsPerSession());
    }

    private static void holdRow(String name, Hold h) {
        System.out.printf(Locale.ROOT, "%-14s %10d %10d %16d %16d %10d%n", name, h.held(), h.refused(),
                h.serverSessions(), h.liveHeapMb(), h.threads());
    }

    private Phase measure(String name, int port, IntSupplier active) throws Exception {
        if (warmup > 0) {
            System.out.printf("  %s: warm-up (%d sessions)...%n", name, warmup);
            client("throughput", port, warmup, Math.min(concurrency, warmup));
        }
        System.out.printf("  %s: measuring %d sessions...%n", name, sessions);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.gc();
        threads.resetPeakThreadCount();
        HeapSampler heap = new HeapSampler();
        Map<String, String> r;
        long cpuBefore = processCpuNanos();
        try {
            r = client("throughput", port, sessions, concurrency);
        } finally {
            heap.stop();
        }
        long serverCpu = processCpuNanos() - cpuBefore;
        int completed = Integer.parseInt(r.get("sessions"));
        double seconds = Double.parseDouble(r.get("seconds"));
        return new Phase(completed / seconds, completed, Integer.parseInt(r.get("failed")),
                Double.parseDouble(r.get("p50_us")), Double.parseDouble(r.get("p99_us")),
                threads.getPeakThreadCount(), heap.peakMb(), serverCpu / 1e3 / Math.max(1, completed),
                Double.parseDouble(r.get("client_cpu_ms")) * 1e3 / Math.max(1, completed));
    }

    private Hold holdPhase(String name, int port, IntSupplier active) throws Exception {
        System.out.printf("  %s: opening %d sessions and holding them in WAIT FOR DIGIT...%n", name, hold);
        Process p = startClient("hold", port, hold, 90);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("HELD")) {
                System.out.println("    client: " + line);
            }
            if (line == null) {
                throw new IllegalStateException("load client ended early (exit " + p.waitFor() + ")");
            }
            String[] parts = line.split(" ");
            int held = Integer.parseInt(parts[1]);
            int refused = Integer.parseInt(parts[2].substring("refused=".length()));
            int serverSessions = active.getAsInt();
            long live = liveHeapMb();
            int threadCount = ManagementFactory.getThreadMXBean().getThreadCount();
            in.write("release\n");
            in.flush();
            while ((line = out.readLine()) != null && !line.startsWith("RELEASED")) {
                System.out.println("    client: " + line);
            }
            p.waitFor();
            return new Hold(held, refused, serverSessions, live, threadCount);
        } finally {
            p.destroy();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long liveHeapMb() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return mem.getHeapMemoryUsage().getUsed() >> 20;
    }

    private Map<String, String> client(String mode, int port, int n, int c) throws Exception {
        Process p = startClient(mode, port, n, c);
        Map<String, String> result = null;
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = new java.util.HashMap<>();
                    for (String kv : line.substring(7).split(" ")) {
                        String[] pair = kv.split("=", 2);
                        result.put(pair[0], pair[1]);
                    }
                } else {
                    other.add(line);
                }
            }
        }
        int exit = p.waitFor();
        if (result == null) {
            throw new IllegalStateException("load client failed (exit " + exit + "): " + String.join(" | ", other));
        }
        return result;
    }

    private static Process startClient(String mode, int port, int n, int c) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "-Xss256k", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
                AgiLoadClient.class.getName(), mode, Integer.toString(port), Integer.toString(n), Integer.toString(c));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                s.getOutputStream().write("agi_network: yes\nagi_network_script: probe\n\n".getBytes(StandardCharsets.US_ASCII));
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("asterisk-java server did not start on port " + port);
    }

    private static void quietAsteriskJava() {
        if (org.slf4j.LoggerFactory.getLogger("org.asteriskjava") instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.OFF);
        }
    }

    /** Samples heap use every 10 ms and keeps the peak. */
    private static final class HeapSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        HeapSampler() {
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            thread = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
                while (running) {
                    peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        long peakMb() {
            return peak.get() >> 20;
        }
    }
}
