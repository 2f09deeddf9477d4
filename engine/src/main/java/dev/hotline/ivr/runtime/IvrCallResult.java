package dev.hotline.ivr.runtime;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one call did in the IVR: the call record stores it, the outcome handler acts on it.
 *
 * @param uniqueId       Asterisk's {@code agi_uniqueid}
 * @param caller         the caller's number ("" when withheld)
 * @param script         the script the call started in
 * @param catalogVersion the published version the call ran on
 * @param outcome        how it left the IVR
 * @param path           every node visit, key, decision and the outcome
 * @param vars           the call variables at the end
 * @param language       the caller's language at the end
 * @param survey         survey answers, in order
 */
public record IvrCallResult(String uniqueId, String caller, String script, long catalogVersion, Instant started,
                            Instant ended, IvrOutcome outcome, IvrPath path, Map<String, String> vars,
                            String language, List<SurveyAnswer> survey) {

    /** A 1–5 rating given in a {@code survey} node. */
    public record SurveyAnswer(String question, int score) {
        public SurveyAnswer {
            Objects.requireNonNull(question, "question");
            if (score < 1 || score > 5) {
                throw new IllegalArgumentException("survey score: " + score + " (expected: 1 to 5)");
            }
        }
    }

    public IvrCallResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(path, "path");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        survey = List.copyOf(survey);
    }

    /** The one-line summary the dry-run ends with: {@code outcome: queue sales vars={account=123}}. */
    public String summary() {
        return "outcome: " + outcome.describe() + " vars=" + vars;
    }
}
