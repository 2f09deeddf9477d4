package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.hotline.qa.QaFixtures.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplingTest {

    /** At least 3 a month, at most 5; a complaint, a call of 10 minutes or more, a survey score of 2 or less. */
    static final SamplingPlan PLAN = SamplingPlan.of(3, 5, "disposition:complaint, long:10m, low-csat:2",
            Optional.empty());

    // c1 is a long complaint (two rules at once), c2 a low score, c3/c5 ordinary, c4 ordinary but unrecorded,
    // c6 a low score without a recording.
    static final List<CandidateCall> CALLS = List.of(
            call("c1", 1, "complaint", 12, 4, true),
            call("c2", 2, "inquiry", 3, 1, true),
            call("c3", 3, "inquiry", 2, 5, true),
            call("c4", 4, "repair", 4, null, false),
            call("c5", 5, "repair", 5, null, true),
            call("c6", 6, "repair", 1, 2, false));

    @Test
    void rulesAreWrittenAsTextAndReadBack() {
        assertThat(PLAN.rules()).containsExactly(new SamplingRule.Disposition("complaint"),
                new SamplingRule.LongCall(Duration.ofMinutes(10)), new SamplingRule.LowCsat(2));
        assertThat(PLAN.rulesText()).isEqualTo("disposition:complaint, long:10m, low-csat:2");
        assertThat(SamplingRule.parse("long:90s").text()).isEqualTo("long:90s");
        assertThatThrownBy(() -> SamplingRule.parse("angry")).hasMessage("sampling rule 'angry' (expected:"
                + " disposition:CODE, long:DURATION such as long:10m, or low-csat:N)");
        assertThatThrownBy(() -> SamplingPlan.of(4, 3, "", Optional.empty()))
                .hasMessage("maxCalls: 3 (expected: 4-100, at least minCalls)");
        assertThatThrownBy(() -> SamplingPlan.of(0, 1, "long:5m, low-csat:1", Optional.empty()))
                .hasMessage("rules: 2 rules but at most 1 calls (expected: no more rules than maxCalls)");
    }

    @Test
    void theRulesComeFirstThenRandomCallsUpToTheMinimum() {
        List<SamplingProposer.Proposal> p = SamplingProposer.propose(PLAN, CALLS, Set.of(), 42);
        assertThat(p).hasSize(3);
        // c1 covers two rules at once; c2 is the only recorded low score; the third is random among c3 and c5.
        assertThat(p.get(0).call().callId()).isEqualTo("c1");
        assertThat(p.get(0).reasons()).containsExactly("disposition:complaint", "long:10m");
        assertThat(p.get(1).call().callId()).isEqualTo("c2");
        assertThat(p.get(1).reasons()).containsExactly("low-csat:2");
        assertThat(p.get(2).call().callId()).isIn("c3", "c5");
        assertThat(p.get(2).reasons()).containsExactly("random sample");
        assertThat(SamplingProposer.propose(PLAN, CALLS, Set.of(), 42)).as("the same seed, the same proposal")
                .isEqualTo(p);
    }

    @Test
    void evaluatedCallsCountTowardsThePlanAndItsRules() {
        // c2 is evaluated: the low-CSAT rule is met and one of the three is done, so two more are needed: c1 (it
        // covers the two rules left) and one random call.
        List<SamplingProposer.Proposal> p = SamplingProposer.propose(PLAN, CALLS, Set.of("c2"), 7);
        assertThat(p).hasSize(2);
        assertThat(p.get(0).call().callId()).isEqualTo("c1");
        assertThat(p.get(0).reasons()).containsExactly("disposition:complaint", "long:10m");
        assertThat(p.get(1).call().callId()).isIn("c3", "c5");
    }

    @Test
    void theMaximumIsNeverPassedAndUnrecordedCallsAreNeverProposed() {
        assertThat(SamplingProposer.propose(PLAN, CALLS, Set.of("c1", "c2", "c3", "c5", "c4"), 1)).isEmpty();
        SamplingPlan tight = SamplingPlan.of(1, 2, "disposition:complaint, low-csat:2", Optional.empty());
        // One evaluated leaves room for one: the first rule's call only.
        List<SamplingProposer.Proposal> p = SamplingProposer.propose(tight, CALLS, Set.of("c3"), 1);
        assertThat(p).extracting(x -> x.call().callId()).containsExactly("c1");
        for (long seed = 0; seed < 50; seed++) {
            assertThat(SamplingProposer.propose(SamplingPlan.of(5, 5, "", Optional.empty()), CALLS, Set.of(), seed))
                    .extracting(x -> x.call().callId()).doesNotContain("c4", "c6").doesNotHaveDuplicates()
                    .hasSize(4);
        }
    }

    @Test
    void aRuleNoCallMatchesIsLeftAndDoesNotHoldTheRestBack() {
        SamplingPlan plan = SamplingPlan.of(1, 3, "disposition:audit", Optional.empty());
        List<SamplingProposer.Proposal> p = SamplingProposer.propose(plan, CALLS, Set.of(), 3);
        assertThat(p).hasSize(1);
        assertThat(p.getFirst().reasons()).containsExactly("random sample");
    }
}
