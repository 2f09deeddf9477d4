package dev.hotline.qa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores answers against a form version. Each applicable question earns its weight times its points (yes 1, no 0;
 * 1–5 as 0, ¼, ½, ¾, 1); N/A questions drop out with their weight. The score is earned over applicable weight, in
 * percent; a section's score is the same sum over its own questions. A critical question answered "no" (or 1–2 on
 * the 1–5 scale) fails the call: its score is 0, and the raw score is kept beside it.
 *
 * <p>Example: weights 2 (yes), 3 (no), 5 (4 of 5 → ¾) and 4 (N/A) score (2·1 + 3·0 + 5·¾) / (2 + 3 + 5) = 57.5 %.
 */
public final class Scoring {

    private Scoring() {
    }

    /**
     * The score of {@code answers} on {@code form}. Every question needs exactly one answer valid on its scale, and
     * at least one must apply; otherwise {@link IllegalArgumentException} lists every problem.
     */
    public static Score score(Form form, List<Answer> answers) {
        List<String> problems = new ArrayList<>();
        Map<String, Answer> byId = new HashMap<>();
        Set<String> known = new HashSet<>();
        form.questions().forEach(q -> known.add(q.id()));
        for (Answer a : answers) {
            if (!known.contains(a.questionId())) {
                problems.add("answer to unknown question '" + a.questionId() + "' (form " + form.label() + ")");
            } else if (byId.put(a.questionId(), a) != null) {
                problems.add("question " + a.questionId() + " is answered twice");
            }
        }
        double earned = 0;
        double weights = 0;
        List<String> failed = new ArrayList<>();
        Map<String, Double> sections = new LinkedHashMap<>();
        for (Form.Section s : form.sections()) {
            double sEarned = 0;
            double sWeights = 0;
            for (Form.Question q : s.questions()) {
                Answer a = byId.get(q.id());
                if (a == null) {
                    problems.add("question " + q.id() + " is not answered (expected one of: "
                            + String.join(", ", q.scale().answers()) + ")");
                    continue;
                }
                if (!q.scale().answers().contains(a.value())) {
                    problems.add("question " + q.id() + ": '" + a.value() + "' (expected one of: "
                            + String.join(", ", q.scale().answers()) + ")");
                    continue;
                }
                var points = q.scale().points(a.value());
                if (points.isPresent()) {
                    sEarned += q.weight() * points.get();
                    sWeights += q.weight();
                    if (q.critical() && q.scale().failsCritical(a.value())) {
                        failed.add(q.id());
                    }
                }
            }
            if (sWeights > 0) {
                sections.put(s.title(), 100 * sEarned / sWeights);
            }
            earned += sEarned;
            weights += sWeights;
        }
        if (problems.isEmpty() && weights == 0) {
            problems.add("every question is N/A: nothing to score (expected: at least one applicable answer)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        double raw = 100 * earned / weights;
        return new Score(failed.isEmpty() ? raw : 0, raw, failed, sections);
    }
}
