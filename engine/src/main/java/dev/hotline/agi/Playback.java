package dev.hotline.agi;

import java.util.Objects;
import java.util.Optional;

/**
 * How a playback ended.
 *
 * @param digit  the escape digit that interrupted it, if any
 * @param endpos the sample offset where playback stopped (Asterisk's {@code endpos})
 */
public record Playback(Optional<Character> digit, long endpos) {

    public Playback {
        Objects.requireNonNull(digit, "digit");
    }

    public boolean interrupted() {
        return digit.isPresent();
    }
}
