package dev.hotline.cli.bench;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.AgiConfig;
import dev.hotline.config.AmiServerConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HaConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ha.Role;
import dev.hotline.yaml.Secret;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One engine of a pair as a separate process, for {@code hotline bench failover}: the shipped configuration (queues,
 * IVR scripts, agents) with the bench's FastAGI port, the simulator's AMI (its own AMI user, so the bench can tell
 * the two engines' actions apart), the bench's MariaDB and the pair's lease. Prints {@code started <role>},
 * {@code fastagi open} when it starts taking calls (a takeover), {@code active <term>} once a takeover's
 * steps ran and {@code standby} when it steps down; the
 * first engine of the pair logs every agent in, ready (the shift starts), the next one finds them in the history.
 *
 * <p>Arguments: home, engine name, FastAGI port, AMI port, AMI user, AMI secret, JDBC URL, database user, data
 * folder, lease, renew_every, check_every (ms), callback retry delay (ms). Password: {@code HOTLINE_BENCH_DB_PASSWORD}.
 */
public final class PairEngine {

    private PairEngine() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 13) {
            System.err.println("usage: PairEngine <home> <name> <agi port> <ami port> <ami user> <ami secret> <jdbc url>"
                    + " <db user> <data dir> <lease ms> <renew ms> <check ms> <callback retry ms>");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        String name = args[1];
        HaConfig ha = new HaConfig(true, Duration.ofMillis(Long.parseLong(args[9])),
                Duration.ofMillis(Long.parseLong(args[10])), Duration.ofMillis(Long.parseLong(args[11])),
                "http://" + name + ".bench/");
        ConfigLoader loader = new ConfigLoader(Map.of());
        HotlineConfig c = loader.load(home.resolve("config/hotline.yaml")).resolvedAgainst(home);
        List<AgentConfig> agents = loader.loadAgents(c.agentsFile());
        DatabaseConfig db = new DatabaseConfig(DatabaseConfig.Kind.MARIADB, Path.of(args[8]), args[6], args[7],
                Secret.of(System.getenv().getOrDefault("HOTLINE_BENCH_DB_PASSWORD", "")), 4);
        // Short rings and waits so the bench's callers and callbacks move within a minute; a long queue.
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(5), 100, Duration.ofSeconds(1),
                Duration.ofSeconds(5), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), q.callbackOffer(),
                false, q.wallboard())).toList();
        var cb = c.acd().callback();
        var callback = new dev.hotline.config.CallbackConfig(cb.context(), "PJSIP/{number}", Duration.ofSeconds(20), 5,
                Duration.ofMillis(Long.parseLong(args[12])), java.util.Optional.empty(), cb.overdueAfter(),
                cb.callerIdNumber(), cb.mode(), cb.recordName(), cb.nameFolder(), cb.ownerFirstFor());
        HotlineConfig config = new HotlineConfig(c.source(), name, c.agi(), c.amiServers(), db, c.ivrScripts(),
                home.resolve("config/demo/calendars"), queues, c.acd().withAnnounceInterval(Duration.ofSeconds(30))
                .withCallback(callback), c.agentsFile(), c.gateway(), c.qa(), ha)
                .withAgi(new AgiConfig("127.0.0.1", Integer.parseInt(args[2]), AgiConfig.DEFAULTS.allow(), 20_000,
                        c.agi().idleTimeout(), c.agi().commandTimeout(), Duration.ofSeconds(2),
                        c.agi().maxLineLength(), c.agi().maxEnvironmentSize(), c.agi().environmentTimeout()))
                .withAmiServers(List.of(new AmiServerConfig("sim", "127.0.0.1", Integer.parseInt(args[3]), args[4],
                        Secret.of(args[5]), Duration.ofSeconds(5))))
                .withQa(c.qa().withRecordingsDir(Path.of(args[8]).resolve("recordings")));
        PrintStream out = System.out;
        HotlineEngine engine = new HotlineEngine(config, agents, "bench");
        engine.onTakeover(term -> say(out, "active " + term));
        engine.start();
        var lease = engine.leadership().orElseThrow();
        boolean first = lease.mayAct() && lease.status().fence() == 1;
        if (first) {
            engine.acd().loginAllReady();
        }
        say(out, "started " + (lease.mayAct() ? "active" : "standby"));
        Role was = lease.status().role();
        boolean open = engine.agiAddress() != null;
        while (true) {
            Role now = lease.status().role();
            if (now != was && now == Role.STANDBY) {
                say(out, "standby " + lease.status().why());
            }
            was = now;
            boolean openNow = engine.agiAddress() != null;
            if (openNow && !open) {
                say(out, "fastagi open (term " + lease.status().fence() + ")");
            }
            open = openNow;
            Thread.sleep(5);
        }
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
