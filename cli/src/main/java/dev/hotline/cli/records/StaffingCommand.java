package dev.hotline.cli.records;

import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.records.RecordsSettings;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.ReportTable;
import dev.hotline.records.staffing.AbandonmentSimulator;
import dev.hotline.records.staffing.StaffingPlanner;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code hotline staffing}: agents needed per interval for a queue's service-level target. */
@Command(name = "staffing", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Agents needed per interval: volume and handle time forecast from the same weekday and time in",
                "past weeks, Erlang C for the queue's service-level target, Erlang A (simulated, with the callers'",
                "patience estimated from history), and both scaled for shrinkage. Method: docs/RECORDS.md."})
public final class StaffingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--queue", required = true, paramLabel = "Q", description = "Queue to plan.")
    String queue;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start of the planned range.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End, exclusive (default: one day after --from).")
    String to;

    @Option(names = "--by", defaultValue = "30m", paramLabel = "BY", description = "15m, 30m or 60m (default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--shrinkage", defaultValue = "0.30", paramLabel = "S",
            description = "Share of paid time not available for calls, 0-0.95 (default: ${DEFAULT-VALUE}).")
    double shrinkage;

    @Option(names = "--history-weeks", defaultValue = "4", paramLabel = "W",
            description = "Weeks of history to forecast from (default: ${DEFAULT-VALUE}).")
    int historyWeeks;

    @Option(names = "--aht", defaultValue = "180s", paramLabel = "D",
            description = "Handle time when the history has none, e.g. 180s or 3m (default: ${DEFAULT-VALUE}).")
    String aht;

    @Option(names = "--format", defaultValue = "table", paramLabel = "F", description = "table, csv or json.")
    String format;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of intervals (default: this machine's).")
    ZoneId zone;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HotlineConfig config;
        try {
            config = data.apply(RecordsCli.config(spec), "staffing", spec.commandLine().getErr());
        } catch (RecordsCli.Reported e) {
            return 1;
        }
        Optional<QueueConfig> q = config.queue(queue);
        if (q.isEmpty()) {
            err.println("hotline staffing: --queue: '" + queue + "' is not configured (queues: "
                    + config.queues().stream().map(QueueConfig::name).toList() + ")");
            return 2;
        }
        RecordsSettings settings = RecordsSettings.defaults(config.database().dataDir());
        ZoneId z = zone != null ? zone : settings.reportZone();
        Instant start;
        Instant end;
        StaffingPlanner.Settings s;
        Grouping grouping;
        try {
            start = RecordsCli.parseTime("--from", from, z);
            end = to != null ? RecordsCli.parseTime("--to", to, z) : start.atZone(z).plusDays(1).toInstant();
            s = new StaffingPlanner.Settings(q.get().serviceLevelPct() / 100.0, q.get().serviceLevelTime(), shrinkage,
                    historyWeeks, parseDuration(aht));
            grouping = Grouping.parse(by);
        } catch (IllegalArgumentException e) {
            err.println("hotline staffing: " + e.getMessage());
            return 2;
        }
        StaffingPlanner planner = new StaffingPlanner(s, z, new AbandonmentSimulator(1, 20_000));
        Instant histFrom = planner.historyStart(start);
        try (AppDatabase db = AppDatabase.open(config.database())) {
            var history = new RecordStore(db).calls(histFrom, start, Duration.ofHours(12));
            List<StaffingPlanner.Row> rows = planner.plan(history, queue, start, end, grouping);
            out.printf("Queue %s: target %d%% within %ds, shrinkage %.0f%%, forecast from %d weeks before %s%n",
                    queue, q.get().serviceLevelPct(), q.get().serviceLevelTime().toSeconds(), shrinkage * 100,
                    historyWeeks, start.atZone(z).toLocalDate());
            out.print(table(rows, z).render(ReportTable.Format.valueOf(format.toUpperCase(Locale.ROOT))));
            out.flush();
            return 0;
        } catch (SQLException | IllegalArgumentException e) {
            err.println("hotline staffing: " + e.getMessage());
            return 1;
        }
    }

    static ReportTable table(List<StaffingPlanner.Row> rows, ZoneId zone) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
        List<List<Object>> out = new ArrayList<>();
        for (StaffingPlanner.Row r : rows) {
            out.add(Arrays.asList(f.format(r.intervalStart().atZone(zone)), round(r.forecastCalls(), 1),
                    round(r.aht().toMillis() / 1000.0, 1), round(r.erlangs(), 2), r.erlangCAgents(),
                    round(r.erlangCServiceLevel() * 100, 1), round(r.erlangCAsa().toMillis() / 1000.0, 1),
                    r.scheduledErlangC(), r.erlangAAgents(), round(r.erlangAServiceLevel() * 100, 1),
                    round(r.erlangAAbandonRate() * 100, 1), r.scheduledErlangA()));
        }
        return new ReportTable(List.of("interval", "calls", "aht_s", "erlangs", "erlang_c_agents", "erlang_c_sl",
                "erlang_c_asa_s", "erlang_c_scheduled", "erlang_a_agents", "erlang_a_sl", "erlang_a_abandon",
                "erlang_a_scheduled"), out);
    }

    private static double round(double v, int digits) {
        double p = Math.pow(10, digits);
        return Math.round(v * p) / p;
    }

    static Duration parseDuration(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--aht: '" + s + "' (expected: e.g. 180s, 3m)");
        }
    }
}
