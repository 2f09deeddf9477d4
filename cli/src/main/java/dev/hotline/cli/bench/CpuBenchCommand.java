package dev.hotline.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.app.HotlineEngine;
import dev.hotline.cli.Main;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.AmiServerConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.yaml.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hotline bench cpu}: the engine's CPU, allocation and protocol traffic per call for a fixed call mix at a
 * steady rate. The simulated Asterisk and the wallboard's WebSocket client run in a child JVM
 * ({@link CpuBenchAsterisk}), so this JVM's process CPU time is the engine's alone (FastAGI, AMI, IVR, ACD, call
 * records, QA recording, gateway live view). Each call: welcome, language menu, notice, main menu, hold notice
 * (five prompts of 100 ms, two menus), the support queue (recorded), an agent rings 300 ms and talks TALK, a 1 s
 * wrap-up. A warm-up run precedes the measured run; each run places RATE calls a second and waits until they
 * have all ended, so every measured call's whole cost falls inside the measurement.
 */
@Command(name = "cpu", mixinStandardHelpOptions = true,
        description = "Engine CPU, allocation, AMI events and AGI commands per call for a fixed call mix.")
public final class CpuBenchCommand implements Callable<Integer> {

    private static final String JIT = "(JVM) JIT compiler threads";

    @Option(names = "--rate", defaultValue = "20", description = "Calls placed a second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60", description = "Seconds of calls placed in the measured run"
            + " (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--warmup", defaultValue = "60", description = "Seconds of calls placed before measuring"
            + " (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--agents", defaultValue = "100", description = "Agents (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--talk-ms", defaultValue = "2000", description = "Talk time in ms (default: ${DEFAULT-VALUE}).")
    long talkMillis;

    @Option(names = "--manager-conf", description = "manager.conf the simulated Asterisk honours for the engine's"
            + " AMI user (read classes, eventfilter); default: docker/asterisk/manager.conf; 'none': send every event.")
    String managerConf;

    @Option(names = "--no-wallboard", description = "Do not connect the wallboard's WebSocket.")
    boolean noWallboard;

    @Option(names = "--jfr", description = "Record the measured run with JDK Flight Recorder (profile settings) into"
            + " this file.")
    Path jfr;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (rate <= 0 || duration < 1 || warmup < 0 || agents < 1 || talkMillis < 0) {
            System.err.println("cpu-bench: --rate > 0, --duration >= 1, --warmup >= 0, --agents >= 1 and"
                    + " --talk-ms >= 0 are required");
            return 2;
        }
        Path conf = managerConf == null ? Main.home().resolve("docker/asterisk/manager.conf")
                : managerConf.equals("none") ? null : Path.of(managerConf);
        if (conf != null && !Files.isReadable(conf)) {
            System.err.println("cpu-bench: --manager-conf " + conf + ": no such readable file");
            return 2;
        }
        Path scratch = Files.createTempDirectory("hotline-bench-cpu");
        Path scripts = Files.createDirectories(scratch.resolve("ivr-scripts"));
        try (InputStream script = CpuBenchCommand.class.getResourceAsStream("/bench/cpu-bench.yaml")) {
            Files.copy(script, scripts.resolve("cpu-bench.yaml"));
        }
        Path recordings = Files.createDirectories(scratch.resolve("recordings"));
        Path users = scratch.resolve("users.yaml");
        Files.copy(Main.home().resolve("config/demo/users.yaml"), users);
        int agiPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            agiPort = s.getLocalPort();
        }
        out.printf(Locale.ROOT, "cpu-bench: %.1f calls/s, warm-up %d s, measured %d s, %d agents, talk %d ms,"
                        + " manager.conf %s, wallboard %s; %d cores, %s, load average %.2f%n", rate, warmup, duration,
                agents, talkMillis, conf == null ? "none" : conf, noWallboard ? "off" : "on",
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Process child = startAsterisk(agiPort, recordings, conf);
        try (BufferedReader fromChild = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
             PrintStream toChild = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String first = fromChild.readLine();
            if (first == null || !first.startsWith("ami-port ")) {
                System.err.println("cpu-bench: the simulator did not start (" + first + ")");
                return 1;
            }
            int amiPort = Integer.parseInt(first.substring("ami-port ".length()).trim());
            HotlineConfig config = config(agiPort, amiPort, scripts, recordings, scratch);
            List<AgentConfig> staff = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                String id = Integer.toString(20_000 + i);
                staff.add(new AgentConfig(id, "Agent " + id, List.of("PJSIP/" + id), Map.of("support", 5),
                        Set.of("bench"), "bench", Set.of("en", "fr")));
            }
            try (HotlineEngine engine = new HotlineEngine(config, staff, Main.version()).start()) {
                if (!awaitAmi(engine)) {
                    System.err.println("cpu-bench: the engine could not log in to the simulator's AMI");
                    return 1;
                }
                engine.acd().loginAllReady();
                Gateway gateway = Gateway.start(engine.api(), config.gateway().withPort(0).withUsersFile(users)
                        .withAuditFile(scratch.resolve("audit.log")));
                try {
                    if (!noWallboard) {
                        String answer = ask(toChild, fromChild, "ws " + wallboardUrl(gateway.url()));
                        if (!answer.equals("ws ok")) {
                            System.err.println("cpu-bench: the wallboard could not connect: " + answer);
                            return 1;
                        }
                    }
                    if (warmup > 0) {
                        Map<String, String> w = result(ask(toChild, fromChild, "run " + rate + " " + warmup));
                        out.printf(Locale.ROOT, "  warm-up: %s calls placed, %s ended, %s answered by agents%n",
                                w.get("placed"), w.get("ended"), w.get("answered"));
                    }
                    System.gc();
                    Measure before = Measure.now();
                    jdk.jfr.Recording recording = null;
                    if (jfr != null) {
                        recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                        recording.setDestination(jfr);
                        recording.start();
                    }
                    Map<String, String> r = result(ask(toChild, fromChild, "run " + rate + " " + duration));
                    Measure after = Measure.now();
                    if (recording != null) {
                        recording.stop();
                        recording.close();
                    }
                    report(out, r, before, after, engine);
                } finally {
                    gateway.close();
                }
            }
            toChild.println("quit");
        } finally {
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroy();
            }
        }
        return 0;
    }

    private void report(PrintStream out, Map<String, String> r, Measure before, Measure after, HotlineEngine engine) {
        long ended = Long.parseLong(r.get("ended"));
        long placed = Long.parseLong(r.get("placed"));
        double wallSeconds = (after.wallNanos - before.wallNanos) / 1e9;
        double perCall = Math.max(1, ended);
        double cpuMs = (after.cpuNanos - before.cpuNanos) / 1e6;
        double allocKb = (after.allocatedBytes - before.allocatedBytes) / 1024.0;
        double errors = count(engine, "hotline.agi.protocol.errors")
                + count(engine, "hotline.agi.sessions.ended", "outcome", "error")
                + count(engine, "hotline.agi.sessions.ended", "outcome", "timeout");
        out.printf(Locale.ROOT, "  measured: %d calls placed, %d ended, %s answered by agents, in %.1f s;"
                + " errors %.0f%n", placed, ended, r.get("answered"), wallSeconds, errors);
        out.printf(Locale.ROOT, "  engine JVM: CPU %.0f ms (%.1f%% of one core), GC %d ms in %d collections, JIT"
                        + " compiling %d ms, allocated %.0f MB%n", cpuMs, 100 * cpuMs / 1000 / wallSeconds,
                after.gcMillis - before.gcMillis, after.gcCount - before.gcCount, after.jitMillis - before.jitMillis,
                allocKb / 1024);
        out.printf(Locale.ROOT, "  wallboard: %s messages, %s KB%n", r.get("ws_messages"), r.get("ws_kb"));
        out.println("  engine CPU per call by thread (ms; virtual threads count on their carriers):");
        Map<String, Long> delta = new HashMap<>();
        after.threadCpuNanos.forEach((name, cpu) -> delta.put(name, cpu - before.threadCpuNanos.getOrDefault(name, 0L)));
        long threadsTotal = delta.values().stream().mapToLong(Long::longValue).sum();
        delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> out.printf(Locale.ROOT, "    %-48s %6.2f%n", e.getKey(), e.getValue() / 1e6 / perCall));
        out.printf(Locale.ROOT, "    %-48s %6.2f%n", "(rest: VM threads, threads that ended)",
                (after.cpuNanos - before.cpuNanos - threadsTotal) / 1e6 / perCall);
        long jitNanos = after.threadCpuNanos.getOrDefault(JIT, 0L) - before.threadCpuNanos.getOrDefault(JIT, 0L);
        out.printf(Locale.ROOT, "cpu-bench: calls_per_s=%.1f engine_cpu_ms_per_call=%.2f amievents_per_call=%.1f"
                        + " agi_commands_per_call=%.1f alloc_kb_per_call=%.0f jit_ms_per_call=%.2f%n",
                ended / wallSeconds, cpuMs / perCall, Long.parseLong(r.get("ami_events")) / perCall,
                Long.parseLong(r.get("agi_commands")) / perCall, allocKb / perCall, jitNanos / 1e6 / perCall);
    }

    private HotlineConfig config(int agiPort, int amiPort, Path scripts, Path recordings, Path scratch)
            throws Exception {
        HotlineConfig base = ConfigLoader.fromSystemEnvironment().load(Main.home().resolve("config/hotline.yaml"))
                .resolvedAgainst(Main.home());
        // The configured queues, with a 1 s wrap-up and a long max wait: calls end by talking, not by time-outs.
        List<QueueConfig> queues = base.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(),
                q.priority(), q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofHours(1), 100_000,
                Duration.ofSeconds(1), q.ringTimeout(), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(),
                q.callbackOffer(), q.record(), q.wallboard())).toList();
        return new HotlineConfig(base.source(), base.engineName(),
                new AgiConfig("127.0.0.1", agiPort, AgiConfig.DEFAULTS.allow(), 20_000, base.agi().idleTimeout(),
                        base.agi().commandTimeout(), Duration.ofSeconds(2), base.agi().maxLineLength(),
                        base.agi().maxEnvironmentSize()),
                List.of(new AmiServerConfig("sim", "127.0.0.1", amiPort, CpuBenchAsterisk.AMI_USER,
                        Secret.of(CpuBenchAsterisk.AMI_SECRET), Duration.ofSeconds(5))),
                DemoWorld.embeddedDatabase(scratch.resolve("data")), scripts,
                Main.home().resolve("config/demo/calendars"), queues,
                new AcdConfig(base.acd().connectContext(), base.acd().mohClass(), Duration.ofSeconds(30), ""),
                base.agentsFile(), base.gateway(), base.qa().withRecordingsDir(recordings));
    }

    private Process startAsterisk(int agiPort, Path recordings, Path conf) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseParallelGC", "-Xmx1g",
                "-Dlogback.configurationFile=" + Main.home().resolve("config/logback.xml"),
                "-Dhotline.home=" + Main.home(), "-cp", System.getProperty("java.class.path"),
                CpuBenchAsterisk.class.getName(), "--agi-port", Integer.toString(agiPort),
                "--agents", Integer.toString(agents), "--talk-ms", Long.toString(talkMillis),
                "--recordings", recordings.toString()));
        if (conf != null) {
            cmd.addAll(List.of("--manager-conf", conf.toString()));
        }
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Logs the demo's admin in and answers a one-time live WebSocket URL, as the wallboard page gets it. */
    private static String wallboardUrl(String base) throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"root\",\"password\":\"demo-admin\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode token = json.readTree(login.body()).path("token");
        HttpResponse<String> ticket = http.send(HttpRequest.newBuilder(URI.create(base + "/api/ws/ticket"))
                .header("Authorization", "Bearer " + token.asText()).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        String t = json.readTree(ticket.body()).path("ticket").asText("");
        if (t.isEmpty()) {
            throw new IllegalStateException("no WebSocket ticket: login " + login.statusCode() + ", ticket "
                    + ticket.statusCode() + " " + ticket.body());
        }
        return base.replaceFirst("^http", "ws") + "/ws?ticket=" + t;
    }

    private static String ask(PrintStream to, BufferedReader from, String command) throws IOException {
        to.println(command);
        String answer = from.readLine();
        if (answer == null) {
            throw new IOException("the simulator's process ended (command: " + command + ")");
        }
        return answer;
    }

    private static Map<String, String> result(String line) {
        if (!line.startsWith("result ")) {
            throw new IllegalStateException("cpu-bench: unexpected answer from the simulator: " + line);
        }
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring("result ".length()).split(" ")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }

    private static boolean awaitAmi(HotlineEngine engine) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (engine.ami().values().stream().allMatch(dev.hotline.ami.AmiConnection::isUp)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static double count(HotlineEngine engine, String name, String... tags) {
        var search = engine.metrics().registry().find(name);
        if (tags.length == 2) {
            search = search.tag(tags[0], tags[1]);
        }
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /** This JVM's CPU time, heap allocated by all its threads, GC time, and the wall clock, at one moment. */
    private record Measure(long wallNanos, long cpuNanos, long allocatedBytes, long gcMillis, long gcCount,
                           long jitMillis, Map<String, Long> threadCpuNanos) {
        static Measure now() {
            long gcTime = 0;
            long gcs = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcTime += Math.max(0, gc.getCollectionTime());
                gcs += Math.max(0, gc.getCollectionCount());
            }
            return new Measure(System.nanoTime(),
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime(),
                    ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                            .getTotalThreadAllocatedBytes(), gcTime, gcs,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), threadCpu());
        }

        /** CPU time of the live platform threads, summed by name with numbers dropped (pools count as one). */
        private static Map<String, Long> threadCpu() {
            var threads = ManagementFactory.getThreadMXBean();
            Map<String, Long> byGroup = new HashMap<>();
            for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    byGroup.merge(info.getThreadName().replaceAll("[0-9]+", "#"), cpu, Long::sum);
                }
            }
            jvmThreadTicks().forEach((k, v) -> byGroup.put(k, v * 10_000_000L));   // USER_HZ 100
            return byGroup;
        }

        /**
         * The JIT compiler's and the garbage collector's threads are not Java threads: their CPU (in clock ticks)
         * comes from /proc/self/task on Linux; nothing elsewhere.
         */
        private static Map<String, Long> jvmThreadTicks() {
            Map<String, Long> ticks = new HashMap<>();
            java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
            if (tasks == null) {
                return ticks;
            }
            for (java.io.File task : tasks) {
                try {
                    String stat = Files.readString(task.toPath().resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String group = comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")
                            ? JIT
                            : comm.startsWith("GC Thread") || comm.startsWith("G1 ") ? "(JVM) GC threads" : null;
                    if (group != null) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.merge(group, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
            return ticks;
        }
    }
}
