package dev.hotline.cli.soak;

import dev.hotline.cli.Main;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.simulator.dialplan.Handshake;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code hotline soak}: the engine against the simulator with injected faults, ending with one line that counts
 * what went wrong. Exit code 0 when every count is 0, 1 when any is not, 2 for bad options. See docs/SOAK.md.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the engine against the built-in Asterisk simulator with injected faults (Asterisk restart,"
                + " AMI cut and down, agents not answering, overload, hang-ups at every step, lost DTMF) and check"
                + " every call against the simulator's ground truth. Ends with one line: soak: calls=N dropped=0"
                + " phantom=0 stuck_agents=0 leaked=0 records_missing=0 duplicates=0 watch_repairs=0; exit code 1"
                + " if any count but watch_repairs (agents the engine's invariant watch had to release) is not 0.")
public final class SoakCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "10m",
            description = "How long callers arrive and faults are injected (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--faults", defaultValue = "all", paramLabel = "all|none|LIST",
            description = "Faults to inject: all, none, or a comma-separated list of asterisk-restart, ami-cut,"
                    + " ami-down, no-answer, overload, hangups, dtmf-lost, slow-db (default: ${DEFAULT-VALUE};"
                    + " slow-db needs --mariadb, and all leaves it out without).")
    String faults;

    @Option(names = "--rate", defaultValue = "60", description = "Callers per minute (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--agents", defaultValue = "12",
            description = "Agents from config/agents.yaml to staff (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--handshake", defaultValue = "marker", paramLabel = "marker|agistatus",
            description = "How the simulated dialplan reads what Hotline leaves on the channel: marker (the shipped"
                    + " docker/asterisk/extensions.conf: HOTLINE_HANDLED, a lost call resumed, then the fallback"
                    + " queue) or agistatus (the dialplan before the marker, trusting AGISTATUS) (default:"
                    + " ${DEFAULT-VALUE}).")
    String handshake;

    @Option(names = "--drain", defaultValue = "60s",
            description = "After --duration, how long callers still on the line may finish (default: ${DEFAULT-VALUE}).")
    String drain;

    @Option(names = "--settle", defaultValue = "60s",
            description = "Then how long the engine has to end its calls and free its agents (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--phantom-after", defaultValue = "30s",
            description = "How long the engine may keep treating a call whose channel is gone (default: ${DEFAULT-VALUE}).")
    String phantomAfter;

    @Option(names = "--every", defaultValue = "10s", description = "Progress line interval (default: ${DEFAULT-VALUE}).")
    String every;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mariadb", paramLabel = "URL", description = "A MariaDB server, jdbc:mariadb://host:port: the"
            + " run's records go to a new database there (dropped at the end) through a proxy that slow-db slows."
            + " Password: environment variable HOTLINE_SOAK_DB_PASSWORD (default: empty).")
    String mariadb;

    @Option(names = "--mariadb-user", defaultValue = "root", description = "MariaDB user (default: ${DEFAULT-VALUE}).")
    String mariadbUser;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The run's embedded database and journal (default: a new folder data/soak/<time>).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SoakRun.Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("hotline soak: " + e.getMessage());
            return 2;
        }
        HotlineConfig config;
        List<AgentConfig> staff;
        try {
            ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
            HotlineConfig c = loader.load(main.configFile()).resolvedAgainst(Main.home());
            staff = loader.loadAgents(c.agentsFile());
            staff = staff.subList(0, Math.min(agents, staff.size()));
            // Open around the clock, like the demo.
            config = new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), c.database(),
                    c.ivrScripts(), Main.home().resolve("config/demo/calendars"), c.queues(), c.acd(),
                    c.agentsFile(), c.gateway(), c.qa());
        } catch (ConfigException e) {
            e.problems().forEach(err::println);
            return 1;
        }
        out.printf(Locale.ROOT, "soak: %s, faults %s, %.0f callers/min, %d agents, handshake %s, data %s%n",
                duration, settings.faults().stream().map(Fault::label).toList(), rate, staff.size(),
                settings.handshake().map(h -> h.mode().name().toLowerCase(Locale.ROOT)).orElse("marker"),
                settings.dataDir());
        out.flush();
        SoakResult result = new SoakRun(config, staff, settings, out).run(Main.version());
        out.println(result.oneLine());
        out.flush();
        return result.violations() == 0 ? 0 : 1;
    }

    SoakRun.Settings settings() {
        Duration runFor = duration("--duration", duration);
        Set<Fault> chosen = Fault.parse(faults);
        Optional<SoakRun.MariaDb> server = Optional.empty();
        if (mariadb != null) {
            if (!mariadb.startsWith("jdbc:mariadb://")) {
                throw new IllegalArgumentException("--mariadb: '" + mariadb
                        + "' (expected: jdbc:mariadb://host:port, e.g. jdbc:mariadb://127.0.0.1:3306)");
            }
            String password = System.getenv().getOrDefault("HOTLINE_SOAK_DB_PASSWORD", "");
            server = Optional.of(new SoakRun.MariaDb(mariadb, mariadbUser, password));
        }
        if (chosen.contains(Fault.SLOW_DB) && server.isEmpty()) {
            if (!faults.trim().equalsIgnoreCase("all")) {
                throw new IllegalArgumentException("--faults: slow-db needs --mariadb jdbc:mariadb://host:port (the"
                        + " soak slows the engine's connection to that server; see docs/SOAK.md)");
            }
            chosen = EnumSet.copyOf(chosen);
            chosen.remove(Fault.SLOW_DB);
        }
        if (!(rate > 0 && rate <= 6000)) {
            throw new IllegalArgumentException("--rate: " + rate + " (expected: more than 0, at most 6000)");
        }
        if (agents < 1) {
            throw new IllegalArgumentException("--agents: " + agents + " (expected: at least 1)");
        }
        Optional<Handshake> mode = switch (handshake.trim().toLowerCase(Locale.ROOT)) {
            case "agistatus" -> Optional.of(Handshake.shipped());
            case "marker" -> Optional.empty();   // the demo's: hotline-return, resuming at the soak's engine
            default -> throw new IllegalArgumentException("--handshake: '" + handshake
                    + "' (expected: agistatus or marker)");
        };
        Path dir = dataDir != null ? dataDir : Main.home().resolve("data").resolve("soak")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return new SoakRun.Settings(runFor, chosen, rate, seed, duration("--every", every),
                duration("--drain", drain), duration("--settle", settle), duration("--phantom-after", phantomAfter),
                mode, dir.toAbsolutePath().normalize(), server);
    }

    private static Duration duration(String option, String text) {
        return dev.hotline.yaml.Fields.parseDuration(text).filter(d -> !d.isZero()).orElseThrow(() ->
                new IllegalArgumentException(option + ": '" + text + "' (expected: a duration such as 30s, 10m)"));
    }
}
