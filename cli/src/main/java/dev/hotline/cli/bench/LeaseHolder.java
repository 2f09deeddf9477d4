package dev.hotline.cli.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.config.HaConfig;
import dev.hotline.ha.FencedOutException;
import dev.hotline.ha.LeasePool;
import dev.hotline.ha.LeaseStore;
import dev.hotline.ha.Leadership;
import dev.hotline.yaml.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;

/**
 * One engine's leadership as a separate process, for {@code hotline bench failover}: holds or watches the lease of
 * the database it is given and, while it may act, makes a fenced write every 20 ms (as the directory or the callback
 * dialler would). Prints {@code active <fence>}, {@code standby} and {@code refused} lines on stdout for the bench;
 * the parent kills it with SIGKILL or freezes it with SIGSTOP.
 *
 * <p>Arguments: JDBC URL, user, engine name, lease, renew_every, check_every (durations in ms). The password comes
 * from {@code HOTLINE_BENCH_DB_PASSWORD}.
 */
public final class LeaseHolder {

    private LeaseHolder() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LeaseHolder <jdbc url> <user> <engine name> <lease ms> <renew ms> <check ms>");
            System.exit(2);
        }
        String password = System.getenv().getOrDefault("HOTLINE_BENCH_DB_PASSWORD", "");
        HaConfig ha = new HaConfig(true, Duration.ofMillis(Long.parseLong(args[3])),
                Duration.ofMillis(Long.parseLong(args[4])), Duration.ofMillis(Long.parseLong(args[5])), "");
        DatabaseConfig db = new DatabaseConfig(DatabaseConfig.Kind.MARIADB, Path.of("."), args[0], args[1],
                Secret.of(password), 2);
        String name = args[2];
        PrintStream out = System.out;
        HikariDataSource pool = LeasePool.open(db, ha);
        Leadership lease = new Leadership(ha, name, new LeaseStore(pool, InstantSource.system(), ha.renewEvery()),
                System::nanoTime, InstantSource.system(), new SimpleMeterRegistry());
        lease.onChange(new Leadership.Listener() {
            @Override
            public void active(long fence) {
                say(out, "active " + fence);
            }

            @Override
            public void standby(String why) {
                say(out, "standby " + why);
            }
        }).start();
        say(out, "started");
        while (true) {
            if (lease.mayAct()) {
                try (Connection con = pool.getConnection()) {
                    con.setAutoCommit(false);
                    try (PreparedStatement ps = con.prepareStatement(
                            "INSERT INTO ha_bench_write (engine, fence) VALUES (?, ?)")) {
                        ps.setString(1, name);
                        ps.setLong(2, lease.number());
                        ps.executeUpdate();
                        lease.guard(con, "bench write");
                        con.commit();
                    } catch (SQLException e) {
                        con.rollback();
                        if (e instanceof FencedOutException) {
                            say(out, "refused " + e.getMessage());
                        }
                    }
                } catch (SQLException e) {
                    // database unreachable: the lease steps the engine down in time
                }
            }
            Thread.sleep(20);
        }
    }

    private static void say(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
