package dev.hotline.cli.records;

import dev.hotline.config.HotlineConfig;
import dev.hotline.qa.Progress;
import dev.hotline.qa.QualityReport;
import dev.hotline.qa.service.QaService;
import dev.hotline.qa.store.QaStore;
import dev.hotline.records.RecordsSettings;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.ReportTable;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.AppDatabase;
import dev.hotline.records.store.RecordStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.hotline.qa.Progress;
import dev.hotline.qa.QualityReport;
import dev.hotline.qa.service.QaService;
import dev.hotline.qa.store.QaStore;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code hotline report}: KPIs from the call records, per queue and interval, per agent or team, per IVR node. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Call-centre figures from the stored call records (formulas: docs/RECORDS.md).",
                "--by 15m|30m|60m|day|week|month|quarter|year: per queue and interval (row '*' = all queues);",
                "--by agent|team: per agent or team and day; --by node: per IVR node and day;",
                "--by callbacks: callbacks promised vs kept per queue and per agent (docs/CALLBACKS.md);",
                "--by qa: the monthly quality report of the month of --from, per agent, team and in total (docs/QA.md);",
                "--by campaign: outbound campaigns, and their abandon rate by hour vs the cap (docs/OUTBOUND.md)."})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Start: 2025-03-03, 2025-03-03T09:00 (local) or an instant ending in Z.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End, exclusive (default: one day after --from).")
    String to;

    @Option(names = "--queue", paramLabel = "Q", description = "Only this queue.")
    String queue;

    @Option(names = "--team", paramLabel = "T", description = "Only this team (agent and team reports).")
    String team;

    @Option(names = "--by", defaultValue = "30m", paramLabel = "BY",
            description = "Grouping (default: ${DEFAULT-VALUE}); 'callbacks': promised vs kept per queue and agent.")
    String by;

    @Option(names = "--format", defaultValue = "table", paramLabel = "F",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone of intervals (default: this machine's).")
    ZoneId zone;

    /**
     * The queues as the engine runs them: the files' queues with the directory's rows (queues created or changed
     * on the admin page) over them, so each is reported with the service-level target it has. A row that no longer
     * reads is left out with a warning (the file's definition stands).
     */
    static java.util.List<dev.hotline.config.QueueConfig> queuesAsDefined(AppDatabase db, HotlineConfig config,
                                                                          PrintWriter err) throws SQLException {
        java.util.Map<String, dev.hotline.config.QueueConfig> byName = new java.util.LinkedHashMap<>();
        config.queues().forEach(q -> byName.put(q.name(), q));
        db.migrate();
        var loader = dev.hotline.config.ConfigLoader.fromSystemEnvironment();
        for (var row : new dev.hotline.directory.DirectoryStore(db.dataSource()).load().queues()) {
            try {
                byName.put(row.id(), loader.parseQueue(row.definition(), "directory queue " + row.id(),
                        byName.keySet()));
            } catch (dev.hotline.config.ConfigException e) {
                err.println("hotline report: directory queue " + row.id() + " is not readable ("
                        + e.problems().getFirst() + "); its file definition, if any, is used");
            }
        }
        return java.util.List.copyOf(byName.values());
    }

    /**
     * The agents as the engine runs them, with their teams: the agents file with the directory's rows over it (an
     * unreadable row is left out with a warning, as for queues).
     */
    static Map<String, Set<String>> agentTeams(AppDatabase db, HotlineConfig config, PrintWriter err)
            throws SQLException {
        var loader = dev.hotline.config.ConfigLoader.fromSystemEnvironment();
        Map<String, Set<String>> out = new TreeMap<>();
        try {
            loader.loadAgents(config.agentsFile()).forEach(a -> out.put(a.id(), a.teams()));
        } catch (dev.hotline.config.ConfigException e) {
            err.println("hotline report: " + config.agentsFile() + " is not readable (" + e.problems().getFirst()
                    + "); agents come from the directory and the evaluations only");
        }
        for (var row : new dev.hotline.directory.DirectoryStore(db.dataSource()).load().agents()) {
            try {
                var a = loader.parseAgent(row.definition(), "directory agent " + row.id());
                out.put(a.id(), a.teams());
            } catch (dev.hotline.config.ConfigException e) {
                err.println("hotline report: directory agent " + row.id() + " is not readable ("
                        + e.problems().getFirst() + ")");
            }
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportTable.Format fmt;
        try {
            fmt = ReportTable.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("hotline report: --format: '" + format + "' (expected: table, csv or json)");
            return 2;
        }
        HotlineConfig config;
        try {
            config = data.apply(RecordsCli.config(spec), "report", spec.commandLine().getErr());
        } catch (RecordsCli.Reported e) {
            return 1;
        }
        RecordsSettings settings = RecordsSettings.defaults(config.database().dataDir());
        ZoneId z = zone != null ? zone : settings.reportZone();
        Instant start;
        Instant end;
        String kind = by.strip().toLowerCase(Locale.ROOT);
        Grouping grouping;
        try {
            start = RecordsCli.parseTime("--from", from, z);
            end = to != null ? RecordsCli.parseTime("--to", to, z) : start.atZone(z).plusDays(1).toInstant();
            grouping = switch (kind) {
                case "agent", "team", "node", "callbacks", "qa", "campaign" -> Grouping.DAY;
                default -> Grouping.parse(kind);
            };
        } catch (IllegalArgumentException e) {
            err.println("hotline report: " + e.getMessage());
            return 2;
        }
        try (AppDatabase db = AppDatabase.open(config.database())) {
            if (kind.equals("callbacks")) {
                // Promised vs kept per queue and per agent: requested in the period, completed (on time / late:
                // before or after due + acd.callback.overdue_after), failed, cancelled, still pending, overdue.
                db.migrate();
                var store = new dev.hotline.callbacks.CallbackStore(db.dataSource());
                var all = store.requested(start, end).stream()
                        .filter(c -> queue == null || c.queue().equals(queue)).toList();
                var report = dev.hotline.callbacks.CallbackReport.Report.of(all, Instant.now(),
                        config.acd().callback().overdueAfter());
                out.print(fmt == ReportTable.Format.TABLE ? dev.hotline.callbacks.CallbackReport.format(report)
                        : dev.hotline.callbacks.CallbackReport.table(report).render(fmt));
                out.flush();
                return 0;
            }
            if (kind.equals("campaign")) {
                // Outbound campaigns (docs/OUTBOUND.md): per campaign, then the abandon rate hour by hour vs the cap.
                db.migrate();
                var store = new dev.hotline.outbound.OutboundStore(db.dataSource());
                Map<String, dev.hotline.outbound.Campaign> campaigns = new TreeMap<>();
                store.campaigns().forEach(c -> campaigns.put(c.id(), c));
                var attempts = store.attempts(Optional.empty(), start, end);
                var lines = dev.hotline.outbound.CampaignReport.lines(campaigns, attempts,
                        dev.hotline.outbound.CampaignReport.listSizes(store, campaigns.values()));
                out.print(new ReportTable(dev.hotline.outbound.CampaignReport.COLUMNS, lines.stream()
                        .map(dev.hotline.outbound.CampaignReport::cells).toList()).render(fmt));
                if (fmt == ReportTable.Format.TABLE) {
                    out.println();
                    out.println("Abandon rate by hour (live answers; cap per campaign)");
                    out.print(new ReportTable(dev.hotline.outbound.CampaignReport.HOUR_COLUMNS,
                            dev.hotline.outbound.CampaignReport.hours(campaigns, attempts, z).stream()
                                    .map(h -> dev.hotline.outbound.CampaignReport.cells(h, z)).toList()).render(fmt));
                }
                out.flush();
                return 0;
            }
            if (kind.equals("qa")) {
                // Evaluations of the calls begun in that month, against each agent's plan; --to is not used.
                db.migrate();
                YearMonth month = YearMonth.from(start.atZone(z));
                QualityReport report = QaService.report(new QaStore(db.dataSource()), month, z,
                        agentTeams(db, config, err));
                if (fmt == ReportTable.Format.TABLE) {
                    out.printf("Quality report %s (calls begun in the month; due %s)%n", month,
                            Progress.dueDate(month, config.qa().reportDueDay()));
                }
                out.print(new ReportTable(report.columns(), report.lines()).render(fmt));
                out.flush();
                return 0;
            }
            Reports reports = new Reports(new RecordStore(db), InstantSource.system(), z, queuesAsDefined(db, config, err),
                    settings.shortAbandonByQueue(), settings.shortAbandonDefault());
            ReportTable table = switch (kind) {
                case "agent", "team" -> ReportTable.ofAgents(reports.agents(start, end, grouping,
                        Optional.ofNullable(team), kind.equals("team")), z);
                case "node" -> ReportTable.ofIvrNodes(reports.ivrNodes(start, end, grouping), z);
                default -> ReportTable.ofQueues(reports.queues(start, end, grouping, Optional.ofNullable(queue)), z);
            };
            out.print(table.render(fmt));
            out.flush();
            return 0;
        } catch (SQLException | IllegalArgumentException e) {
            err.println("hotline report: " + e.getMessage());
            return 1;
        }
    }
}
