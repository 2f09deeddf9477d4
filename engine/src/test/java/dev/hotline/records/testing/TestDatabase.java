package dev.hotline.records.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty records database for one test: an H2 file under a temporary folder, or a new MariaDB database
 * ({@code hotline_t_…}) on the test server, dropped on close. The pool is wrapped in a {@link SwitchableDataSource}
 * so outage tests can cut the database off and bring it back.
 */
public final class TestDatabase implements AutoCloseable {

    /** Which database a storage test runs against. */
    public enum Kind { H2, MARIADB }

    private final Kind kind;
    private final HikariDataSource pool;
    private final SwitchableDataSource switchable;
    private final AppDatabase database;
    private final String schema;

    private TestDatabase(Kind kind, HikariDataSource pool, String description, String schema) {
        this.kind = kind;
        this.pool = pool;
        this.switchable = new SwitchableDataSource(pool, description);
        this.database = AppDatabase.of(switchable, description);
        this.schema = schema;
    }

    public static TestDatabase open(Kind kind, Path tempDir) {
        return kind == Kind.H2 ? h2(tempDir) : mariaDb();
    }

    public static TestDatabase h2(Path dir) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(AppDatabase.embeddedUrl(dir.resolve(AppDatabase.EMBEDDED_NAME)));
        hc.setUsername("hotline");
        hc.setPassword("");
        hc.setMaximumPoolSize(4);
        hc.setInitializationFailTimeout(-1);
        hc.setTransactionIsolation(AppDatabase.ISOLATION);
        return new TestDatabase(Kind.H2, new HikariDataSource(hc), "embedded database " + dir, null);
    }

    public static TestDatabase mariaDb() {
        String schema = "hotline_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(MariaDbAvailable.ADMIN_URL, "root", "");
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("creating test database " + schema + ": " + e.getMessage(), e);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:mariadb://" + MariaDbAvailable.HOST + ":" + MariaDbAvailable.PORT + "/" + schema);
        hc.setUsername("root");
        hc.setPassword("");
        hc.setMaximumPoolSize(4);
        hc.setConnectionTimeout(2_000);
        hc.setInitializationFailTimeout(-1);
        hc.setTransactionIsolation(AppDatabase.ISOLATION);
        return new TestDatabase(Kind.MARIADB, new HikariDataSource(hc),
                "MariaDB at " + MariaDbAvailable.HOST + ":" + MariaDbAvailable.PORT, schema);
    }

    public Kind kind() {
        return kind;
    }

    public AppDatabase database() {
        return database;
    }

    public RecordStore store() {
        return new RecordStore(database);
    }

    /** A store on the pool itself, past the switch: for counting rows while the writer's database is "down". */
    public RecordStore directStore() {
        return new RecordStore(AppDatabase.of(pool, "direct"));
    }

    public SwitchableDataSource switchable() {
        return switchable;
    }

    /** The MariaDB database name (MariaDB only). */
    public String schema() {
        return schema;
    }

    @Override
    public void close() throws SQLException {
        pool.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(MariaDbAvailable.ADMIN_URL, "root", "");
                 Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + schema);
            }
        }
    }
}
