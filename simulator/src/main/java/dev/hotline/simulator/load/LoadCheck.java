package dev.hotline.simulator.load;

import dev.hotline.simulator.AsteriskSimulator;
import dev.hotline.simulator.CallerBehaviour;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.dialplan.DialplanContext;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The concurrency check: N simulated calls held open at once, each in a FastAGI session parked in
 * {@code WAIT FOR DIGIT} on a {@link HoldingAgiServer} in the same JVM. Reports the CPU time of the simulator's own
 * event-loop threads (by thread name) while placing and while holding, and the heap in use after a full GC before
 * and with the calls up. Usage: {@code LoadCheck [calls=5000] [holdSeconds=30] [simulatorThreads=2]}.
 */
public final class LoadCheck {

    private LoadCheck() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int holdSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        try (HoldingAgiServer server = HoldingAgiServer.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
             AsteriskSimulator asterisk = AsteriskSimulator.builder().amiPort(-1).threads(threads)
                     .context(DialplanContext.inbound("from-pstn",
                             "agi://127.0.0.1:" + server.port() + "/main-menu"))
                     .start()) {
            long heapBefore = usedHeapAfterGc(memory);
            long cpu0 = simulatorCpuNanos(threadBean);
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                asterisk.placeCall("from-pstn", "5551234", "06" + (10_000_000 + i), "Load Caller", patientCaller());
                if (i % 500 == 499) {
                    Thread.sleep(100);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (server.waiting() < calls && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            double rampSeconds = (System.nanoTime() - start) / 1e9;
            long cpu1 = simulatorCpuNanos(threadBean);
            System.out.printf("calls in WAIT FOR DIGIT: %d of %d after %.1f s (ramp CPU of simulator threads: %.2f s)%n",
                    server.waiting(), calls, rampSeconds, (cpu1 - cpu0) / 1e9);
            Thread.sleep(holdSeconds * 1000L);
            long cpu2 = simulatorCpuNanos(threadBean);
            long heapWith = usedHeapAfterGc(memory);
            System.out.printf("held %d s: simulator threads CPU %.3f s = %.2f%% of one core; still waiting: %d%n",
                    holdSeconds, (cpu2 - cpu1) / 1e9, 100.0 * (cpu2 - cpu1) / (holdSeconds * 1e9), server.waiting());
            System.out.printf("heap after GC: before calls %.1f MiB, with %d calls %.1f MiB (+%.1f KiB per call, "
                            + "holding server included)%n", heapBefore / 1048576.0, calls, heapWith / 1048576.0,
                    (heapWith - heapBefore) / 1024.0 / calls);
            System.out.println("summary: " + asterisk.summary().oneLine());
        }
    }

    private static CallerBehaviour patientCaller() {
        return new CallerBehaviour() {
            @Override
            public Reaction onPrompt(String file) {
                return Reaction.NOTHING;
            }

            @Override
            public Reaction onWait() {
                return Reaction.NOTHING;
            }

            @Override
            public Optional<Duration> hangUpAfter() {
                return Optional.empty();
            }
        };
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long simulatorCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("simulator-")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, cpu);
            }
        }
        return total;
    }
}
