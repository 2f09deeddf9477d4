package dev.hotline.agi;

import java.util.Objects;
import java.util.Optional;

/**
 * How a {@code RECORD FILE} ended.
 *
 * @param endReason what stopped it
 * @param digit     the digit pressed when {@code endReason} is {@link EndReason#DIGIT}
 * @param endpos    length recorded, in samples
 */
public record Recording(EndReason endReason, Optional<Character> digit, long endpos) {

    public enum EndReason { DIGIT, TIMEOUT, SILENCE, HANGUP }

    public Recording {
        Objects.requireNonNull(endReason, "endReason");
        Objects.requireNonNull(digit, "digit");
    }
}
