package dev.hotline.qa;

import java.util.Objects;

/**
 * An evaluator's answer to one question: {@code yes}, {@code no}, {@code 1}–{@code 5} or {@code na} (checked against
 * the question's scale when scored), with an optional comment.
 */
public record Answer(String questionId, String value, String comment) {

    public static final int MAX_COMMENT = 1000;

    public Answer {
        Objects.requireNonNull(questionId, "questionId");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(comment, "comment");
        if (comment.length() > MAX_COMMENT) {
            throw new IllegalArgumentException("answer to " + questionId + ": a comment of " + comment.length()
                    + " characters (expected: <= " + MAX_COMMENT + ")");
        }
    }

    public Answer(String questionId, String value) {
        this(questionId, value, "");
    }
}
