package dev.hotline.cli.records;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.records.RecordWriter;
import dev.hotline.records.WriterSettings;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code hotline bench records}: call records per second through the whole {@link RecordWriter} path (queue,
 * journal with group-commit fsync, batched transactions) into MariaDB and into the embedded database. The clock
 * runs from the first submit until the last record is committed in the database.
 */
@Command(name = "records", mixinStandardHelpOptions = true,
        description = "Call records/s through the writer (journal + batched inserts) into MariaDB and the embedded DB.")
public final class RecordsBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "100000", description = "Call records per run (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--warmup", defaultValue = "20000", description = "Records written first, not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "1000", description = "Records per transaction (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--mariadb", defaultValue = "jdbc:mariadb://127.0.0.1:3306/",
            description = "MariaDB server URL (a scratch database is created and dropped; default: ${DEFAULT-VALUE}).")
    String mariadb;

    @Option(names = "--user", defaultValue = "root", description = "MariaDB user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password-env", defaultValue = "HOTLINE_BENCH_DB_PASSWORD",
            description = "Environment variable holding the MariaDB password (default: ${DEFAULT-VALUE}; unset: none).")
    String passwordEnv;

    @Option(names = "--no-mariadb", description = "Embedded database only.")
    boolean noMariaDb;

    @Option(names = "--no-embedded", description = "MariaDB only.")
    boolean noEmbedded;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Call records: 2 IVR steps, 1 queue visit, 2 offers each (6 rows); batch %d; fsync every 50 ms%n",
                batch);
        out.printf("%-10s %10s %12s %12s %14s%n", "database", "records", "seconds", "records/s", "rows/s");
        int failures = 0;
        if (!noEmbedded) {
            Path dir = Files.createTempDirectory("hotline-bench-records");
            try {
                HikariConfig hc = new HikariConfig();
                hc.setJdbcUrl(AppDatabase.embeddedUrl(dir.resolve("db").resolve(AppDatabase.EMBEDDED_NAME)));
                hc.setUsername("hotline");
                hc.setPassword("");
                hc.setMaximumPoolSize(2);
                hc.setTransactionIsolation(AppDatabase.ISOLATION);
                try (HikariDataSource ds = new HikariDataSource(hc)) {
                    run(out, "embedded", AppDatabase.of(ds, "embedded database"), dir);
                }
            } finally {
                deleteTree(dir);
            }
        }
        if (!noMariaDb) {
            String schema = "hotline_bench_" + ProcessHandle.current().pid();
            String password = System.getenv(passwordEnv) == null ? "" : System.getenv(passwordEnv);
            Path dir = Files.createTempDirectory("hotline-bench-records");
            try (Connection admin = DriverManager.getConnection(mariadb, user, password);
                 Statement st = admin.createStatement()) {
                st.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
                try {
                    HikariConfig hc = new HikariConfig();
                    hc.setJdbcUrl(mariadb + schema);
                    hc.setUsername(user);
                    hc.setPassword(password);
                    hc.setMaximumPoolSize(2);
                    hc.setTransactionIsolation(AppDatabase.ISOLATION);
                    try (HikariDataSource ds = new HikariDataSource(hc)) {
                        run(out, "mariadb", AppDatabase.of(ds, "MariaDB"), dir);
                    }
                } finally {
                    st.execute("DROP DATABASE " + schema);
                }
            } catch (SQLException e) {
                spec.commandLine().getErr().println("bench records: MariaDB at " + mariadb + ": " + e.getMessage());
                failures++;
            } finally {
                deleteTree(dir);
            }
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    private void run(PrintWriter out, String name, AppDatabase db, Path dir) throws Exception {
        db.migrate();
        RecordStore store = new RecordStore(db);
        WriterSettings settings = WriterSettings.defaults(dir).withBatchSize(batch)
                .withQueueCapacity(Math.max(records, warmup) + 1);
        try (RecordWriter w = RecordWriter.start(store, settings, new SimpleMeterRegistry())) {
            Instant t0 = Instant.parse("2025-03-03T08:00:00Z");
            for (int i = 0; i < warmup; i++) {
                w.submit(call("w" + i, t0.plusMillis(i * 50L)));
            }
            if (!w.awaitStored(Duration.ofMinutes(10))) {
                throw new IllegalStateException("warm-up did not finish in 10 minutes");
            }
            List<CallRecord> calls = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                calls.add(call("m" + i, t0.plusMillis(i * 50L)));
            }
            long start = System.nanoTime();
            for (CallRecord c : calls) {
                if (!w.submit(c)) {
                    throw new IllegalStateException("writer refused a record");
                }
            }
            if (!w.awaitStored(Duration.ofMinutes(10))) {
                throw new IllegalStateException("records not stored within 10 minutes");
            }
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "%-10s %,10d %12.2f %,12.0f %,14.0f%n", name, records, secs, records / secs,
                    records * 6 / secs);
            out.flush();
        }
    }

    static CallRecord call(String id, Instant start) {
        Instant q = start.plusSeconds(15);
        return CallRecord.builder(new CallId("pbx1", id), start)
                .caller("+8613800138000", "")
                .dialled("95598")
                .language("zh")
                .ivr(new IvrStep("main.welcome", start, "", IvrStep.Exit.NEXT))
                .ivr(new IvrStep("main.menu", start.plusSeconds(5), "2", IvrStep.Exit.OPTION))
                .offer(new Offer("support", "1001", q.plusSeconds(1), q.plusSeconds(16), Offer.Outcome.NO_ANSWER))
                .offer(new Offer("support", "1002", q.plusSeconds(16), q.plusSeconds(20), Offer.Outcome.ANSWERED))
                .visit(QueueVisit.answered("support", q, q.plusSeconds(20), "1002", Duration.ofSeconds(150),
                        Duration.ofSeconds(10), Duration.ofSeconds(15)))
                .disposition("inquiry", "")
                .survey(5)
                .hangup(HangupParty.CALLER, 16)
                .recording("2025/03/03/" + id + ".wav")
                .ended(q.plusSeconds(180), CallOutcome.ANSWERED)
                .build();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
