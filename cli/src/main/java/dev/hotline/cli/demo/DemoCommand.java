package dev.hotline.cli.demo;

import dev.hotline.events.LiveStats;
import dev.hotline.cli.Main;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.routing.AgentState;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.ArrivalModel;
import dev.hotline.simulator.load.CallerModel;
import dev.hotline.simulator.load.Distribution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code hotline demo}: the whole engine on embedded defaults, with the Asterisk simulator as its Asterisk,
 * random callers going through the sample IVR into the queues, and simulated agents answering — over real TCP
 * on loopback. Prints a live line every few seconds and a table per queue at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole engine against the built-in Asterisk simulator: random callers, the sample IVR,"
                + " the queues and agents of config/, over loopback TCP. Stops at --duration or Ctrl-C.")
public final class DemoCommand implements Callable<Integer> {

    /** Simulated phones the demo's supervisors pick on the wallboard for listen / whisper / barge. */
    static final List<String> SUPERVISOR_PHONES = List.of("PJSIP/2101", "PJSIP/2102");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", description = "Stop after this long, e.g. 60s, 5m (default: until Ctrl-C).")
    String duration;

    /** Ready-made loads: {@code steady} stays within what the agents can take, {@code overload} does not. */
    enum Scenario {
        /**
         * About 6 Erlangs (talk and wrap-up) for 12 agents split over 4 queues: service level above 80 %, every
         * agent in rotation (12 a minute measured 80–84 % over 5 minutes on a loaded machine: too close).
         */
        STEADY(10),
        /** About 18 Erlangs for 12 agents: queues fill, callers give up, the wallboard goes red. */
        OVERLOAD(30);

        final double callersPerMinute;

        Scenario(double callersPerMinute) {
            this.callersPerMinute = callersPerMinute;
        }
    }

    @Option(names = "--scenario", defaultValue = "steady", converter = ScenarioConverter.class,
            description = "steady (default: within capacity, service level 80 %% or better) or overload (callers"
                    + " beyond what the agents can take); sets the callers per minute unless --rate is given.")
    Scenario scenario;

    @Option(names = "--rate", description = "Callers per minute, Poisson (default: the scenario's, steady 10,"
            + " overload 30).")
    Double rate;

    @Option(names = "--agents", defaultValue = "12", description = "Agents from config/agents.yaml to staff (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--handle-time", defaultValue = "30s", description = "Mean talk time (default: ${DEFAULT-VALUE}).")
    String handleTime;

    @Option(names = "--patience", defaultValue = "90s", description = "Mean time a caller waits before giving up (default: ${DEFAULT-VALUE}).")
    String patience;

    @Option(names = "--every", defaultValue = "5s", description = "How often to print the live line (default: ${DEFAULT-VALUE}).")
    String every;

    @Option(names = "--gateway-port", description = "Port of the agent/supervisor web pages and API (default: gateway.port"
            + " of the config file, 8080; 0 picks a free port).")
    Integer gatewayPort;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded database, journal and audit log of this"
            + " demo (default: data/demo, never the folder ./hotline run uses); a new folder starts a fresh day.")
    java.nio.file.Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration runFor;
        Duration talk;
        Duration wait;
        Duration interval;
        try {
            runFor = duration == null ? null : parse("--duration", duration);
            talk = parse("--handle-time", handleTime);
            wait = parse("--patience", patience);
            interval = parse("--every", every);
        } catch (IllegalArgumentException e) {
            err.println("hotline demo: " + e.getMessage());
            return 2;
        }
        double rate = this.rate != null ? this.rate : scenario.callersPerMinute;
        if (rate <= 0 || rate > 6000 || agents < 1) {
            err.println("hotline demo: --rate must be in (0, 6000] and --agents >= 1");
            return 2;
        }
        HotlineConfig config;
        List<AgentConfig> staff;
        try {
            ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
            HotlineConfig c = loader.load(main.configFile()).resolvedAgainst(Main.home());
            staff = loader.loadAgents(c.agentsFile());
            staff = staff.subList(0, Math.min(agents, staff.size()));
            // The demo's calendar is open around the clock, and waits are announced every 20 s.
            // The demo's records and users (public passwords) stay in a folder of their own, never the database
            // `./hotline run` uses; `./hotline report --data-dir` reads them afterwards.
            var db = DemoWorld.embeddedDatabase(demoData());
            config = new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), db, c.ivrScripts(),
                    Main.home().resolve("config/demo/calendars"), c.queues(),
                    c.acd().withAnnounceInterval(Duration.ofSeconds(20)), c.agentsFile(), c.gateway(), c.qa());
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println(p));
            return 1;
        }
        EndpointBehaviour phones = new EndpointBehaviour(
                Distribution.uniform(Duration.ofSeconds(1), Duration.ofSeconds(4)), 0.93, Distribution.exponential(talk));
        LiveStats stats = new LiveStats(config.queues());
        // The simulated Asterisk has exactly the prompts the scripts and queues play (docs/SIMULATOR.md).
        try (DemoWorld world = DemoWorld.start(config, staff, phones, DemoSounds.of(config, Duration.ofMillis(1500)), seed,
                Main.version(), Map.of(), SUPERVISOR_PHONES)) {
            world.engine().acd().addListener(stats);
            if (!world.awaitAmi(Duration.ofSeconds(10))) {
                err.println("hotline demo: the engine could not log in to the simulator's AMI; see logs/hotline.log");
                return 1;
            }
            world.engine().acd().loginAllReady();
            // The demo's users (public passwords) live in config/demo/users.yaml, never in config/users.yaml.
            dev.hotline.gateway.Gateway gateway;
            try {
                var gw = (gatewayPort == null ? config.gateway() : config.gateway().withPort(gatewayPort))
                        .withPhones(new dev.hotline.config.GatewayConfig.Phones("", "", SUPERVISOR_PHONES));
                gateway = dev.hotline.gateway.Gateway.start(world.engine().api(), gw
                        .withUsersFile(Main.home().resolve("config/demo/users.yaml"))
                        .withAuditFile(demoData().resolve("audit.log")));
            } catch (ConfigException e) {
                e.problems().forEach(p -> err.println(p));
                return 1;
            } catch (RuntimeException e) {
                err.println("hotline demo: the agent gateway could not start on port " + config.gateway().port()
                        + " (" + e + "); is another demo running?");
                return 1;
            }
            out.printf("Hotline demo: %d agents, %d queues (%s), callers %.0f/min, mean talk %s, mean patience %s%n",
                    staff.size(), config.queues().size(), String.join(", ",
                            config.queues().stream().map(q -> q.name()).toList()), rate, handleTime, patience);
            out.printf("  engine FastAGI %s:%d, simulated Asterisk AMI 127.0.0.1:%d; log: %s%n",
                    world.engine().agiAddress().getHostString(), world.engine().agiAddress().getPort(),
                    world.asterisk().amiPort(), Main.home().resolve("logs/hotline.log"));
            out.printf("  agent desktop, wallboard, admin: %s/  (API: %s/api, health: %s/health)%n", gateway.url(),
                    gateway.url(), gateway.url());
            out.println("  demo users: agents alice, bruno, daniel / demo-agent; supervisors sam (team-a), tara (team-b)"
                    + " / demo-supervisor; admin root / demo-admin");
            out.printf("  quality (%s/qa): QA staff quinn / demo-qa; recordings of the support queue's calls in %s%n",
                    gateway.url(), DemoWorld.recordingsOf(config));
            out.println("  supervisors' phones for listen / whisper / barge: " + String.join(", ", SUPERVISOR_PHONES)
                    + " (simulated: they answer, there is no audio in the demo; the agent desktop's browser phone"
                    + " needs a real Asterisk, see docs/OPERATIONS.md)");
            out.printf("  demo data: %s (its own folder: ./hotline run never reads it)%n", demoData());
            out.flush();

            CallerModel callers = new CallerModel(Map.of(
                    "lang/choose", Map.of('1', 0.6, '2', 0.3),
                    "en/main-menu", Map.of('1', 0.35, '2', 0.35, '3', 0.15, '0', 0.1),
                    "fr/main-menu", Map.of('1', 0.35, '2', 0.35, '3', 0.15, '0', 0.1)),
                    Map.of(), Distribution.uniform(Duration.ofMillis(500), Duration.ofSeconds(2)),
                    Distribution.exponential(wait), Duration.ofMinutes(30));
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "demo-timers");
                t.setDaemon(true);
                return t;
            });
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "demo-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                SplittableRandom random = new SplittableRandom(seed);
                arrive(timers, world, ArrivalModel.flat(rate), callers, random);
                long start = System.nanoTime();
                timers.scheduleAtFixedRate(() -> {
                    out.println(liveLine(world, stats, Duration.ofNanos(System.nanoTime() - start)));
                    out.flush();
                }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    if (runFor == null) {
                        stop.await();
                    } else {
                        stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    // An interrupt of the thread running the demo (a program embedding it, a test) stops it
                    // like Ctrl-C: the summary below is still printed.
                }
            } finally {
                timers.shutdownNow();
                gateway.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already
                }
            }
            // Calls still waiting or talking now end as they would at shutdown (abandoned, or ended by "system"),
            // so this table and ./hotline report count the same calls the same way.
            world.engine().acd().endHeldCalls("demo stopped");
            out.println();
            out.print(table(stats));
            world.engine().records().writer().awaitStored(Duration.ofSeconds(5));
            out.printf("Call records and agent history: %s (see them with: ./hotline report --data-dir %s --from %s"
                    + " --by 15m)%n", config.database().dataDir(), config.database().dataDir(),
                    java.time.LocalDate.now());
            out.flush();
        }
        return 0;
    }

    /** The demo's own folder: {@code --data-dir}, else {@code data/demo} under the Hotline folder. */
    private java.nio.file.Path demoData() {
        return (dataDir != null ? dataDir : Main.home().resolve("data").resolve("demo")).toAbsolutePath().normalize();
    }

    private static Duration parse(String option, String text) {
        return dev.hotline.yaml.Fields.parseDuration(text).filter(d -> !d.isZero()).orElseThrow(() ->
                new IllegalArgumentException(option + ": '" + text + "' (expected: a duration such as 500ms, 30s, 5m)"));
    }

    private void arrive(ScheduledExecutorService timers, DemoWorld world, ArrivalModel arrivals, CallerModel callers,
                        SplittableRandom random) {
        Duration gap = arrivals.nextGap(random, LocalTime.now());
        timers.schedule(() -> {
            String number = "06" + (10_000_000 + random.nextInt(90_000_000));
            world.asterisk().placeCall("from-pstn", "5551234", number, "Caller " + number.substring(6),
                    callers.newCaller(random.split()));
            arrive(timers, world, arrivals, callers, random);
        }, gap.toNanos(), TimeUnit.NANOSECONDS);
    }

    static String liveLine(DemoWorld world, LiveStats stats, Duration elapsed) {
        Map<String, AgentState> agents = world.engine().acd().agentStates();
        long talking = agents.values().stream().filter(s -> s instanceof AgentState.OnCall).count();
        long ringing = agents.values().stream().filter(s -> s instanceof AgentState.Reserved).count();
        long wrapUp = agents.values().stream().filter(s -> s instanceof AgentState.WrapUp).count();
        long ready = agents.values().stream().filter(s -> s instanceof AgentState.Ready).count();
        int inAcd = world.engine().acd().activeCalls();
        int sessions = world.engine().activeSessions();
        long waiting = Math.max(0, inAcd - talking - ringing);
        long answered = 0;
        long abandoned = 0;
        long inSl = 0;
        long finished = 0;
        for (LiveStats.QueueCounters q : stats.snapshot()) {
            answered += q.answered();
            abandoned += q.abandoned();
            inSl += q.answeredInSl();
            finished += q.finished();
        }
        java.util.OptionalDouble sl = dev.hotline.records.report.ServiceLevels.of(inSl, finished);
        return String.format(Locale.ROOT, "[%4ds] in IVR %d | waiting %d | ringing %d | talking %d | wrap-up %d |"
                        + " ready %d | answered %d, abandoned %d, service level %s", elapsed.toSeconds(),
                Math.max(0, sessions - inAcd), waiting, ringing, talking, wrapUp, ready, answered, abandoned,
                sl.isEmpty() ? "-" : Math.round(100 * sl.getAsDouble()) + "%");
    }

    static String table(LiveStats stats) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-10s %8s %9s %10s %7s %9s %8s %10s%n", "queue", "offered", "answered",
                "abandoned", "exited", "SL", "ASA", "max wait"));
        for (LiveStats.QueueCounters q : stats.snapshot()) {
            double sl = q.serviceLevel();
            sb.append(String.format(Locale.ROOT, "%-10s %8d %9d %10d %7d %9s %7ds %9ds%n", q.queue(), q.offered(),
                    q.answered(), q.abandoned(), q.exited(), sl < 0 ? "-" : Math.round(sl * 100) + "%",
                    q.averageSpeedOfAnswer().toSeconds(), q.longestWait().toSeconds()));
        }
        return sb.toString();
    }

    /** {@code --scenario}: a name, case-insensitive, with the choices in the error. */
    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            for (Scenario s : Scenario.values()) {
                if (s.name().equalsIgnoreCase(value)) {
                    return s;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' (expected: steady or overload)");
        }
    }
}
