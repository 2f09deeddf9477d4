package dev.hotline.cli.records;

import dev.hotline.cli.Main;
import dev.hotline.config.DatabaseConfig;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import dev.hotline.yaml.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hotline report} and {@code hotline staffing} against an embedded database filled by the test. */
@Tag("slow")
class RecordsCommandsTest {

    @TempDir
    Path dir;

    Path config;

    record Result(int code, String out, String err) {
    }

    Result run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return new Result(cli.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    @BeforeEach
    void fill() throws Exception {
        Path data = dir.resolve("data");
        config = dir.resolve("hotline.yaml");
        Files.writeString(config, """
                database:
                  kind: embedded
                  data_dir: %s
                queues:
                  - name: support
                    skills: {support: 1}
                    service_level: {percent: 80, within: 20s}
                    max_wait: 3m
                """.formatted(data));
        List<CallRecord> calls = new ArrayList<>();
        // Two Mondays of history, 09:00-09:30 UTC: 100 calls each, answered after 10 s, 3 minutes handle time.
        for (int week = 1; week <= 2; week++) {
            Instant nine = Instant.parse("2025-03-31T09:00:00Z").minus(Duration.ofDays(7L * week));
            for (int i = 0; i < 100; i++) {
                Instant enq = nine.plusSeconds(i * 18L);
                calls.add(CallRecord.builder(new CallId("pbx1", week + "." + i), enq)
                        .visit(QueueVisit.answered("support", enq, enq.plusSeconds(10), "a" + (i % 7),
                                Duration.ofSeconds(160), Duration.ZERO, Duration.ofSeconds(20)))
                        .ended(enq.plusSeconds(200), CallOutcome.ANSWERED).build());
            }
        }
        try (AppDatabase db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, data, "", "",
                Secret.NONE, 2))) {
            new RecordStore(db).write(calls);
        }
    }

    @Test
    void reportPrintsQueueFiguresAsCsv() {
        Result r = run("report", "--from", "2025-03-24", "--by", "day", "--format", "csv", "--zone", "UTC",
                "--queue", "support");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("interval,queue,offered,answered")
                .contains("2025-03-24 00:00,support,100,100,0,0,0,0,100.0,100.0,10.0,10.0,10.0,180.0,20.0,0.0,");
    }

    @Test
    void reportAndStaffingReadTheFolderGivenWithDataDir() throws Exception {
        // The configuration points at an empty folder; the records are in "data" (as after `demo --data-dir`).
        Files.writeString(config, Files.readString(config).replace("data_dir: " + dir.resolve("data"),
                "data_dir: " + dir.resolve("elsewhere")));
        Result configured = run("report", "--from", "2025-03-24", "--by", "day", "--format", "csv", "--zone", "UTC",
                "--queue", "support");
        assertThat(configured.out()).doesNotContain(",support,100,");

        Result report = run("report", "--data-dir", dir.resolve("data").toString(), "--from", "2025-03-24", "--by",
                "day", "--format", "csv", "--zone", "UTC", "--queue", "support");
        assertThat(report.err()).isEmpty();
        assertThat(report.out()).contains("2025-03-24 00:00,support,100,100,");
        Result staffing = run("staffing", "--data-dir", dir.resolve("data").toString(), "--queue", "support",
                "--from", "2025-03-31T09:00", "--to", "2025-03-31T10:00", "--zone", "UTC", "--history-weeks", "2",
                "--format", "csv");
        assertThat(staffing.err()).isEmpty();
        assertThat(staffing.out()).contains("2025-03-31 09:00,100.0,180.0,10.0,14,");

        Result missing = run("report", "--data-dir", dir.resolve("nothing-here").toString(), "--from", "2025-03-24");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("hotline report: --data-dir", "nothing-here",
                "no embedded database there (expected: ", "records.mv.db");
        assertThat(dir.resolve("nothing-here")).doesNotExist();
    }

    @Test
    void reportUsesTheTargetAQueueWasGivenOnTheAdminPage() throws Exception {
        // An admin tightened support to 80 % within 5 s (a directory row over the file's 20 s): answered after
        // 10 s, no call is within it any more.
        try (AppDatabase db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED,
                dir.resolve("data"), "", "", Secret.NONE, 2))) {
            db.migrate();
            new dev.hotline.directory.DirectoryStore(db.dataSource()).saveQueue(new dev.hotline.directory.DirectoryStore
                    .Row("support", "{\"name\":\"support\",\"skills\":{\"support\":1},"
                    + "\"service_level\":{\"percent\":80,\"within\":\"5s\"}}", false, Instant.now(), "root"));
        }
        Result r = run("report", "--from", "2025-03-24", "--by", "day", "--format", "csv", "--zone", "UTC",
                "--queue", "support");

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("2025-03-24 00:00,support,100,100,0,0,0,0,0.0,0.0,10.0,");
    }

    @Test
    void reportByAgentAndAsJson() {
        Result r = run("report", "--from", "2025-03-24", "--by", "agent", "--format", "json", "--zone", "UTC");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"agent\" : \"a0\"").contains("\"handled\" : 15");
    }

    @Test
    void staffingForecastsFromHistoryAndGivesErlangCAgents() {
        Result r = run("staffing", "--queue", "support", "--from", "2025-03-31T09:00", "--to", "2025-03-31T10:00",
                "--zone", "UTC", "--history-weeks", "2", "--format", "csv");

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        // 100 calls per half hour at 180 s: 10 erlangs, 14 agents for 80/20, 20 scheduled at 30 % shrinkage.
        assertThat(r.out()).contains("2025-03-31 09:00,100.0,180.0,10.0,14,88.8,7.8,20,")
                .contains("2025-03-31 09:30,0.0,180.0,0.0,0,");
    }

    @Test
    void anUnknownQueueAndABadTimeAreReportedByName() {
        assertThat(run("staffing", "--queue", "nope", "--from", "2025-03-31").err())
                .contains("--queue: 'nope' is not configured (queues: [support])");
        Result bad = run("report", "--from", "yesterday");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("--from: 'yesterday' (expected: 2025-03-03, 2025-03-03T09:30");
    }

    @Test
    void callbackReportShowsPromisedVersusKeptPerQueue() throws Exception {
        Path data = dir.resolve("data");
        try (AppDatabase db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, data, "", "",
                Secret.NONE, 2))) {
            db.migrate();
            var store = new dev.hotline.callbacks.CallbackStore(db.dataSource());
            Instant t = Instant.parse("2025-03-31T09:00:00Z");
            store.insert(dev.hotline.callbacks.Callback.queued("cb1", "support", "0611111111", "", t));
            store.insert(dev.hotline.callbacks.Callback.queued("cb2", "support", "0622222222", "", t.plusSeconds(60)));
        }
        Result r = run("report", "--from", "2025-03-31", "--by", "callbacks", "--zone", "UTC");
        assertThat(r.code()).as(r.err()).isZero();
        // Both still pending long after their due time (overdue_after defaults to 1 h): promised, not kept.
        assertThat(r.out()).containsPattern("(?m)^support +2 +0 +0 +0 +0 +0 +2 +2 +0%$");
        // Per agent too: nobody has tried them and they have no owner.
        assertThat(r.out()).containsPattern("(?m)^agent +requested +completed +on-time +late");
        assertThat(r.out()).containsPattern("(?m)^\\(unassigned\\) +2 +0 +0 +0 +0 +0 +2 +2 +0%$");
        // The same figures for spreadsheets.
        Result csv = run("report", "--from", "2025-03-31", "--by", "callbacks", "--zone", "UTC", "--format", "csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        assertThat(csv.out()).startsWith("by,name,requested,completed,on_time,late,failed,cancelled,pending,overdue,"
                + "kept_percent").contains("queue,support,2,0,0,0,0,0,2,2,0.0").contains("agent,(unassigned),2,0,0,0,");
    }

    @Test
    void campaignReportGivesTheIssuesFiguresAndTheAbandonRateByHourAgainstTheCap() throws Exception {
        Path data = dir.resolve("data");
        Instant t = Instant.parse("2025-03-31T09:00:00Z");
        try (AppDatabase db = AppDatabase.open(new DatabaseConfig(DatabaseConfig.Kind.EMBEDDED, data, "", "",
                Secret.NONE, 2))) {
            db.migrate();
            var store = new dev.hotline.outbound.OutboundStore(db.dataSource());
            store.save(new dev.hotline.outbound.Campaign("renew", "Renewals", "support",
                    dev.hotline.outbound.DialMode.PREDICTIVE, "", dev.hotline.outbound.CallingHours.parse(
                    "09:00-20:00", "mon-fri"), java.time.ZoneOffset.UTC, dev.hotline.outbound.RetryRules.defaults(),
                    true, dev.hotline.outbound.Campaign.MachineAction.RETRY, 3.0, "", List.of("sale*", "no"),
                    dev.hotline.outbound.Campaign.Status.RUNNING, t, "sam"));
            store.insert(dev.hotline.outbound.ContactImport.read(new java.io.StringReader(
                            "number\n5550101\n5550102\n5550103\n5550104\n"), "renew",
                    dev.hotline.outbound.ContactImport.Mapping.of("number"),
                    dev.hotline.outbound.ZonePrefixes.parse(java.util.Map.of(), "UTC"), java.util.Set.of(), 1, t)
                    .contacts());
            // 09:00 a sale (waited 30 s, talked 170 s, wrap-up 10 s), 09:01 busy; 10:00 a person abandoned.
            store.insert(new dev.hotline.outbound.Attempt("renew-1-1", "renew", "renew-1", "5550101",
                    dev.hotline.outbound.DialMode.PREDICTIVE, t, java.util.Optional.of(t.plusSeconds(5)),
                    t.plusSeconds(180), dev.hotline.outbound.Outcome.CONNECTED, "HUMAN", java.util.Optional.of("1001"),
                    java.util.Optional.of(Duration.ofSeconds(30)), Duration.ofSeconds(170), Duration.ofSeconds(10),
                    "sale", true));
            store.insert(new dev.hotline.outbound.Attempt("renew-2-1", "renew", "renew-2", "5550102",
                    dev.hotline.outbound.DialMode.PREDICTIVE, t.plusSeconds(60), java.util.Optional.empty(),
                    t.plusSeconds(70), dev.hotline.outbound.Outcome.BUSY, "", java.util.Optional.empty(),
                    java.util.Optional.empty(), Duration.ZERO, Duration.ZERO, "", false));
            store.insert(new dev.hotline.outbound.Attempt("renew-3-1", "renew", "renew-3", "5550103",
                    dev.hotline.outbound.DialMode.PREDICTIVE, t.plusSeconds(3600),
                    java.util.Optional.of(t.plusSeconds(3605)), t.plusSeconds(3612),
                    dev.hotline.outbound.Outcome.ABANDONED, "HUMAN", java.util.Optional.empty(),
                    java.util.Optional.empty(), Duration.ZERO, Duration.ZERO, "", false));
        }
        Result r = run("report", "--from", "2025-03-31", "--by", "campaign", "--zone", "UTC");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^renew +predictive +3 +1 +1 +1 +50\\.0 +3\\.0 +30\\.0 +17\\.14 +75\\.0$")
                .contains("Abandon rate by hour (live answers; cap per campaign)")
                .containsPattern("(?m)^renew +2025-03-31T09:00 +1 +0 +0\\.0 +3\\.0$")
                .containsPattern("(?m)^renew +2025-03-31T10:00 +1 +1 +100\\.0 +3\\.0$");
        Result csv = run("report", "--from", "2025-03-31", "--by", "campaign", "--zone", "UTC", "--format", "csv");
        assertThat(csv.code()).as(csv.err()).isZero();
        // 3 attempts, 1 reached (a right-party contact), 1 of 2 live answers abandoned: 50 % against the 3 % cap;
        // 30 s wait; 1 contact in 30 + 170 + 10 s of agent time: 17.14 per agent-hour; 3 of 4 contacts tried: 75 %.
        assertThat(csv.out()).isEqualTo("campaign,mode,attempts,reached,right_party,abandoned,abandon_pct,cap_pct,"
                + "agent_wait_s,contacts_per_agent_hour,penetration_pct\r\nrenew,predictive,3,1,1,1,50.0,3.0,30.0,17.14,"
                + "75.0\r\n");   // RFC 4180 line ends
    }
}
