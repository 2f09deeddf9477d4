package dev.hotline.config;

import dev.hotline.yaml.Secret;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where call records and agent history are stored (section {@code database:}).
 *
 * @param kind     {@code embedded} (a database file under {@code dataDir}; the default) or {@code mariadb}
 * @param dataDir  folder for the embedded database and the record journal
 * @param url      JDBC URL for MariaDB (ignored when embedded)
 * @param username MariaDB user
 * @param password MariaDB password; never logged
 * @param poolSize connection pool size
 */
public record DatabaseConfig(Kind kind, Path dataDir, String url, String username, Secret password, int poolSize) {

    public enum Kind { EMBEDDED, MARIADB }

    public static final DatabaseConfig DEFAULTS =
            new DatabaseConfig(Kind.EMBEDDED, Path.of("data"), "", "", Secret.NONE, 4);

    public DatabaseConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        AgiConfig.requireRange("poolSize", poolSize, 1, 200);
        if (kind == Kind.MARIADB && !url.startsWith("jdbc:mariadb:")) {
            throw new IllegalArgumentException("url: " + url + " (expected: jdbc:mariadb://host:port/database)");
        }
    }
}
