package dev.hotline.bench.route;

import dev.hotline.routing.Agent;
import dev.hotline.routing.Call;
import dev.hotline.routing.Command;
import dev.hotline.routing.Decision;
import dev.hotline.routing.QueueSpec;
import dev.hotline.routing.RoutingCore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Throughput and latency of the routing core's two hot events in a loaded contact centre.
 *
 * <p>Set-up per size: {@code skills} queues, queue {@code q<i>} requiring skill {@code s<i>}; agent {@code i} holds
 * the {@code --skills-per-agent} skills from {@code s<i × skills-per-agent>} on (mod skills), at random levels;
 * {@code waiting + agents} calls queued at
 * random, then every agent made ready and answering the call the core offers, which leaves about {@code waiting}
 * calls queued and every agent on a call. Then a loop, first for the warm-up, then measured:
 * <ol>
 * <li><b>agent becomes ready</b>: a random agent's call ends (no wrap-up), so the core picks the call most at risk
 * among that agent's queues and offers it — timed;</li>
 * <li>the agent answers (untimed);</li>
 * <li><b>call arrives</b>: a new call joins a random queue; it queues, or is offered at once if an eligible agent
 * happens to be ready — timed.</li>
 * </ol>
 * The waiting count and the number of agents stay constant, so every measured event sees the same load. Each timed
 * event is one {@code handle} call bracketed by {@link System#nanoTime()}; the fake clock moves 1 ms per loop.
 * Two rates, both counting only the two timed events: per <em>CPU</em> second of the loop thread
 * ({@link ThreadMXBean#getCurrentThreadCpuTime()}; the figure of the final line) and per <em>wall</em> second. Both
 * denominators include the whole loop (untimed answers, the harness's own work), so they are floors. On a quiet
 * machine they agree; on a shared one the wall rate also counts the time the OS gave the CPU to other processes.
 * Percentiles are nearest-rank over the sorted latencies.
 */
@CommandLine.Command(name = "route", mixinStandardHelpOptions = true,
        description = "Routing core: decisions/s and latency for 'agent becomes ready' and 'call arrives'.")
public final class RouteBenchCommand implements Callable<Integer> {

    @CommandLine.Option(names = "--agents", split = ",", defaultValue = "100,1000,10000",
            description = "Agent counts to run, comma-separated (default: ${DEFAULT-VALUE}).")
    int[] agents;

    @CommandLine.Option(names = "--skills", defaultValue = "200",
            description = "Skills, one queue each (default: ${DEFAULT-VALUE}).")
    int skills;

    @CommandLine.Option(names = "--skills-per-agent", defaultValue = "4",
            description = "Distinct skills per agent (default: ${DEFAULT-VALUE}).")
    int skillsPerAgent;

    @CommandLine.Option(names = "--calls", defaultValue = "5000",
            description = "Calls kept waiting throughout (default: ${DEFAULT-VALUE}).")
    int calls;

    @CommandLine.Option(names = "--seconds", defaultValue = "5",
            description = "Measured seconds per agent count (default: ${DEFAULT-VALUE}).")
    double seconds;

    @CommandLine.Option(names = "--warmup", defaultValue = "3",
            description = "Warm-up seconds per agent count (default: ${DEFAULT-VALUE}).")
    double warmup;

    @CommandLine.Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RouteBenchCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (skillsPerAgent > skills) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--skills-per-agent: " + skillsPerAgent
                    + " (expected: <= --skills = " + skills + ")");
        }
        out.printf("route-bench: %d skills (one queue each), %d skills per agent, %d calls waiting, "
                + "%.1f s warm-up + %.1f s measured per size, %d cores, %s%n", skills, skillsPerAgent, calls,
                warmup, seconds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf("%7s %8s | %8s %8s %8s | %8s %8s %8s | %12s %8s %12s%n", "agents", "waiting",
                "ready", "p50_us", "p99_us", "arrive", "p50_us", "p99_us", "events/cpu_s", "p99_us", "events/wall_s");
        Result last = null;
        for (int n : agents) {
            Result r = new Run(n).measure();
            Latencies both = r.both();
            out.printf("%7d %8d | %8d %8.2f %8.2f | %8d %8.2f %8.2f | %12.0f %8.2f %12.0f%n", n, r.waiting,
                    r.ready.count, r.ready.percentile(50), r.ready.percentile(99), r.arrive.count,
                    r.arrive.percentile(50), r.arrive.percentile(99), r.perCpuSecond(), both.percentile(99),
                    r.perWallSecond());
            out.flush();
            if (last == null || n >= last.agents) {
                last = r;
            }
        }
        if (last != null) {
            Latencies both = last.both();
            out.printf("route-bench: agents=%d decisions_per_s=%d p99_us=%d%n", last.agents,
                    Math.round(last.perCpuSecond()), (long) Math.ceil(both.percentile(99)));
        }
        return 0;
    }

    /** Latencies of one kind of event, nanoseconds. */
    private static final class Latencies {
        private long[] nanos = new long[1 << 16];
        private int count;
        private boolean sorted;

        void add(long n) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = n;
            sorted = false;
        }

        /** The nearest-rank percentile, microseconds. */
        double percentile(double p) {
            if (count == 0) {
                return 0;
            }
            sort();
            int rank = (int) Math.ceil(p / 100 * count);
            return nanos[Math.max(0, rank - 1)] / 1e3;
        }

        double max() {
            return percentile(100);
        }

        private void sort() {
            if (!sorted) {
                Arrays.sort(nanos, 0, count);
                sorted = true;
            }
        }

        static Latencies merge(Latencies a, Latencies b) {
            Latencies m = new Latencies();
            m.nanos = Arrays.copyOf(a.nanos, a.count + b.count);
            System.arraycopy(b.nanos, 0, m.nanos, a.count, b.count);
            m.count = a.count + b.count;
            return m;
        }
    }

    private record Result(int agents, int waiting, long wallNanos, long cpuNanos, Latencies ready,
                          Latencies arrive) {

        double perCpuSecond() {
            return (ready.count + arrive.count) * 1e9 / cpuNanos;
        }

        double perWallSecond() {
            return (ready.count + arrive.count) * 1e9 / wallNanos;
        }

        Latencies both() {
            return Latencies.merge(ready, arrive);
        }
    }

    /** A clock the loop moves by hand. */
    private static final class BenchClock implements InstantSource {
        private Instant now = Instant.parse("2025-01-06T08:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** One agent count: its core, its agents on calls, and the loop. */
    private final class Run {
        private final int agentCount;
        private final BenchClock clock = new BenchClock();
        private final RoutingCore core = new RoutingCore(clock);
        private final SplittableRandom random = new SplittableRandom(seed);
        private final String[] agentIds;
        private final Map<String, Integer> agentIndex = new HashMap<>();
        /** Agents on a call, with each one's place in the array (or -1) so removal is a swap. */
        private final int[] onCall;
        private final int[] place;
        private int onCallCount;
        private long nextCall;

        Run(int agentCount) {
            this.agentCount = agentCount;
            this.agentIds = new String[agentCount];
            this.onCall = new int[agentCount];
            this.place = new int[agentCount];
            Arrays.fill(place, -1);
        }

        Result measure() {
            setUp();
            loop(warmup, new Latencies(), new Latencies());
            Latencies ready = new Latencies();
            Latencies arrive = new Latencies();
            System.gc();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long wall = loop(seconds, ready, arrive);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            return new Result(agentCount, core.waitingCalls(), wall, cpu, ready, arrive);
        }

        private void setUp() {
            for (int s = 0; s < skills; s++) {
                send(new Command.DefineQueue(QueueSpec.builder("q" + s).require("s" + s, 1)
                        .maxWait(Duration.ofDays(365)).maxLength(Integer.MAX_VALUE)
                        .ringTimeout(Duration.ofSeconds(30)).build()));
            }
            for (int i = 0; i < agentCount; i++) {
                // Consecutive skills, so every queue is staffed once agents x skills-per-agent >= skills.
                Map<String, Integer> held = new HashMap<>();
                for (int k = 0; k < skillsPerAgent; k++) {
                    held.put("s" + (i * skillsPerAgent + k) % skills, 1 + random.nextInt(10));
                }
                agentIds[i] = "a" + i;
                agentIndex.put(agentIds[i], i);
                send(new Command.DefineAgent(Agent.of(agentIds[i], held)));
                send(new Command.LogIn(agentIds[i]));
            }
            for (int i = 0; i < calls + agentCount; i++) {
                send(new Command.Enqueue(newCall()));
            }
            for (int i = 0; i < agentCount; i++) {
                answer(send(new Command.SetReady(agentIds[i])));
            }
        }

        private Call newCall() {
            return Call.of("c" + nextCall++, "q" + random.nextInt(skills));
        }

        /** Runs the loop for {@code duration} seconds; returns its wall time in nanoseconds. */
        private long loop(double duration, Latencies ready, Latencies arrive) {
            long start = System.nanoTime();
            long end = start + (long) (duration * 1e9);
            long now = start;
            Duration step = Duration.ofMillis(1);
            while (now < end) {
                for (int batch = 0; batch < 64; batch++) {
                    clock.advance(step);
                    if (onCallCount > 0) {
                        int agent = onCall[random.nextInt(onCallCount)];
                        leaveCall(agent);
                        Command ended = new Command.CallEnded(agentIds[agent]);
                        long t0 = System.nanoTime();
                        List<Decision> decisions = core.handle(ended);
                        ready.add(System.nanoTime() - t0);
                        answer(decisions);
                    }
                    Command arrival = new Command.Enqueue(newCall());
                    long t0 = System.nanoTime();
                    List<Decision> decisions = core.handle(arrival);
                    arrive.add(System.nanoTime() - t0);
                    answer(decisions);
                }
                now = System.nanoTime();
            }
            return now - start;
        }

        private List<Decision> send(Command command) {
            List<Decision> decisions = core.handle(command);
            for (Decision d : decisions) {
                if (d instanceof Decision.CommandRejected r) {
                    throw new IllegalStateException("bench set-up rejected: " + r);
                }
            }
            return decisions;
        }

        /** Answers any offer among {@code decisions}; the agent goes on the on-call list. */
        private void answer(List<Decision> decisions) {
            for (Decision d : decisions) {
                if (d instanceof Decision.Offer o) {
                    send(new Command.OfferAnswered(o.callId(), o.agentId()));
                    int agent = agentIndex.get(o.agentId());
                    place[agent] = onCallCount;
                    onCall[onCallCount++] = agent;
                }
            }
        }

        private void leaveCall(int agent) {
            int at = place[agent];
            int last = onCall[--onCallCount];
            onCall[at] = last;
            place[last] = at;
            place[agent] = -1;
        }
    }
}
