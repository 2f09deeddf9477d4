package dev.hotline.qa;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Proposes which of an agent's calls QA scores next this month. Only recorded calls not yet evaluated are proposed.
 * First, for each rule of the plan no evaluated call satisfies yet, the call satisfying the most such rules (earliest
 * on a tie) is proposed, with the rules it satisfies as reasons; a rule no call satisfies is left (the agent had no
 * such call). Then random calls fill up to the plan's minimum. The whole proposal never takes the agent past the
 * plan's maximum. The random part is drawn from {@code seed} (the page uses agent and month), so a page reload
 * proposes the same calls until one is evaluated.
 */
public final class SamplingProposer {

    private SamplingProposer() {
    }

    /** A proposed call and why. */
    public record Proposal(CandidateCall call, List<String> reasons) {
        public Proposal {
            reasons = List.copyOf(reasons);
        }
    }

    /**
     * @param plan      the agent's plan
     * @param calls     the agent's answered calls of the month
     * @param evaluated the ids of the agent's calls already evaluated this month (calibrations aside)
     */
    public static List<Proposal> propose(SamplingPlan plan, List<CandidateCall> calls, Set<String> evaluated,
                                         long seed) {
        int room = plan.maxCalls() - evaluated.size();
        if (room <= 0) {
            return List.of();
        }
        List<SamplingRule> open = new ArrayList<>();
        for (SamplingRule r : plan.rules()) {
            if (calls.stream().noneMatch(c -> evaluated.contains(c.callId()) && r.matches(c))) {
                open.add(r);
            }
        }
        List<CandidateCall> eligible = new ArrayList<>(calls.stream()
                .filter(c -> c.recorded() && !evaluated.contains(c.callId()))
                .sorted(Comparator.comparing(CandidateCall::startedAt).thenComparing(CandidateCall::callId)).toList());
        Map<CandidateCall, List<String>> picked = new LinkedHashMap<>();
        while (!open.isEmpty() && picked.size() < room) {
            CandidateCall best = null;
            long bestCount = 0;
            for (CandidateCall c : eligible) {
                long n = open.stream().filter(r -> r.matches(c)).count();
                if (n > bestCount) {
                    best = c;
                    bestCount = n;
                }
            }
            if (best == null) {
                break;   // the remaining rules match none of the agent's calls
            }
            CandidateCall chosen = best;
            List<String> reasons = open.stream().filter(r -> r.matches(chosen)).map(SamplingRule::text).toList();
            open.removeIf(r -> r.matches(chosen));
            picked.put(chosen, reasons);
            eligible.remove(chosen);
        }
        int target = Math.min(room, Math.max(plan.minCalls() - evaluated.size(), 0));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = eligible.size() - 1; i > 0; i--) {   // Fisher–Yates over the calls left, in start order
            int j = random.nextInt(i + 1);
            CandidateCall t = eligible.get(i);
            eligible.set(i, eligible.get(j));
            eligible.set(j, t);
        }
        for (CandidateCall c : eligible) {
            if (picked.size() >= target) {
                break;
            }
            picked.put(c, List.of("random sample"));
        }
        List<Proposal> out = new ArrayList<>();
        picked.forEach((c, reasons) -> out.add(new Proposal(c, reasons)));
        return List.copyOf(out);
    }
}
