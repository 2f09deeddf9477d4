package dev.hotline.qa;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How far this month's sampling has come: per agent (evaluations against the plan, rule by rule), per QA staff
 * member (the minimums of the agents assigned to them against the evaluations they made), and the due day of the
 * month's quality report with a warning when it is near and plans are not met.
 *
 * <p>The report of a month covers the calls begun in that month and is due on {@code qa.report_due_day} of the
 * following month (the 22nd by default): November's calls are evaluated until 22 December.
 */
public final class Progress {

    private Progress() {
    }

    /** met: at least the minimum and every possible rule; behind: not yet; over: past the maximum. */
    public enum State { MET, BEHIND, OVER }

    /**
     * @param rule      as written
     * @param satisfied an evaluated call is of that kind
     * @param possible  the agent had a recorded call of that kind this month (else the rule cannot be met, and
     *                  does not hold the plan back)
     */
    public record RuleStatus(String rule, boolean satisfied, boolean possible) {
    }

    public record AgentProgress(String agentId, SamplingPlan plan, int done, List<RuleStatus> rules) {
        public AgentProgress {
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(plan, "plan");
            rules = List.copyOf(rules);
        }

        public State state() {
            if (done > plan.maxCalls()) {
                return State.OVER;
            }
            boolean rulesMet = rules.stream().allMatch(r -> r.satisfied() || !r.possible());
            return done >= plan.minCalls() && rulesMet ? State.MET : State.BEHIND;
        }

        /** Evaluations still needed to reach the minimum. */
        public int missing() {
            return Math.max(plan.minCalls() - done, 0);
        }
    }

    /**
     * @param evaluator username
     * @param agents    agents whose plan names them
     * @param planned   the sum of those agents' minimums
     * @param done      evaluations they made this month (any agent's; calibrations aside)
     */
    public record EvaluatorProgress(String evaluator, int agents, int planned, int done) {
    }

    /**
     * @param month    the month reported on
     * @param due      its report's due day
     * @param daysLeft days from today to the due day (negative once past)
     * @param warn     due within {@code qa.warn_days} and some agent is behind
     * @param overdue  past the due day and some agent is behind
     * @param behind   the agents behind plan
     */
    public record DueStatus(YearMonth month, LocalDate due, long daysLeft, boolean warn, boolean overdue,
                            List<String> behind) {
        public DueStatus {
            behind = List.copyOf(behind);
        }

        public String message() {
            String head = "quality report for " + month + " due " + due;
            if (behind.isEmpty()) {
                return head + ": every agent's plan is met";
            }
            return head + (overdue ? " (" + -daysLeft + " days ago)" : " (in " + daysLeft + " days)") + ": "
                    + behind.size() + " agent(s) behind plan: " + String.join(", ", behind);
        }
    }

    /**
     * @param calls     the agent's answered calls of the month
     * @param evaluated the ids of the agent's calls evaluated this month (calibrations aside)
     */
    public static AgentProgress agent(String agentId, SamplingPlan plan, List<CandidateCall> calls,
                                      Set<String> evaluated) {
        List<RuleStatus> rules = new ArrayList<>();
        for (SamplingRule r : plan.rules()) {
            boolean satisfied = calls.stream().anyMatch(c -> evaluated.contains(c.callId()) && r.matches(c));
            boolean possible = satisfied || calls.stream().anyMatch(c -> c.recorded() && r.matches(c));
            rules.add(new RuleStatus(r.text(), satisfied, possible));
        }
        return new AgentProgress(agentId, plan, evaluated.size(), rules);
    }

    /**
     * Per QA staff member: {@code plans} by agent, {@code done} evaluations by evaluator. Evaluators who made
     * evaluations without assigned agents are listed too. Sorted by username.
     */
    public static List<EvaluatorProgress> evaluators(Map<String, SamplingPlan> plans, Map<String, Integer> done) {
        Map<String, int[]> by = new TreeMap<>();
        plans.values().forEach(p -> p.evaluator().ifPresent(e -> {
            int[] a = by.computeIfAbsent(e, k -> new int[2]);
            a[0]++;
            a[1] += p.minCalls();
        }));
        done.keySet().forEach(e -> by.computeIfAbsent(e, k -> new int[2]));
        List<EvaluatorProgress> out = new ArrayList<>();
        by.forEach((e, a) -> out.add(new EvaluatorProgress(e, a[0], a[1], done.getOrDefault(e, 0))));
        return List.copyOf(out);
    }

    /** The report of {@code month}: due on {@code dueDay} of the next month. */
    public static LocalDate dueDate(YearMonth month, int dueDay) {
        return month.plusMonths(1).atDay(dueDay);
    }

    /** The month whose report is due next on {@code today}: last month until its due day has passed, then this one. */
    public static YearMonth monthDue(LocalDate today, int dueDay) {
        YearMonth last = YearMonth.from(today).minusMonths(1);
        return today.isAfter(dueDate(last, dueDay)) ? YearMonth.from(today) : last;
    }

    public static DueStatus due(YearMonth month, LocalDate today, int dueDay, int warnDays,
                                Collection<AgentProgress> agents) {
        LocalDate due = dueDate(month, dueDay);
        long left = ChronoUnit.DAYS.between(today, due);
        List<String> behind = agents.stream().filter(a -> a.state() == State.BEHIND).map(AgentProgress::agentId)
                .sorted().toList();
        boolean any = !behind.isEmpty();
        return new DueStatus(month, due, left, any && left >= 0 && left <= warnDays, any && left < 0, behind);
    }

    /** An agent's own plan, or the default one. */
    public static SamplingPlan planOf(String agentId, Map<String, SamplingPlan> own, SamplingPlan fallback) {
        return Optional.ofNullable(own.get(agentId)).orElse(fallback);
    }
}
