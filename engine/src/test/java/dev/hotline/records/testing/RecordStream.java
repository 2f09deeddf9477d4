package dev.hotline.records.testing;

import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.CallRecords;
import dev.hotline.records.RecordsSettings;
import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.yaml.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A child JVM for crash tests: the engine's records (journal + database, opened as the engine opens them) under a
 * stream of call records and agent transitions, printing {@code durable <i>} once entry pair {@code i} is fsynced in
 * the journal (what the engine promises to keep). Killed with {@code destroyForcibly} by the test.
 *
 * <pre>
 *   RecordStream h2 DATA_DIR - CYCLE stream      # or: mariadb DATA_DIR JDBC_URL CYCLE stream
 *   RecordStream h2 DATA_DIR - CYCLE drain       # replays the journal into the database, prints "stored", exits
 * </pre>
 * First line: {@code open <ms>} (the first connection, through the engine's pool and its 3 s timeout) or
 * {@code open-failed <message>}.
 */
public final class RecordStream {

    private RecordStream() {
    }

    /** The call id's linked part and the agent id of entry pair {@code i} of {@code cycle}. */
    public static String name(int cycle, int i) {
        return "k" + cycle + "-" + i;
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        DatabaseConfig config = args[0].equals("h2")
                ? new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, dataDir, "", "", Secret.NONE, 2)
                : new DatabaseConfig(DatabaseConfig.Kind.MARIADB, dataDir, args[2], "root", Secret.NONE, 2);
        int cycle = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        try (CallRecords records = CallRecords.open(config, RecordsSettings.defaults(dataDir), List.of(),
                new SimpleMeterRegistry(), InstantSource.system())) {
            long start = System.nanoTime();
            try {
                try (var con = records.database().dataSource().getConnection()) {
                    out.println("open " + (System.nanoTime() - start) / 1_000_000);
                }
                records.database().migrate();
            } catch (SQLException | RuntimeException e) {
                // The pool's time-out names its last connection failure as the cause (a lock would show there).
                String cause = e.getCause() == null ? "" : " cause: " + e.getCause().getMessage();
                out.println("open-failed " + (e.getMessage() + cause).replace('\n', ' '));
            }
            out.flush();
            if (args[4].equals("drain")) {
                boolean stored = records.writer().awaitStored(Duration.ofSeconds(60));
                out.println(stored ? "stored" : "not-stored");
                out.flush();
                return;
            }
            for (int i = 0; ; i++) {
                String name = name(cycle, i);
                records.submit(Fixtures.fullCall(name, Fixtures.T0.plusSeconds(i)));
                records.submit(new AgentStateChange(UUID.nameUUIDFromBytes(name.getBytes()), name, "team-a",
                        AgentPhase.READY, AgentPhase.ON_CALL, "", Fixtures.T0.plusSeconds(i), Optional.empty(), i));
                if (!records.writer().awaitDurable(Duration.ofSeconds(10))) {
                    out.println("not-durable " + i);
                    out.flush();
                    return;
                }
                out.println("durable " + i);
                out.flush();
                Thread.sleep(3);
            }
        }
    }
}
