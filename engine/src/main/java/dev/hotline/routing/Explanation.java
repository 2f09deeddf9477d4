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
 * @param blending  for an agent who holds inbound and outbound work, what the {@link BlendRule} decided: why outbound
 *                  work was allowed ({@code outbound allowed: …}), or that inbound went first ({@code inbound first:
 *                  …}); empty when no outbound work was in play
 */
public record Explanation(String rule, String scoreName, int pool, int examined, List<Explanation.Score> scores,
                          String blending) {

    public Explanation {
        Checks.notBlank("rule", rule);
        Checks.notBlank("scoreName", scoreName);
        scores = List.copyOf(scores);
        java.util.Objects.requireNonNull(blending, "blending");
    }

    /** No outbound work in play. */
    public Explanation(String rule, String scoreName, int pool, int examined, List<Explanation.Score> scores) {
        this(rule, scoreName, pool, examined, scores, "");
    }

    /** The same explanation with the blending rule's word. */
    public Explanation blended(String why) {
        return new Explanation(rule, scoreName, pool, examined, scores, why);
    }

    /** A candidate (an agent id, or a call id) and its score under the rule. */
    public record Score(String id, double value) {
    }
}
