package dev.hotline.qa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where evaluators differ on the same call: QA staff and a team lead each score the call (on the same form
 * version), and the comparison lists every question with each evaluator's answer, marking those that differ, and
 * the spread of their scores. Evaluators agreeing on every question are calibrated.
 */
public final class Calibration {

    private Calibration() {
    }

    /**
     * One question with each evaluator's answer (by username, in the order given); {@code differs} unless all
     * agree.
     */
    public record Row(String section, String questionId, String text, boolean critical,
                      Map<String, String> answers, boolean differs) {
        public Row {
            answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        }
    }

    /**
     * @param rows      every question of the form
     * @param scores    each evaluator's score
     * @param spread    highest minus lowest score
     * @param differing how many questions were answered differently
     */
    public record Comparison(String callId, Evaluation.FormRef form, List<Row> rows, Map<String, Double> scores,
                             double spread, int differing) {
        public Comparison {
            rows = List.copyOf(rows);
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        }
    }

    /**
     * Compares the evaluations of one call made on {@code form}. Needs at least two, all of that call and that form
     * version (evaluations on other versions cannot be compared question by question).
     */
    public static Comparison compare(Form form, List<Evaluation> evaluations) {
        if (evaluations.size() < 2) {
            throw new IllegalArgumentException("calibration needs at least two evaluations of the call (got "
                    + evaluations.size() + ")");
        }
        String callId = evaluations.getFirst().callId();
        Evaluation.FormRef ref = new Evaluation.FormRef(form.id(), form.version());
        for (Evaluation e : evaluations) {
            if (!e.callId().equals(callId)) {
                throw new IllegalArgumentException("evaluation " + e.id() + " is of call " + e.callId()
                        + ", not " + callId);
            }
            if (!e.form().equals(ref)) {
                throw new IllegalArgumentException("evaluation " + e.id() + " was scored on " + e.form().id() + " v"
                        + e.form().version() + ", not " + form.label());
            }
        }
        List<String> labels = labels(evaluations);
        List<Row> rows = new ArrayList<>();
        int differing = 0;
        for (Form.Section s : form.sections()) {
            for (Form.Question q : s.questions()) {
                Map<String, String> answers = new LinkedHashMap<>();
                for (int i = 0; i < evaluations.size(); i++) {
                    answers.put(labels.get(i), evaluations.get(i).answers().stream()
                            .filter(a -> a.questionId().equals(q.id())).map(Answer::value).findFirst().orElse(""));
                }
                boolean differs = answers.values().stream().distinct().count() > 1;
                if (differs) {
                    differing++;
                }
                rows.add(new Row(s.title(), q.id(), q.text(), q.critical(), answers, differs));
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int i = 0; i < evaluations.size(); i++) {
            scores.put(labels.get(i), evaluations.get(i).score().percent());
        }
        double max = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = scores.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return new Comparison(callId, ref, rows, scores, max - min, differing);
    }

    /** Each evaluation's evaluator; someone who scored the call twice is told apart by evaluation id. */
    private static List<String> labels(List<Evaluation> evaluations) {
        Map<String, Long> count = new LinkedHashMap<>();
        evaluations.forEach(e -> count.merge(e.evaluator(), 1L, Long::sum));
        return evaluations.stream().map(e -> count.get(e.evaluator()) > 1 ? e.evaluator() + " (" + e.id() + ")"
                : e.evaluator()).toList();
    }
}
