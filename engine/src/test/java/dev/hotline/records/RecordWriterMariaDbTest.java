package dev.hotline.records;

import dev.hotline.records.testing.MariaDbAvailable;
import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@MariaDbTest
class RecordWriterMariaDbTest extends RecordWriterContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }

    /** The server cuts the writer's connections (KILL) again and again while records stream in. */
    @Test
    void killedConnectionsDuringAStreamLoseAndDuplicateNothing() throws Exception {
        int n = 4_000;
        int kills = 0;
        try (RecordWriter w = RecordWriter.start(store, settings().withBatchSize(50), registry)) {
            for (int i = 0; i < n; i++) {
                assertThat(submit(w, entry(i))).isTrue();
                if (i % 500 == 250) {
                    kills += killConnections(db.schema());
                }
            }
            assertThat(w.awaitStored(WAIT)).isTrue();
        }
        assertThat(kills).as("connections killed").isPositive();
        assertExactly(n);
    }

    /**
     * Kills the writer's connections to {@code schema}; waits (up to 5 s) for it to have one first, since the
     * submissions are much faster than the pool's first connection and a kill of nothing tests nothing.
     */
    private static int killConnections(String schema) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        int killed;
        while ((killed = killOnce(schema)) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return killed;
    }

    private static int killOnce(String schema) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(MariaDbAvailable.ADMIN_URL, "root", "");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id FROM information_schema.processlist WHERE db = '"
                    + schema + "'")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                try {
                    st.execute("KILL CONNECTION " + id);
                } catch (java.sql.SQLException gone) {
                    // It closed by itself in between.
                }
            }
        }
        return ids.size();
    }
}
