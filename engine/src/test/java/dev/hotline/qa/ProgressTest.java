package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    static final YearMonth NOV = YearMonth.of(2026, 11);

    @Test
    void anAgentMeetsThePlanWithTheMinimumAndEveryRuleTheirCallsAllow() {
        Progress.AgentProgress behind = Progress.agent("1001", SamplingTest.PLAN, SamplingTest.CALLS, Set.of("c3"));
        assertThat(behind.done()).isEqualTo(1);
        assertThat(behind.missing()).isEqualTo(2);
        assertThat(behind.state()).isEqualTo(Progress.State.BEHIND);
        assertThat(behind.rules()).extracting(Progress.RuleStatus::satisfied).containsExactly(false, false, false);
        assertThat(behind.rules()).extracting(Progress.RuleStatus::possible).containsExactly(true, true, true);

        Progress.AgentProgress met = Progress.agent("1001", SamplingTest.PLAN, SamplingTest.CALLS,
                Set.of("c1", "c2", "c3"));
        assertThat(met.state()).isEqualTo(Progress.State.MET);

        // Three done, but the complaint rule could have been met and is not: still behind.
        Progress.AgentProgress rulesOpen = Progress.agent("1001", SamplingTest.PLAN, SamplingTest.CALLS,
                Set.of("c2", "c3", "c5"));
        assertThat(rulesOpen.state()).isEqualTo(Progress.State.BEHIND);

        // No complaint or long call at all: those rules cannot be met and do not count against the agent.
        List<CandidateCall> plain = List.of(QaFixtures.call("p1", 1, "inquiry", 2, 1, true),
                QaFixtures.call("p2", 2, "inquiry", 2, null, true), QaFixtures.call("p3", 3, null, 2, null, true));
        Progress.AgentProgress impossible = Progress.agent("1001", SamplingTest.PLAN, plain, Set.of("p1", "p2", "p3"));
        assertThat(impossible.rules()).extracting(Progress.RuleStatus::possible).containsExactly(false, false, true);
        assertThat(impossible.state()).isEqualTo(Progress.State.MET);

        SamplingPlan two = SamplingPlan.of(1, 2, "", Optional.empty());
        assertThat(Progress.agent("1001", two, plain, Set.of("p1", "p2", "p3")).state()).isEqualTo(Progress.State.OVER);
    }

    @Test
    void qaStaffProgressAddsTheMinimumsOfTheirAgents() {
        Map<String, SamplingPlan> plans = Map.of(
                "1001", SamplingPlan.of(2, 5, "", Optional.of("quinn")),
                "1002", SamplingPlan.of(3, 5, "", Optional.of("quinn")),
                "1004", SamplingPlan.of(1, 5, "", Optional.of("rita")),
                "1005", SamplingPlan.of(1, 5, "", Optional.empty()));
        assertThat(Progress.evaluators(plans, Map.of("quinn", 4, "sam", 1))).containsExactly(
                new Progress.EvaluatorProgress("quinn", 2, 5, 4),
                new Progress.EvaluatorProgress("rita", 1, 1, 0),
                new Progress.EvaluatorProgress("sam", 0, 0, 1));
    }

    @Test
    void theReportOfAMonthIsDueOnTheDueDayOfTheNextAndWarnsAhead() {
        List<Progress.AgentProgress> one = List.of(Progress.agent("1001", SamplingTest.PLAN, SamplingTest.CALLS,
                Set.of()), Progress.agent("1002", SamplingPlan.of(0, 1, "", Optional.empty()), List.of(), Set.of()));
        assertThat(Progress.dueDate(NOV, 22)).isEqualTo(LocalDate.of(2026, 12, 22));
        Progress.DueStatus early = Progress.due(NOV, LocalDate.of(2026, 12, 16), 22, 5, one);
        assertThat(early.daysLeft()).isEqualTo(6);
        assertThat(early.warn()).isFalse();
        assertThat(early.behind()).containsExactly("1001");
        Progress.DueStatus near = Progress.due(NOV, LocalDate.of(2026, 12, 17), 22, 5, one);
        assertThat(near.warn()).isTrue();
        assertThat(near.message()).isEqualTo("quality report for 2026-11 due 2026-12-22 (in 5 days): 1 agent(s)"
                + " behind plan: 1001");
        Progress.DueStatus late = Progress.due(NOV, LocalDate.of(2026, 12, 23), 22, 5, one);
        assertThat(late.warn()).isFalse();
        assertThat(late.overdue()).isTrue();
        assertThat(Progress.due(NOV, LocalDate.of(2026, 12, 20), 22, 5, List.of(one.get(1))).warn())
                .as("nothing behind, nothing to warn about").isFalse();
    }

    @Test
    void theMonthDueIsLastMonthUntilItsDueDayHasPassed() {
        assertThat(Progress.monthDue(LocalDate.of(2026, 12, 10), 22)).isEqualTo(NOV);
        assertThat(Progress.monthDue(LocalDate.of(2026, 12, 22), 22)).isEqualTo(NOV);
        assertThat(Progress.monthDue(LocalDate.of(2026, 12, 23), 22)).isEqualTo(YearMonth.of(2026, 12));
        assertThat(Progress.monthDue(LocalDate.of(2027, 1, 5), 22)).isEqualTo(YearMonth.of(2026, 12));
    }
}
