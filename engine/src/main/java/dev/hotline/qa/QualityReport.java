package dev.hotline.qa;

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The monthly quality report: per agent, per team and in total, the evaluations done against the plan, the average
 * score and the average of each section, critical failures, disputes and acknowledgements, and the average score
 * month by month over the trend months. An evaluation counts in the month its call began (in the report's time
 * zone); calibrations are counted apart and left out of every other figure. An agent in two teams counts in both
 * teams' rows, once in the total.
 *
 * <p>Averages are plain means over evaluations (each evaluation weighs the same, whatever its form): a call that
 * failed a critical question counts with its score of 0. A section's average is over the evaluations that scored
 * that section (title), so forms without it do not pull it down.
 */
public record QualityReport(YearMonth month, List<YearMonth> trendMonths, List<String> sections, List<Row> agents,
                            List<Row> teams, Row total) {

    /**
     * One line of the report.
     *
     * @param key              agent id, team name, or {@code *} for the total
     * @param teams            an agent's teams (a team row: the team itself; the total: every team)
     * @param agents           how many agents the row covers
     * @param planned          the sum of the covered agents' monthly minimums
     * @param done             evaluations of the month (calibrations aside)
     * @param averageScore     their mean score, empty without evaluations
     * @param sectionAverages  mean score per section title
     * @param criticalFailures evaluations that failed a critical question
     * @param disputes         evaluations the agent disputed (open or resolved)
     * @param openDisputes     disputes not yet resolved
     * @param acknowledged     evaluations the agent acknowledged
     * @param calibrations     calibration scorings of the covered agents' calls
     * @param trend            mean score per trend month (months without evaluations are absent)
     */
    public record Row(String key, Set<String> teams, int agents, int planned, int done, OptionalDouble averageScore,
                      Map<String, Double> sectionAverages, int criticalFailures, int disputes, int openDisputes,
                      int acknowledged, int calibrations, Map<YearMonth, Double> trend) {
        public Row {
            Objects.requireNonNull(key, "key");
            teams = Collections.unmodifiableSet(new TreeSet<>(teams));
            sectionAverages = Collections.unmodifiableMap(new LinkedHashMap<>(sectionAverages));
            trend = Collections.unmodifiableMap(new TreeMap<>(trend));
        }
    }

    /**
     * @param month       the month reported on
     * @param trendLength how many months the trend shows, ending with {@code month}
     * @param agentTeams  every agent to report on, with their teams (agents without evaluations get a row too)
     * @param plans       each agent's plan (their own or the default)
     * @param evaluations evaluations whose calls began within the trend months (others are ignored)
     * @param zone        time zone of months
     */
    public static QualityReport of(YearMonth month, int trendLength, Map<String, Set<String>> agentTeams,
                                   Map<String, SamplingPlan> plans, Collection<Evaluation> evaluations, ZoneId zone) {
        if (trendLength < 1 || trendLength > 24) {
            throw new IllegalArgumentException("trend length: " + trendLength + " (expected: 1-24 months)");
        }
        List<YearMonth> trendMonths = new ArrayList<>();
        for (int i = trendLength - 1; i >= 0; i--) {
            trendMonths.add(month.minusMonths(i));
        }
        Map<String, Set<String>> teamsOf = new TreeMap<>(agentTeams);
        evaluations.forEach(e -> teamsOf.putIfAbsent(e.agentId(), Set.of()));
        List<Evaluation> inRange = evaluations.stream()
                .filter(e -> trendMonths.contains(YearMonth.from(e.callStartedAt().atZone(zone)))).toList();
        Set<String> sections = new LinkedHashSet<>();
        inRange.stream().filter(e -> e.counts() && monthOf(e, zone).equals(month))
                .sorted(Comparator.comparing(Evaluation::createdAt))
                .forEach(e -> sections.addAll(e.score().sections().keySet()));

        List<Row> agents = new ArrayList<>();
        teamsOf.forEach((agent, teams) -> agents.add(row(agent, teams, Set.of(agent), plans, inRange, month,
                trendMonths, zone)));
        Map<String, Set<String>> members = new TreeMap<>();
        teamsOf.forEach((agent, teams) -> teams.forEach(t -> members.computeIfAbsent(t, k -> new TreeSet<>())
                .add(agent)));
        List<Row> teams = new ArrayList<>();
        members.forEach((team, ids) -> teams.add(row(team, Set.of(team), ids, plans, inRange, month, trendMonths,
                zone)));
        Row total = row("*", members.keySet(), teamsOf.keySet(), plans, inRange, month, trendMonths, zone);
        return new QualityReport(month, List.copyOf(trendMonths), List.copyOf(sections), List.copyOf(agents),
                List.copyOf(teams), total);
    }

    private static YearMonth monthOf(Evaluation e, ZoneId zone) {
        return YearMonth.from(e.callStartedAt().atZone(zone));
    }

    private static Row row(String key, Set<String> teams, Set<String> agentIds, Map<String, SamplingPlan> plans,
                           List<Evaluation> all, YearMonth month, List<YearMonth> trendMonths, ZoneId zone) {
        Predicate<Evaluation> covered = e -> agentIds.contains(e.agentId());
        List<Evaluation> mine = all.stream().filter(covered).toList();
        List<Evaluation> counted = mine.stream().filter(e -> e.counts() && monthOf(e, zone).equals(month)).toList();
        int planned = agentIds.stream().mapToInt(a -> plans.getOrDefault(a, SamplingPlan.DEFAULT).minCalls()).sum();
        OptionalDouble avg = counted.stream().mapToDouble(e -> e.score().percent()).average();
        Map<String, List<Double>> bySection = new LinkedHashMap<>();
        counted.forEach(e -> e.score().sections().forEach((title, pct) -> bySection.computeIfAbsent(title,
                k -> new ArrayList<>()).add(pct)));
        Map<String, Double> sectionAverages = new LinkedHashMap<>();
        bySection.forEach((title, values) -> sectionAverages.put(title, values.stream().mapToDouble(Double::doubleValue)
                .average().orElse(0)));
        Map<YearMonth, Double> trend = new TreeMap<>();
        for (YearMonth m : trendMonths) {
            mine.stream().filter(e -> e.counts() && monthOf(e, zone).equals(m)).mapToDouble(e -> e.score().percent())
                    .average().ifPresent(v -> trend.put(m, v));
        }
        int calibrations = (int) mine.stream().filter(e -> !e.counts() && monthOf(e, zone).equals(month)).count();
        return new Row(key, teams, agentIds.size(), planned, counted.size(), avg, sectionAverages,
                (int) counted.stream().filter(e -> e.score().criticalFailed()).count(),
                (int) counted.stream().filter(Evaluation::disputed).count(),
                (int) counted.stream().filter(e -> e.status() == Evaluation.Status.DISPUTED).count(),
                (int) counted.stream().filter(e -> e.status() == Evaluation.Status.ACKNOWLEDGED).count(),
                calibrations, trend);
    }

    /** The report's columns: the figures, then one per section and one per trend month. */
    public List<String> columns() {
        List<String> head = new ArrayList<>(List.of("level", "id", "teams", "agents", "planned", "done",
                "average_score", "critical_failures", "disputes", "open_disputes", "acknowledged", "calibrations"));
        sections.forEach(s -> head.add("section: " + s));
        trendMonths.forEach(m -> head.add("average " + m));
        return head;
    }

    /**
     * One line per agent, per team and the total, under {@link #columns()}: counts as integers, averages as text
     * with one decimal ("" when there is none).
     */
    public List<List<Object>> lines() {
        List<List<Object>> out = new ArrayList<>();
        agents.forEach(r -> out.add(cells("agent", r)));
        teams.forEach(r -> out.add(cells("team", r)));
        out.add(cells("all", total));
        return out;
    }

    /** The report as CSV: {@link #lines()} under {@link #columns()}. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        line(sb, new ArrayList<>(columns()));
        lines().forEach(l -> line(sb, l));
        return sb.toString();
    }

    private List<Object> cells(String level, Row r) {
        List<Object> c = new ArrayList<>(List.of(level, r.key(), String.join(" ", r.teams()), r.agents(),
                r.planned(), r.done(), r.averageScore().isPresent() ? format(r.averageScore().getAsDouble()) : "",
                r.criticalFailures(), r.disputes(), r.openDisputes(), r.acknowledged(), r.calibrations()));
        sections.forEach(s -> c.add(r.sectionAverages().containsKey(s) ? format(r.sectionAverages().get(s)) : ""));
        trendMonths.forEach(m -> c.add(r.trend().containsKey(m) ? format(r.trend().get(m)) : ""));
        return c;
    }

    /** One decimal, as reports print percentages. */
    public static String format(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static void line(StringBuilder sb, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = String.valueOf(cells.get(i));
            if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        sb.append("\r\n");
    }
}
