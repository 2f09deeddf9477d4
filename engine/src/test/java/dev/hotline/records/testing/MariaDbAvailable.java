package dev.hotline.records.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The condition behind {@link MariaDbTest}: skip (or, in CI, fail) when the test server cannot be reached. */
public final class MariaDbAvailable implements BeforeAllCallback {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 3306;
    public static final String ADMIN_URL = "jdbc:mariadb://" + HOST + ":" + PORT + "/test?connectTimeout=2000";

    @Override
    public void beforeAll(ExtensionContext context) {
        try (Connection ignored = DriverManager.getConnection(ADMIN_URL, "root", "")) {
            return;
        } catch (SQLException e) {
            String message = "MariaDB not reachable at " + HOST + ":" + PORT + ": " + e.getMessage();
            if ("1".equals(System.getenv("HOTLINE_REQUIRE_MARIADB"))) {
                Assertions.fail(message + " (HOTLINE_REQUIRE_MARIADB=1: MariaDB tests are mandatory)");
            }
            System.err.println("SKIPPED " + context.getDisplayName() + ": " + message);
            Assumptions.abort(message);
        }
    }
}
