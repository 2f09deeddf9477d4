package dev.hotline.records.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Report rows as a table of columns, rendered as aligned text, CSV (RFC 4180) or JSON. Cells hold strings,
 * numbers or {@code null} (no value: a ratio over zero calls).
 */
public record ReportTable(List<String> columns, List<List<Object>> rows) {

    /** Output formats. */
    public enum Format { TABLE, CSV, JSON }

    public ReportTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
    }

    public static ReportTable ofQueues(List<QueueKpis> rows, ZoneId zone) {
        List<String> cols = List.of("interval", "queue", "offered", "answered", "abandoned", "short_abandoned",
                "timeouts", "callbacks", "service_level", "service_level_excl_short", "asa_s", "avg_wait_s",
                "longest_wait_s", "aht_s", "avg_wrap_up_s", "abandon_rate", "transfers", "ivr_contained", "engine_failed",
                "in_progress", "csat_responses", "csat_share", "csat_avg", "dispositions");
        List<List<Object>> out = new ArrayList<>();
        for (QueueKpis k : rows) {
            out.add(java.util.Arrays.asList(interval(k.intervalStart(), zone), k.queue(), k.offered(), k.answered(),
                    k.abandoned(), k.shortAbandoned(), k.timeouts(), k.callbacks(), pct(k.serviceLevel()),
                    pct(k.serviceLevelExcludingShortAbandons()), secs(k.asa()), secs(k.averageWait()),
                    secs(k.longestWait()), secs(k.aht()), secs(k.averageWrapUp()), pct(k.abandonRate()),
                    k.transfers(), k.ivrContained(), k.engineFailed(), k.inProgress(), k.csatResponses(), pct(k.csatShare()), num(k.csatAverage()),
                    map(k.dispositions())));
        }
        return new ReportTable(cols, out);
    }

    public static ReportTable ofAgents(List<AgentKpis> rows, ZoneId zone) {
        List<String> cols = List.of("interval", "team", "agent", "handled", "in_progress", "aht_s", "occupancy", "ready_s",
                "not_ready_s", "not_ready_by_reason", "wrap_up_s", "on_call_s", "logged_in_s", "no_answers",
                "first_login", "last_logout");
        List<List<Object>> out = new ArrayList<>();
        for (AgentKpis k : rows) {
            out.add(java.util.Arrays.asList(interval(k.intervalStart(), zone), k.team(), k.agentId(), k.handled(),
                    k.inProgress(), secs(k.aht()), pct(k.occupancy()), k.readyMs() / 1000, k.notReadyTotalMs() / 1000,
                    map(k.notReadyMs().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> e.getValue() / 1000, (a, b) -> a, java.util.TreeMap::new))),
                    k.wrapUpMs() / 1000, k.onCallMs() / 1000, k.loggedInMs() / 1000, k.noAnswers(),
                    time(k.firstLogin(), zone), time(k.lastLogout(), zone)));
        }
        return new ReportTable(cols, out);
    }

    public static ReportTable ofIvrNodes(List<IvrNodeKpis> rows, ZoneId zone) {
        List<String> cols = List.of("interval", "node", "visits", "options", "timeouts", "invalid", "drop_outs");
        List<List<Object>> out = new ArrayList<>();
        for (IvrNodeKpis k : rows) {
            out.add(java.util.Arrays.asList(interval(k.intervalStart(), zone), k.node(), k.visits(),
                    map(k.options()), k.timeouts(), k.invalid(), k.dropOuts()));
        }
        return new ReportTable(cols, out);
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private static String interval(Instant start, ZoneId zone) {
        return STAMP.format(start.atZone(zone));
    }

    private static Object time(Optional<Instant> t, ZoneId zone) {
        return t.map(i -> (Object) DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).format(i.atZone(zone)))
                .orElse(null);
    }

    /** A ratio as a percentage with one decimal. */
    private static Object pct(OptionalDouble v) {
        return v.isPresent() ? Math.round(v.getAsDouble() * 1000) / 10.0 : null;
    }

    private static Object num(OptionalDouble v) {
        return v.isPresent() ? Math.round(v.getAsDouble() * 100) / 100.0 : null;
    }

    private static Object secs(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }

    private static String map(Map<String, Long> m) {
        return new java.util.TreeMap<>(m).entrySet().stream().map(e -> (e.getKey().isEmpty() ? "-" : e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    public String render(Format format) {
        return switch (format) {
            case TABLE -> table();
            case CSV -> csv();
            case JSON -> json();
        };
    }

    private static String cell(Object o) {
        return o == null ? "" : o.toString();
    }

    private String table() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (List<Object> r : rows) {
                width[i] = Math.max(width[i], cell(r.get(i)).length());
            }
        }
        boolean[] numeric = new boolean[columns.size()];
        for (List<Object> r : rows) {
            for (int i = 0; i < numeric.length; i++) {
                numeric[i] |= r.get(i) instanceof Number;
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, new ArrayList<>(columns), width, numeric);
        for (List<Object> r : rows) {
            line(sb, r, width, numeric);
        }
        if (rows.isEmpty()) {
            sb.append("(no records in this range)\n");
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<Object> r, int[] width, boolean[] numeric) {
        for (int i = 0; i < width.length; i++) {
            String s = cell(r.get(i));
            if (numeric[i]) {
                sb.append(" ".repeat(width[i] - s.length())).append(s);
            } else {
                sb.append(s).append(" ".repeat(width[i] - s.length()));
            }
            sb.append(i + 1 < width.length ? "  " : "");
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    private String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(columns.stream().map(ReportTable::csvCell).collect(Collectors.joining(","))).append("\r\n");
        for (List<Object> r : rows) {
            sb.append(r.stream().map(o -> csvCell(cell(o))).collect(Collectors.joining(","))).append("\r\n");
        }
        return sb.toString();
    }

    private static String csvCell(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private String json() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), r.get(i));
            }
            out.add(m);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report: JSON rendering failed: " + e.getMessage(), e);
        }
    }
}
