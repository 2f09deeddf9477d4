package dev.hotline.routing;

import java.util.List;

/**
 * Why an assignment was made, for logs, call records and the supervisor view.
 *
 * @param rule      what ranked the candidates: a strategy name ({@code longest-idle}, {@code most-skilled},
 *                  {@code least-occupied}, {@code round-robin}, {@code preferred}) when a call picked an agent, or
 *                  {@code service-level-risk} when an agent that became ready picked a call
 * @param scoreName what {@link Score#value()} measures, e.g. {@code idle seconds} or {@code risk}
 * @param pool      how many candidates the rule had to choose from (ready agents holding the scanned skill, or
 *                  calls waiting in the agent's queues)
 * @param examined  how many of them were looked at before choosing (the rest ranked lower)
 * @param scores    the winner first, then up to two runners-up, as the rule ranked them
 */
public record Explanation(String rule, String scoreName, int pool, int examined, List<Explanation.Score> scores) {

    public Explanation {
        Checks.notBlank("rule", rule);
        Checks.notBlank("scoreName", scoreName);
        scores = List.copyOf(scores);
    }

    /** A candidate (an agent id, or a call id) and its score under the rule. */
    public record Score(String id, double value) {
    }
}
