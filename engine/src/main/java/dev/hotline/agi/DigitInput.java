package dev.hotline.agi;

import java.util.Objects;

/**
 * Digits collected by {@code GET DATA}.
 *
 * @param digits   what the caller entered (possibly empty)
 * @param timedOut true when input ended because the caller stopped typing, not by {@code #} or max digits
 */
public record DigitInput(String digits, boolean timedOut) {

    public DigitInput {
        Objects.requireNonNull(digits, "digits");
    }
}
