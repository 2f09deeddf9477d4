package dev.hotline.records.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.config.DatabaseConfig;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The application database: a pooled {@link DataSource} plus a description for messages ({@code MariaDB at
 * 127.0.0.1:3306}, {@code embedded database data/records}). Call records live here, and so do every other table of
 * Hotline (directory, calendars, callbacks, outbound, QA, users, the pair's lease). The schema is created and upgraded
 * by the Flyway migrations in {@code db/migration}, the same on MariaDB and on the embedded H2 (which runs in MariaDB
 * mode).
 *
 * <p>Opening never connects: the pool starts empty so the engine can start (and journal its records) while the
 * database is down. {@link #migrate()} is run by the record writer before its first write and retried until it
 * succeeds.
 *
 * <p>Durability: {@link #commitDurably} is how a writer commits when something else (the record journal's checkpoint)
 * relies on the data being on disk. MariaDB's commit is durable (InnoDB's default {@code
 * innodb_flush_log_at_trx_commit=1}); H2 writes a commit to its file up to half a second later (its write delay), so
 * for H2 the commit is followed by {@code CHECKPOINT SYNC}, which writes and fsyncs it (about 2 ms per batch).
 */
public final class AppDatabase implements AutoCloseable {

    static {
        // H2's AUTO_SERVER (which lets `hotline report` read the embedded database while the engine runs) listens on
        // every interface unless told otherwise; only local processes need it.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /** File name (without H2's {@code .mv.db}) of the embedded database under the data folder. */
    public static final String EMBEDDED_NAME = "records";

    /** Enough for idempotent delete-then-insert batches, with fewer gap locks than InnoDB's REPEATABLE READ. */
    public static final String ISOLATION = "TRANSACTION_READ_COMMITTED";

    private final DataSource dataSource;
    private final String description;
    private final AutoCloseable owned;
    private volatile boolean migrated;
    /** Whether the connections are H2's (looked up on the first durable commit). */
    private volatile Boolean h2;

    private AppDatabase(DataSource dataSource, String description, AutoCloseable owned) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.description = Objects.requireNonNull(description, "description");
        this.owned = owned;
    }

    /** Opens the pool {@code config} describes. The password is revealed only to the pool. */
    public static AppDatabase open(DatabaseConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("records");
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(0);
        hc.setConnectionTimeout(3_000);
        hc.setValidationTimeout(2_000);
        hc.setInitializationFailTimeout(-1);
        // Set, not read from the first connection: a connection cut while the pool reads it would leave the pool
        // with an invalid level, failing every later connection.
        hc.setTransactionIsolation(ISOLATION);
        String description;
        if (config.kind() == DatabaseConfig.Kind.MARIADB) {
            hc.setJdbcUrl(config.url());
            hc.setUsername(config.username());
            hc.setPassword(config.password().reveal());
            hc.setDriverClassName("org.mariadb.jdbc.Driver");
            description = "MariaDB at " + hostAndPort(config.url());
        } else {
            Path file = config.dataDir().toAbsolutePath().normalize().resolve(EMBEDDED_NAME);
            EmbeddedLock.clearStale(file);
            hc.setJdbcUrl(embeddedUrl(file));
            hc.setUsername("hotline");
            hc.setPassword("");
            hc.setDriverClassName("org.h2.Driver");
            description = "embedded database " + config.dataDir().resolve(EMBEDDED_NAME) + ".mv.db";
        }
        HikariDataSource ds = new HikariDataSource(hc);
        return new AppDatabase(ds, description, ds);
    }

    /**
     * The JDBC URL of the embedded database at {@code file} (without extension). AUTO_SERVER lets
     * {@code hotline report} read it while the engine has it open.
     */
    public static String embeddedUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    }

    /** A database over a data source the caller made (tests, benchmarks); closed with it when it is closeable. */
    public static AppDatabase of(DataSource dataSource, String description) {
        return new AppDatabase(dataSource, description,
                dataSource instanceof AutoCloseable c ? c : null);
    }

    /**
     * Runs pending migrations (once per instance; a failure is retried on the next call). Several parts call it
     * (record writer, callbacks, calendars, gateway users): one runs at a time.
     */
    public synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        try {
            flyway(dataSource, "classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            throw new SQLException("records: schema migration on " + description + " failed: " + rootMessage(e), e);
        }
        migrated = true;
    }

    /**
     * The Flyway settings every migration runs with. Migrations are applied strictly in version order (a release
     * never ships a version lower than one an earlier release applied: a new migration takes the next free number
     * when it lands on main).
     */
    static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource dataSource,
                                                                         String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .failOnMissingLocations(true);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Commits {@code con}'s transaction so that it survives a crash of this process and of the machine once this
     * returns (see the class comment). Leaves the connection in auto-commit mode.
     */
    public void commitDurably(Connection con) throws SQLException {
        con.commit();
        Boolean embedded = h2;
        if (embedded == null) {
            embedded = "H2".equalsIgnoreCase(con.getMetaData().getDatabaseProductName());
            h2 = embedded;
        }
        if (embedded) {
            con.setAutoCommit(true);
            try (Statement st = con.createStatement()) {
                st.execute("CHECKPOINT SYNC");
            }
        }
    }

    /** For messages: which database, never credentials. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                throw new IllegalStateException("records: closing " + description + ": " + e.getMessage(), e);
            }
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.strip();
    }

    static String hostAndPort(String jdbcUrl) {
        // jdbc:mariadb://host:port/db?options — also jdbc:mariadb:loadbalance://…; keep only the first host.
        String rest = jdbcUrl.substring(jdbcUrl.indexOf("//") + 2);
        int end = rest.length();
        for (char c : new char[] {'/', '?', ','}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String hostPort = rest.substring(0, end);
        int at = hostPort.lastIndexOf('@');
        hostPort = at >= 0 ? hostPort.substring(at + 1) : hostPort;
        if (!hostPort.contains(":") || hostPort.endsWith("]")) {
            hostPort = hostPort + ":3306";
        }
        return hostPort.startsWith(":") ? "localhost" + hostPort : hostPort;
    }
}
