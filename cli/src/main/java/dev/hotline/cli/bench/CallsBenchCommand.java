package dev.hotline.cli.bench;

import dev.hotline.events.CallEvent;
import dev.hotline.cli.Main;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.CallerModel;
import dev.hotline.simulator.load.Distribution;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code hotline bench calls}: the simulator drives N concurrent calls through IVR → queue → agent → wrap-up
 * against the engine over loopback, keeping N calls up (a finished call is replaced at once), and reports
 * completed calls/s, concurrent calls held, protocol errors, the p99 delay from an agent becoming free to the
 * Dial being sent, CPU and heap.
 */
@Command(name = "calls", mixinStandardHelpOptions = true,
        description = "End-to-end load: N concurrent simulated calls through IVR, queue, agent and wrap-up.")
public final class CallsBenchCommand implements Callable<Integer> {

    @Option(names = "--concurrent", defaultValue = "5000", description = "Calls kept up at once (default: ${DEFAULT-VALUE}).")
    int concurrent;

    @Option(names = "--duration", defaultValue = "60s", description = "Measured time after the ramp-up (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--ramp", defaultValue = "20s", description = "Time to bring the calls up (default: ${DEFAULT-VALUE}).")
    String ramp;

    @Option(names = "--agents", defaultValue = "200", description = "Simulated agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--talk", defaultValue = "3s", description = "Talk time of each answered call (default: ${DEFAULT-VALUE}).")
    String talk;

    @Option(names = "--mode", defaultValue = "load", description = "load: the staffing sets the pace (1 s wrap-up);"
            + " free: every caller finds a free agent (at least 2 agents per call up), reports queue node -> Dial;"
            + " busy: callers always wait, no wrap-up, reports agent hang-up -> next caller's Dial"
            + " (default: ${DEFAULT-VALUE}).")
    String mode;

    /** The agent legs' hang-ups and the next Dial of the same phone, seen on the simulator's AMI event stream. */
    static final class FreeToDial implements dev.hotline.simulator.ami.EventSink {
        private final dev.hotline.simulator.ami.EventSink next;
        private final java.util.concurrent.ConcurrentHashMap<String, Long> hungUp = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ConcurrentLinkedQueue<Long> samples = new java.util.concurrent.ConcurrentLinkedQueue<>();
        volatile boolean measuring;

        FreeToDial(dev.hotline.simulator.ami.EventSink next) {
            this.next = next;
        }

        @Override
        public void publish(java.util.function.Supplier<dev.hotline.simulator.ami.AmiMessage> event) {
            long now = System.nanoTime();
            var m = event.get();
            String name = m.get("Event").orElse("");
            if (name.equals("Hangup")) {
                String ch = m.get("Channel").orElse("");
                if (ch.startsWith("PJSIP/2")) {
                    hungUp.put(endpoint(ch), now);
                }
            } else if (name.equals("DialBegin")) {
                Long at = hungUp.remove(endpoint(m.get("DestChannel").orElse("")));
                if (at != null && measuring) {
                    samples.add(now - at);
                }
            }
            next.publish(() -> m);
        }

        static String endpoint(String channel) {
            int dash = channel.lastIndexOf('-');
            return dash < 0 ? channel : channel.substring(0, dash);
        }

        long[] sorted() {
            return samples.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    @Override
    public Integer call() throws Exception {
        Duration measure = parse("--duration", duration);
        Duration rampUp = parse("--ramp", ramp);
        Duration talkTime = parse("--talk", talk);
        if (concurrent < 1 || agents < 1) {
            System.err.println("calls-bench: --concurrent and --agents must be >= 1");
            return 2;
        }
        if (!List.of("load", "free", "busy").contains(mode)) {
            System.err.println("calls-bench: --mode '" + mode + "' (expected: load, free or busy)");
            return 2;
        }
        if (mode.equals("free")) {
            agents = Math.max(agents, 2 * concurrent);
        }
        Duration wrapUp = mode.equals("busy") ? Duration.ZERO : Duration.ofSeconds(1);
        ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
        HotlineConfig base = loader.load(Main.home().resolve("config/hotline.yaml")).resolvedAgainst(Main.home());
        // Queues as configured, but with a 1 s wrap-up and a long max wait: the load is the point, not timeouts.
        List<QueueConfig> queues = base.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(),
                q.priority(), q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofHours(1), 100_000,
                wrapUp, q.ringTimeout(), q.strategy(), q.onTimeout(), q.exitKeys(), List.of())).toList();
        HotlineConfig config = new HotlineConfig(base.source(), base.engineName(), base.agi(), base.amiServers(),
                DemoWorld.embeddedDatabase(Files.createTempDirectory("hotline-bench-calls")), base.ivrScripts(),
                Main.home().resolve("config/demo/calendars"), queues,
                new AcdConfig(base.acd().connectContext(), base.acd().mohClass(), Duration.ofSeconds(30), ""),
                base.agentsFile());
        List<AgentConfig> staff = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String id = Integer.toString(20_000 + i);
            staff.add(new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id),
                    Map.of("sales", 5, "support", 5, "billing", 5, "operator", 5), Set.of("bench"), "bench",
                    Set.of("en", "fr")));
        }
        EndpointBehaviour phones = new EndpointBehaviour(new Distribution.Fixed(Duration.ofMillis(300)), 1.0,
                new Distribution.Fixed(talkTime));
        System.out.printf(Locale.ROOT, "calls-bench: mode %s, %d concurrent calls, %d agents, talk %s, ramp %s, measure %s;"
                + " %d cores, %s%n", mode, concurrent, agents, talk, ramp, duration,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        AtomicLong completed = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        try (DemoWorld world = DemoWorld.start(config, staff, phones, Media.everyFile(Duration.ofMillis(100)), 11,
                Main.version())) {
            if (!world.awaitAmi(Duration.ofSeconds(10))) {
                System.err.println("calls-bench: the engine could not log in to the simulator's AMI");
                return 1;
            }
            world.engine().acd().addListener(e -> {
                if (e instanceof CallEvent.Ended) {
                    completed.incrementAndGet();
                } else if (e instanceof CallEvent.Answered) {
                    answered.incrementAndGet();
                }
            });
            FreeToDial freeToDial = new FreeToDial(world.asterisk().pbx().events());
            world.asterisk().pbx().setEvents(freeToDial);
            world.engine().acd().loginAllReady();
            CallerModel callers = new CallerModel(Map.of(
                    "lang/choose", Map.of('1', 1.0),
                    "en/main-menu", Map.of('1', 0.34, '2', 0.33, '0', 0.33)),
                    Map.of(), new Distribution.Fixed(Duration.ofMillis(50)),
                    new Distribution.Fixed(Duration.ofHours(2)), Duration.ofHours(2));
            SplittableRandom random = new SplittableRandom(5);
            AtomicInteger up = new AtomicInteger();
            AtomicLong placed = new AtomicLong();
            long rampEnd = System.nanoTime() + rampUp.toNanos();
            long end = rampEnd + measure.toNanos();
            long peak = 0;
            long completedAtRampEnd = -1;
            long cpuAtRampEnd = 0;
            double peakHeapMb = 0;
            int held = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long allowed = now >= rampEnd ? concurrent
                        : concurrent - (long) ((double) (rampEnd - now) / rampUp.toNanos() * concurrent);
                while (up.get() < allowed) {
                    up.incrementAndGet();
                    placed.incrementAndGet();
                    String number = "06" + (10_000_000 + random.nextInt(90_000_000));
                    SimulatedCall call = world.asterisk().placeCall("from-pstn", "5551234", number, "Bench",
                            callers.newCaller(random.split()));
                    call.ended().whenComplete((cause, error) -> up.decrementAndGet());
                }
                if (now >= rampEnd && completedAtRampEnd < 0) {
                    completedAtRampEnd = completed.get();
                    cpuAtRampEnd = processCpuNanos();
                    freeToDial.measuring = true;
                }
                held = Math.max(held, world.engine().activeSessions());
                peak = Math.max(peak, up.get());
                peakHeapMb = Math.max(peakHeapMb, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
                        / 1048576.0);
                Thread.sleep(50);
            }
            double seconds = measure.toNanos() / 1e9;
            long done = completed.get() - Math.max(0, completedAtRampEnd);
            double cpuSeconds = (processCpuNanos() - cpuAtRampEnd) / 1e9;
            Timer dispatch = world.engine().metrics().registry().find("hotline.acd.dispatch").timer();
            double p99 = dispatch == null ? 0 : percentile(dispatch, 0.99);
            double errors = count(world, "hotline.agi.protocol.errors") + count(world, "hotline.agi.sessions.ended",
                    "outcome", "error") + count(world, "hotline.agi.sessions.ended", "outcome", "timeout");
            System.gc();
            double liveHeapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
            System.out.printf(Locale.ROOT, "  placed %d calls; concurrent calls up (peak) %d; FastAGI sessions held"
                    + " (peak) %d%n", placed.get(), peak, held);
            System.out.printf(Locale.ROOT, "  completed %d calls in %.0f s = %.1f calls/s; answered %d in total%n", done,
                    seconds, done / seconds, answered.get());
            System.out.printf(Locale.ROOT, "  dispatch (offer -> Dial sent): p50 %.2f ms, p99 %.2f ms over %d offers%n",
                    dispatch == null ? 0 : percentile(dispatch, 0.5), p99, dispatch == null ? 0 : dispatch.count());
            Timer entry = world.engine().metrics().registry().find("hotline.acd.dispatch.entry").timer();
            double entryP50 = entry == null ? 0 : percentile(entry, 0.5);
            double entryP99 = entry == null ? 0 : percentile(entry, 0.99);
            System.out.printf(Locale.ROOT, "  free agent (queue node -> Dial sent): p50 %.2f ms, p99 %.2f ms over %d calls%n",
                    entryP50, entryP99, entry == null ? 0 : entry.count());
            long[] busy = freeToDial.sorted();
            double busyP50 = busy.length == 0 ? 0 : busy[(int) Math.min(busy.length - 1, Math.floor(0.5 * busy.length))] / 1e6;
            double busyP99 = busy.length == 0 ? 0 : busy[(int) Math.min(busy.length - 1, Math.floor(0.99 * busy.length))] / 1e6;
            System.out.printf(Locale.ROOT, "  agent hang-up -> next Dial of that phone (simulator's clock): p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms over %d%n", busyP50, busyP99,
                    busy.length == 0 ? 0 : busy[busy.length - 1] / 1e6, busy.length);
            System.out.printf(Locale.ROOT, "  AMI redirects %.0f (failed %.0f); AGI commands per call %.1f%n",
                    count(world, "hotline.acd.redirects"), count(world, "hotline.acd.redirect.failures"),
                    world.asterisk().pbx().stats().agiCommands.sum()
                            / (double) Math.max(1, world.asterisk().pbx().stats().callsStarted.sum()));
            System.out.printf(Locale.ROOT, "  protocol errors / failed sessions: %.0f%n", errors);
            System.out.printf(Locale.ROOT, "  CPU %.1f s over %.0f s (%.0f%% of %d cores; engine + simulator in one"
                            + " JVM); heap peak %.0f MB, live after GC %.0f MB%n", cpuSeconds, seconds,
                    100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors(), peakHeapMb, liveHeapMb);
            System.out.printf(Locale.ROOT, "calls-bench: mode=%s concurrent=%d completed_per_s=%.1f errors=%.0f"
                    + " p99_dispatch_ms=%.2f p50_entry_dial_ms=%.2f p99_entry_dial_ms=%.2f"
                    + " p50_hangup_dial_ms=%.2f p99_hangup_dial_ms=%.2f heap_live_mb=%.0f cpu_pct=%.0f%n", mode, held,
                    done / seconds, errors, p99, entryP50, entryP99, busyP50, busyP99, liveHeapMb,
                    100 * cpuSeconds / seconds / Runtime.getRuntime().availableProcessors());
        }
        return 0;
    }

    private static double percentile(Timer timer, double p) {
        for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
            if (Math.abs(v.percentile() - p) < 1e-9) {
                return v.value(TimeUnit.MILLISECONDS);
            }
        }
        // Histogram buckets: the smallest bucket bound covering p of the samples.
        var h = timer.takeSnapshot().histogramCounts();
        long total = timer.count();
        for (var bucket : h) {
            if (bucket.count() >= p * total) {
                return bucket.bucket(TimeUnit.MILLISECONDS);
            }
        }
        return timer.max(TimeUnit.MILLISECONDS);
    }

    private static double count(DemoWorld world, String name, String... tags) {
        var search = world.engine().metrics().registry().find(name);
        if (tags.length == 2) {
            search = search.tag(tags[0], tags[1]);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Duration parse(String option, String text) {
        return dev.hotline.yaml.Fields.parseDuration(text).filter(d -> !d.isZero()).orElseThrow(() ->
                new IllegalArgumentException(option + ": '" + text + "' (expected: a duration such as 30s or 5m)"));
    }
}
