package dev.hotline.cli.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.config.HaConfig;
import dev.hotline.records.store.AppDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code hotline bench failover}: two engines' leadership as separate processes on one MariaDB (a scratch
 * database), each making a fenced write every 20 ms while it is active. Each round kills the active process with
 * SIGKILL and times how long until the other one is active (from the kill, seen by this process); the killed one is
 * started again as the new standby. Then the active one is frozen with SIGSTOP past its lease, the other takes over,
 * and the frozen one is resumed: it must step down without one write getting through. Last, every write in the
 * database is checked: none carries a fencing number lower than one committed before it ({@code stale_writes}).
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Takeover time of an active/standby pair after kill -9, and a frozen leader fenced out.")
public final class FailoverBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", defaultValue = "5", description = "Kills of the active engine (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--lease", defaultValue = "3s", description = "ha.lease (default: ${DEFAULT-VALUE}).")
    String lease;

    @Option(names = "--renew-every", defaultValue = "1s", description = "ha.renew_every (default: ${DEFAULT-VALUE}).")
    String renewEvery;

    @Option(names = "--check-every", defaultValue = "500ms", description = "ha.check_every (default: ${DEFAULT-VALUE}).")
    String checkEvery;

    @Option(names = "--mariadb", defaultValue = "jdbc:mariadb://127.0.0.1:3306/",
            description = "MariaDB server URL (a scratch database is created and dropped; default: ${DEFAULT-VALUE}).")
    String mariadb;

    @Option(names = "--user", defaultValue = "root", description = "MariaDB user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--lease-only", description = "Only the lease: two processes holding it, no engines, no calls"
            + " (takeover time and stale writes).")
    boolean leaseOnly;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HaConfig ha;
        try {
            ha = new HaConfig(true, duration("--lease", lease), duration("--renew-every", renewEvery),
                    duration("--check-every", checkEvery), "");
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("bench failover: " + e.getMessage());
            return 2;
        }
        String password = System.getenv().getOrDefault("HOTLINE_BENCH_DB_PASSWORD", "");
        String schema = "hotline_bench_ha_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(mariadb, user, password);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
            try {
                return run(out, ha, mariadb + schema, password);
            } finally {
                st.execute("DROP DATABASE " + schema);
            }
        } catch (SQLException e) {
            spec.commandLine().getErr().println("bench failover: MariaDB at " + mariadb + ": " + e.getMessage());
            return 1;
        }
    }

    private static Duration duration(String option, String text) {
        return dev.hotline.yaml.Fields.parseDuration(text).orElseThrow(() -> new IllegalArgumentException(
                option + ": " + text + " (expected: a duration such as 500ms, 3s)"));
    }

    private int run(PrintWriter out, HaConfig ha, String url, String password) throws Exception {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(2);
        try (HikariDataSource ds = new HikariDataSource(hc)) {
            AppDatabase.of(ds, "MariaDB").migrate();
            try (Connection con = ds.getConnection(); Statement st = con.createStatement()) {
                st.execute("CREATE TABLE ha_bench_write (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                        + "engine VARCHAR(64) NOT NULL, fence BIGINT NOT NULL)");
            }
            if (!leaseOnly) {
                out.printf("failover bench: 2 engine processes, the simulator, MariaDB; lease %s, renew every %s,"
                        + " check every %s (worst case %d ms)%n", lease, renewEvery, checkEvery,
                        ha.worstTakeover().toMillis());
                out.flush();
                Path work = java.nio.file.Files.createTempDirectory("hotline-bench-failover");
                out.println("engines' logs: " + work);
                return new PairFailoverRun(out, ha, url, user, password, ds, work).run();
            }
            out.printf("failover bench: 2 processes, lease %s, renew every %s, check every %s (worst case %d ms)%n",
                    lease, renewEvery, checkEvery, ha.worstTakeover().toMillis());
            out.flush();
            List<Long> takeovers = new ArrayList<>();
            BenchChild active = holder(url, user, "engine-a", ha);
            active.await("active", Duration.ofSeconds(30));
            BenchChild standby = holder(url, user, "engine-b", ha);
            int n = 0;
            try {
                standby.await("started", Duration.ofSeconds(30));
                for (int r = 1; r <= rounds; r++) {
                    Thread.sleep(ha.lease().toMillis());   // the standby has read the lease and counts its time
                    long killedAt = System.nanoTime();
                    active.process.destroyForcibly();      // SIGKILL
                    standby.await("active", Duration.ofSeconds(60));
                    long ms = (standby.lastAt - killedAt) / 1_000_000;
                    takeovers.add(ms);
                    out.printf("round %d: %s killed, %s active after %d ms%n", r, active.name, standby.name, ms);
                    out.flush();
                    active.process.waitFor();
                    BenchChild next = holder(url, user, active.name, ha);
                    next.await("started", Duration.ofSeconds(30));
                    active = standby;
                    standby = next;
                    n++;
                }
                // A paused leader (SIGSTOP past its lease), resumed after the other took over.
                Thread.sleep(ha.lease().toMillis());
                signal("STOP", active.process.pid());
                standby.await("active", Duration.ofSeconds(60));
                Thread.sleep(1000);
                long resumedAt = System.nanoTime();
                signal("CONT", active.process.pid());
                active.await("standby", Duration.ofSeconds(30));
                long stepDownMs = (active.lastAt - resumedAt) / 1_000_000;
                Thread.sleep(ha.lease().toMillis());
                long refused = active.count("refused");
                long stale = staleWrites(ds);
                long writes = count(ds);
                Collections.sort(takeovers);
                out.printf("frozen leader %s resumed: stepped down after %d ms, %d write(s) refused by the fence%n",
                        active.name, stepDownMs, refused);
                out.printf("failover: takeover_ms=%d (median %d, min %d, %d rounds) stale_writes=%d fenced_writes=%d%n",
                        takeovers.getLast(), takeovers.get(takeovers.size() / 2), takeovers.getFirst(), n, stale,
                        writes);
                out.flush();
                return stale == 0 && takeovers.getLast() <= ha.worstTakeover().plusSeconds(1).toMillis() ? 0 : 1;
            } finally {
                active.process.destroyForcibly();
                standby.process.destroyForcibly();
                signal("CONT", active.process.pid());
                active.process.waitFor(10, TimeUnit.SECONDS);
                standby.process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void signal(String sig, long pid) throws IOException, InterruptedException {
        PairFailoverRun.signal(sig, pid);
    }

    /** Writes whose fencing number is below one committed before them (by insert order): must be none. */
    private static long staleWrites(HikariDataSource ds) throws SQLException {
        long stale = 0;
        long highest = 0;
        try (Connection con = ds.getConnection(); Statement st = con.createStatement();
             ResultSet rs = st.executeQuery("SELECT fence FROM ha_bench_write ORDER BY id")) {
            while (rs.next()) {
                long f = rs.getLong(1);
                if (f < highest) {
                    stale++;
                }
                highest = Math.max(highest, f);
            }
        }
        return stale;
    }

    private static long count(HikariDataSource ds) throws SQLException {
        try (Connection con = ds.getConnection(); Statement st = con.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM ha_bench_write")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Starts one {@link LeaseHolder} process. */
    private static BenchChild holder(String url, String user, String name, HaConfig ha) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LeaseHolder.class.getName(), url, user, name,
                Long.toString(ha.lease().toMillis()), Long.toString(ha.renewEvery().toMillis()),
                Long.toString(ha.checkEvery().toMillis()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new BenchChild(name, p, Optional.empty());
    }
}
