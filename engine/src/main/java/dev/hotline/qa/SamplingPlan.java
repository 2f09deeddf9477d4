package dev.hotline.qa;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How many of an agent's calls QA scores each month, and which kinds must be among them. One plan stands for every
 * agent (the default) and an agent may have their own; both apply month after month.
 *
 * @param minCalls  at least this many evaluations a month (the plan is met from here)
 * @param maxCalls  at most this many (the sampler never proposes more)
 * @param rules     kinds of call the sample must include, one each, when the agent had such a call
 * @param evaluator the QA staff member who scores this agent (progress per QA staff counts it), if assigned
 */
public record SamplingPlan(int minCalls, int maxCalls, List<SamplingRule> rules, Optional<String> evaluator) {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    /** One to five calls a month, as the operating documents ask, with a complaint, a long and a low-CSAT call. */
    public static final SamplingPlan DEFAULT = new SamplingPlan(1, 5, List.of(new SamplingRule.Disposition("complaint"),
            new SamplingRule.LongCall(Duration.ofMinutes(10)), new SamplingRule.LowCsat(2)),
            Optional.empty());

    public SamplingPlan {
        if (minCalls < 0 || minCalls > 100) {
            throw new IllegalArgumentException("minCalls: " + minCalls + " (expected: 0-100)");
        }
        if (maxCalls < Math.max(1, minCalls) || maxCalls > 100) {
            throw new IllegalArgumentException("maxCalls: " + maxCalls + " (expected: " + Math.max(1, minCalls)
                    + "-100, at least minCalls)");
        }
        rules = List.copyOf(rules);
        if (rules.size() > maxCalls) {
            throw new IllegalArgumentException("rules: " + rules.size() + " rules but at most " + maxCalls
                    + " calls (expected: no more rules than maxCalls)");
        }
        Objects.requireNonNull(evaluator, "evaluator");
        evaluator.ifPresent(u -> {
            if (!USER.matcher(u).matches()) {
                throw new IllegalArgumentException("evaluator: '" + u + "' (expected: a username)");
            }
        });
    }

    /** The plan from its stored form: rules as text ({@link SamplingRule#parseList}). */
    public static SamplingPlan of(int minCalls, int maxCalls, String rules, Optional<String> evaluator) {
        return new SamplingPlan(minCalls, maxCalls, SamplingRule.parseList(rules), evaluator);
    }

    public String rulesText() {
        return SamplingRule.format(rules);
    }
}
