package dev.hotline.bench.agi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The FastAGI load client: plays Asterisk for many concurrent sessions over loopback. Runs in its own JVM
 * (started by {@link AgiBenchCommand}) so the servers' threads, heap and file descriptors are measured alone.
 *
 * <p>Each session sends a realistic {@code agi_*} environment (the keys and order of Asterisk 22.10) and
 * answers every command at once with the reply Asterisk gives (ANSWER {@code 200 result=0}, STREAM FILE
 * {@code 200 result=0 endpos=8000}, …). At the server's EOF it writes the final {@code HANGUP} and closes, as
 * Asterisk does. It measures the server's turnaround: from writing a reply to receiving the next command.
 *
 * <p>Modes (first argument):
 * <ul>
 *   <li>{@code throughput PORT SESSIONS CONCURRENCY}: prints
 *       {@code RESULT sessions=… failed=… seconds=… p50_us=… p99_us=… commands=…}.</li>
 *   <li>{@code hold PORT SESSIONS SECONDS}: opens that many sessions and leaves each in {@code WAIT FOR DIGIT};
 *       prints {@code HELD n refused=m} once every attempt has been held or refused (or after SECONDS), then waits
 *       for a line on stdin and releases them all.</li>
 * </ul>
 */
public final class AgiLoadClient {

    private static final String ENV = """
            agi_network: yes
            agi_network_script: bench
            agi_request: agi://127.0.0.1:%d/bench
            agi_channel: PJSIP/trunk-%08x
            agi_language: en
            agi_type: PJSIP
            agi_uniqueid: 1795436507.%d
            agi_version: 22.10.1
            agi_callerid: 0612345678
            agi_calleridname: PSTN Caller
            agi_callingpres: 0
            agi_callingani2: 0
            agi_callington: 0
            agi_callingtns: 0
            agi_dnid: 5551234
            agi_rdnis: unknown
            agi_context: from-pstn
            agi_extension: 5551234
            agi_priority: 1
            agi_enhanced: 0.0
            agi_accountcode:\s
            agi_threadid: 139738653398720

            """;

    private final int port;
    private final long[] turnaroundNanos;
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();

    private AgiLoadClient(int port, int maxSamples) {
        this.port = port;
        this.turnaroundNanos = new long[maxSamples];
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        int sessions = Integer.parseInt(args[2]);
        int third = Integer.parseInt(args[3]);
        if (mode.equals("throughput")) {
            new AgiLoadClient(port, Math.min(sessions * 12, 5_000_000)).throughput(sessions, third);
        } else {
            new AgiLoadClient(port, 1).hold(sessions, third);
        }
        System.exit(0);
    }

    private void throughput(int sessions, int concurrency) throws InterruptedException {
        Semaphore slots = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(sessions);
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            slots.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    if (!session(null, null)) {
                        failed.incrementAndGet();
                    }
                } finally {
                    slots.release();
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        int n = Math.min(samples.get(), turnaroundNanos.length);
        long[] sorted = Arrays.copyOf(turnaroundNanos, n);
        Arrays.sort(sorted);
        System.out.printf(java.util.Locale.ROOT, "RESULT sessions=%d failed=%d seconds=%.3f p50_us=%.1f p99_us=%.1f commands=%d client_cpu_ms=%d%n",
                sessions - failed.get(), failed.get(), seconds, percentile(sorted, 0.50) / 1e3,
                percentile(sorted, 0.99) / 1e3, commands.get(),
                ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000);
    }

    private void hold(int sessions, int seconds) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch settled = new CountDownLatch(sessions);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Semaphore connecting = new Semaphore(200);
        CountDownLatch finished = new CountDownLatch(sessions);
        for (int i = 0; i < sessions; i++) {
            connecting.acquire();
            Thread.ofVirtual().start(() -> {
                boolean[] counted = {false};
                try {
                    boolean ok = session(() -> {
                        held.incrementAndGet();
                        counted[0] = true;
                        connecting.release();
                        settled.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, connecting);
                    if (!ok && !counted[0]) {
                        refused.incrementAndGet();
                    }
                } finally {
                    if (!counted[0]) {
                        connecting.release();
                        settled.countDown();
                    }
                    finished.countDown();
                }
            });
        }
        settled.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        System.out.println("HELD " + held.get() + " refused=" + refused.get());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        release.countDown();
        finished.await(120, java.util.concurrent.TimeUnit.SECONDS);
        System.out.println("RELEASED");
    }

    /**
     * Runs one session. {@code onWait}, if given, runs when the server sends WAIT FOR DIGIT (before replying).
     * Returns true when the session ran to the server's EOF.
     */
    private boolean session(Runnable onWait, Semaphore unused) {
        int id = ids.incrementAndGet();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(120_000);
            OutputStream out = s.getOutputStream();
            InputStream raw = s.getInputStream();
            out.write(ENV.formatted(port, id, id).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(raw, StandardCharsets.US_ASCII), 1024);
            long repliedAt = 0;
            int mine = 0;
            String line;
            while ((line = in.readLine()) != null) {
                long now = System.nanoTime();
                if (repliedAt != 0) {
                    int i = samples.getAndIncrement();
                    if (i < turnaroundNanos.length) {
                        turnaroundNanos[i] = now - repliedAt;
                    }
                }
                commands.incrementAndGet();
                mine++;
                if (onWait != null && line.startsWith("WAIT FOR DIGIT")) {
                    onWait.run();
                }
                out.write(reply(line));
                out.flush();
                repliedAt = System.nanoTime();
            }
            // The server closed its side: Asterisk writes one more HANGUP and closes. A server that closed hard
            // (instead of half-closing) makes this write fail; that is the server's choice, not a failed session.
            try {
                out.write("HANGUP\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException ignored) {
                // see above
            }
            return mine > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static final byte[] R0 = "200 result=0\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] R1 = "200 result=1\n".getBytes(StandardCharsets.US_ASCII);

    private static byte[] reply(String command) {
        String c = command.toUpperCase(java.util.Locale.ROOT);
        String r;
        if (c.startsWith("ANSWER") || c.startsWith("SAY") || c.startsWith("EXEC") || c.startsWith("SET MUSIC")) {
            return R0;
        } else if (c.startsWith("SET VARIABLE") || c.startsWith("VERBOSE")) {
            return R1;
        } else if (c.startsWith("STREAM FILE")) {
            r = "200 result=0 endpos=8000\n";
        } else if (c.startsWith("GET DATA")) {
            r = "200 result=1234\n";
        } else if (c.startsWith("GET VARIABLE")) {
            r = "200 result=1 (gold)\n";
        } else if (c.startsWith("GET FULL VARIABLE")) {
            r = "200 result=1 (PJSIP/trunk-00000001)\n";
        } else if (c.startsWith("WAIT FOR DIGIT")) {
            r = "200 result=49\n";
        } else if (c.startsWith("CHANNEL STATUS")) {
            r = "200 result=6\n";
        } else {
            r = "510 Invalid or unknown command\n";
        }
        return r.getBytes(StandardCharsets.US_ASCII);
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)];
    }
}
