package dev.hotline.cli.ops;

import dev.hotline.agi.server.AgiMetrics;
import dev.hotline.agi.server.micrometer.MicrometerAgiMetrics;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.ivr.metrics.MicrometerIvrMetrics;
import dev.hotline.metrics.HotlineMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The repository's files as the deployment tests see them, and the facts the engine itself defines. */
final class Repo {

    /** Environment for loading configurations that read secrets from it. */
    static final Map<String, String> ENV = Map.of(
            "HOTLINE_AMI_SECRET", "test-ami-secret",
            "HOTLINE_DB_PASSWORD", "test-db-password",
            "MARIADB_ROOT_PASSWORD", "test-root-password",
            "GRAFANA_ADMIN_PASSWORD", "test-grafana-password");

    static final Path ROOT = findRoot();
    static final Path DOCKER = ROOT.resolve("docker");
    static final Path ASTERISK = DOCKER.resolve("asterisk");

    private static volatile Set<String> metricNames;

    private Repo() {
    }

    private static Path findRoot() {
        // Surefire runs the cli module's tests in cli/; the repository root is its parent.
        for (Path p : List.of(Path.of(".."), Path.of("."))) {
            Path abs = p.toAbsolutePath().normalize();
            if (Files.isDirectory(abs.resolve("docker")) && Files.isRegularFile(abs.resolve("config/hotline.yaml"))) {
                return abs;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AsteriskConf asterisk(String file) {
        try {
            return AsteriskConf.read(ASTERISK.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample configuration (config/hotline.yaml) and the container's (docker/hotline/hotline.yaml). */
    static Map<String, HotlineConfig> configs() throws ConfigException {
        ConfigLoader loader = new ConfigLoader(ENV);
        return Map.of(
                "config/hotline.yaml", loader.load(ROOT.resolve("config/hotline.yaml")),
                "docker/hotline/hotline.yaml", loader.load(DOCKER.resolve("hotline/hotline.yaml")));
    }

    static HotlineConfig dockerConfig() throws ConfigException {
        return new ConfigLoader(ENV).load(DOCKER.resolve("hotline/hotline.yaml"));
    }

    static List<AgentConfig> agents() throws ConfigException {
        return new ConfigLoader(ENV).loadAgents(ROOT.resolve("config/agents.yaml"));
    }

    /**
     * Names of every series the engine exposes today, as Prometheus sees them: the engine's registry with the
     * FastAGI and IVR meters exercised once, scraped. Histogram/summary series appear with their suffixes.
     */
    static Set<String> metricNames() {
        Set<String> names = metricNames;
        if (names != null) {
            return names;
        }
        // A real engine (no Asterisk, a throw-away database) registers every meter it has; the FastAGI and IVR
        // meters that only appear once used are exercised on its registry.
        Path data;
        try {
            data = Files.createTempDirectory("hotline-metrics");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var config = dev.hotline.config.HotlineConfig.defaults()
                .withAgi(dev.hotline.config.AgiConfig.DEFAULTS.withPort(0))
                .withDatabase(new dev.hotline.config.DatabaseConfig(dev.hotline.config.DatabaseConfig.Kind.EMBEDDED,
                        data, "", "", dev.hotline.yaml.Secret.NONE, 1));
        try (dev.hotline.app.HotlineEngine engine = new dev.hotline.app.HotlineEngine(config, List.of(), "test")
                .start()) {
            HotlineMetrics metrics = engine.metrics();
            MicrometerAgiMetrics agi = new MicrometerAgiMetrics(metrics.registry());
            agi.sessionStarted();
            agi.sessionEnded(AgiMetrics.Outcome.COMPLETED);
            agi.refused(AgiMetrics.Refusal.NOT_ALLOWED);
            agi.commandCompleted("ANSWER", Duration.ofMillis(1));
            agi.protocolError("bad_line");
            MicrometerIvrMetrics ivr = new MicrometerIvrMetrics(metrics.registry());
            ivr.nodeVisited("main-menu", "welcome", "play");
            ivr.outcome("main-menu", "queue");
            ivr.lookup("main-menu", "crm", true, Duration.ofMillis(5));
            metrics.registry().timer("hotline.acd.dispatch").record(Duration.ofMillis(3));
            // An active/standby pair's lease meters (docs/OPERATIONS.md section 9); registered, never started.
            new dev.hotline.ha.Leadership(dev.hotline.config.HaConfig.DEFAULTS, "test", new dev.hotline.ha.LeaseStore(
                    engine.records().database().dataSource(), java.time.InstantSource.system(), Duration.ofSeconds(1)),
                    System::nanoTime, java.time.InstantSource.system(), metrics.registry()).abandon();
            // The gateway's meters (connections, refusals, time-outs, login queue) register when it starts.
            try (dev.hotline.gateway.Gateway gateway = dev.hotline.gateway.Gateway.start(engine.api(),
                    dev.hotline.config.GatewayConfig.DEFAULTS.withPort(0).withAuditFile(data.resolve("audit.log")),
                    new dev.hotline.gateway.auth.UserStore(List.of()), java.time.InstantSource.system())) {
                gateway.url();
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException(e);
            }
            names = new TreeSet<>();
            for (String line : metrics.scrape().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        metricNames = Set.copyOf(names);
        return metricNames;
    }
}
