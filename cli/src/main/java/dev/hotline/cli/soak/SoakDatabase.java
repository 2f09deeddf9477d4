package dev.hotline.cli.soak;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.yaml.Secret;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The soak's own MariaDB database, for the {@code slow-db} fault: a new database {@code hotline_soak_…} on the
 * server given with {@code --mariadb}, which the engine reaches through a {@link DelayProxy}; dropped at the end.
 */
final class SoakDatabase implements AutoCloseable {

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;
    private final DelayProxy proxy;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread onExit = new Thread(this::close, "soak-drop-database");

    private SoakDatabase(String serverUrl, String user, String password, String name, DelayProxy proxy) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = name;
        this.proxy = proxy;
        // Ctrl-C in the middle of a soak still drops the database.
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * Creates the database on {@code serverUrl} ({@code jdbc:mariadb://host:port}) and the proxy in front of it.
     *
     * @throws SQLException naming the server when it cannot be reached or refuses
     */
    static SoakDatabase create(String serverUrl, String user, String password) throws SQLException, IOException {
        URI uri = URI.create(serverUrl.substring("jdbc:".length()));
        int port = uri.getPort() < 0 ? 3306 : uri.getPort();
        String name = "hotline_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        }
        return new SoakDatabase(serverUrl, user, password, name,
                DelayProxy.start(new InetSocketAddress(uri.getHost(), port)));
    }

    /** The engine's database settings: this database, through the proxy. */
    DatabaseConfig config(Path dataDir) {
        return new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dataDir,
                "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/" + name, user, Secret.of(password), 4);
    }

    DelayProxy proxy() {
        return proxy;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already
            }
        }
        proxy.close();
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            System.err.println("hotline soak: could not drop database " + name + ": " + e.getMessage());
        }
    }
}
