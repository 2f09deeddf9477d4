package dev.hotline.qa;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One scoring of one call: the call, the form version it was scored on, the answers, the score they give, the
 * evaluator's comments; then the agent's acknowledgement or dispute, and the resolution of a dispute. A calibration
 * evaluation is a second opinion on a call already scored (QA and team lead score the same call to compare their
 * judgement): it is never shown to the agent and never counts in the agent's figures.
 *
 * @param id            server-assigned
 * @param callId        the evaluated call
 * @param agentId       the agent who answered it
 * @param callStartedAt when the call began (its month is the month the evaluation counts in)
 * @param form          the form version scored on
 * @param evaluator     username of the evaluator
 * @param calibration   a calibration scoring
 * @param answers       one per question of the form
 * @param score         what the answers give on that form version
 * @param comments      the evaluator's comments (coaching notes)
 * @param createdAt     when it was submitted
 * @param status        submitted, acknowledged, disputed or resolved
 * @param agentComment  the agent's words when acknowledging or disputing
 * @param respondedAt   when the agent acknowledged or disputed
 * @param resolution    how QA settled a dispute, and by whom and when
 */
public record Evaluation(String id, String callId, String agentId, Instant callStartedAt, FormRef form,
                         String evaluator, boolean calibration, List<Answer> answers, Score score, String comments,
                         Instant createdAt, Status status, String agentComment, Optional<Instant> respondedAt,
                         Optional<Resolution> resolution) {

    public static final int MAX_COMMENTS = 4000;

    /** A form version. */
    public record FormRef(String id, int version) {
        public FormRef {
            Objects.requireNonNull(id, "id");
        }
    }

    /** A settled dispute. */
    public record Resolution(String by, Instant at, String comment) {
        public Resolution {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(comment, "comment");
        }
    }

    public enum Status {
        SUBMITTED, ACKNOWLEDGED, DISPUTED, RESOLVED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Status> parse(String text) {
            for (Status s : values()) {
                if (s.wireName().equals(text)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public Evaluation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(callStartedAt, "callStartedAt");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(evaluator, "evaluator");
        answers = List.copyOf(answers);
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(comments, "comments");
        if (comments.length() > MAX_COMMENTS) {
            throw new IllegalArgumentException("comments: " + comments.length() + " characters (expected: <= "
                    + MAX_COMMENTS + ")");
        }
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(agentComment, "agentComment");
        Objects.requireNonNull(respondedAt, "respondedAt");
        Objects.requireNonNull(resolution, "resolution");
        if (calibration && status != Status.SUBMITTED) {
            throw new IllegalArgumentException("evaluation " + id
                    + ": a calibration is never acknowledged or disputed");
        }
    }

    /**
     * A new evaluation of {@code form}: the answers are scored here, so an evaluation never holds a score its answers
     * do not give ({@link Scoring} throws on missing or invalid answers).
     */
    public static Evaluation submit(String id, String callId, String agentId, Instant callStartedAt, Form form,
                                    String evaluator, boolean calibration, List<Answer> answers, String comments,
                                    Instant at) {
        Score score = Scoring.score(form, answers);
        return new Evaluation(id, callId, agentId, callStartedAt, new FormRef(form.id(), form.version()), evaluator,
                calibration, answers, score, comments, at, Status.SUBMITTED, "", Optional.empty(), Optional.empty());
    }

    /** The agent agrees: only from submitted. */
    public Evaluation acknowledge(String comment, Instant at) {
        requireAgentResponse("acknowledge");
        return new Evaluation(id, callId, agentId, callStartedAt, form, evaluator, calibration, answers, score,
                comments, createdAt, Status.ACKNOWLEDGED, comment, Optional.of(at), resolution);
    }

    /** The agent disagrees, saying why: only from submitted, and a reason is required. */
    public Evaluation dispute(String reason, Instant at) {
        requireAgentResponse("dispute");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("a dispute needs the agent's reason");
        }
        return new Evaluation(id, callId, agentId, callStartedAt, form, evaluator, calibration, answers, score,
                comments, createdAt, Status.DISPUTED, reason, Optional.of(at), resolution);
    }

    /** QA settles a dispute (the score stands; a re-scoring is a new evaluation): only from disputed. */
    public Evaluation resolve(String by, String comment, Instant at) {
        if (status != Status.DISPUTED) {
            throw new IllegalStateException("evaluation " + id + " is " + status.wireName()
                    + ": only a disputed evaluation is resolved");
        }
        return new Evaluation(id, callId, agentId, callStartedAt, form, evaluator, calibration, answers, score,
                comments, createdAt, Status.RESOLVED, agentComment, respondedAt,
                Optional.of(new Resolution(by, at, comment)));
    }

    private void requireAgentResponse(String what) {
        if (calibration) {
            throw new IllegalStateException("evaluation " + id + " is a calibration: agents do not " + what + " it");
        }
        if (status != Status.SUBMITTED) {
            throw new IllegalStateException("evaluation " + id + " is already " + status.wireName() + " (an agent "
                    + what + "s a submitted evaluation once)");
        }
    }

    /** Counted in the agent's figures (not a calibration). */
    public boolean counts() {
        return !calibration;
    }

    public boolean disputed() {
        return status == Status.DISPUTED || status == Status.RESOLVED;
    }
}
