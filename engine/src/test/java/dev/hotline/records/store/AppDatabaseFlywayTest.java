package dev.hotline.records.store;

import dev.hotline.records.testing.TestDatabase;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** A database left by an earlier release (schema at V2) is upgraded in place, keeping its rows. */
@Tag("slow")
class AppDatabaseFlywayTest {

    @TempDir
    Path dir;

    @Test
    void aDatabaseOfAnEarlierReleaseIsUpgradedKeepingItsRows() throws Exception {
        try (TestDatabase db = TestDatabase.h2(dir)) {
            AppDatabase.flyway(db.database().dataSource(), "classpath:db/migration")
                    .target(MigrationVersion.fromVersion("2")).load().migrate();
            assertThat(tableExists(db, "callback")).isTrue();
            assertThat(tableExists(db, "gateway_user")).isFalse();
            try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO callback (callback_id, kind, queue_name, phone_number, caller_name,"
                        + " requested_ms, due_ms, note, status, attempts, not_before_ms, last_result)"
                        + " VALUES ('cb-old', 'QUEUED', 'support', '0611111111', '', 1, 1, '', 'PENDING', 0, 0, '')");
            }

            db.database().migrate();

            assertThat(tableExists(db, "gateway_user")).isTrue();
            assertThat(tableExists(db, "business_calendar")).isTrue();
            assertThat(tableExists(db, "directory_agent")).isTrue();
            try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM callback WHERE callback_id = 'cb-old'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    private static boolean tableExists(TestDatabase db, String table) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = '"
                     + table + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
