package dev.hotline.records.store;

import dev.hotline.records.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations written in parallel branches: one numbered lower than the newest applied still runs. */
class RecordsDatabaseFlywayTest {

    @TempDir
    Path dir;

    @Test
    void aLowerMigrationArrivingAfterAHigherOneIsAppliedNotRefused() throws Exception {
        try (TestDatabase db = TestDatabase.h2(dir)) {
            db.database().migrate();
            assertThat(tableExists(db, "gateway_user")).isTrue();
            assertThat(tableExists(db, "business_calendar")).isTrue();

            // Without outOfOrder, Flyway refuses the late one: the reason for the setting.
            assertThatThrownBy(() -> Flyway.configure().dataSource(db.database().dataSource())
                    .locations("classpath:db/migration", "classpath:db/late-migration-test").load().migrate())
                    .hasMessageContaining("3.1");

            RecordsDatabase.flyway(db.database().dataSource(), "classpath:db/migration",
                    "classpath:db/late-migration-test").load().migrate();
            assertThat(tableExists(db, "late_branch_marker")).isTrue();
        }
    }

    private static boolean tableExists(TestDatabase db, String table) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '"
                     + table + "'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
