package dev.hotline.qa;

import java.util.List;
import java.util.Optional;

/**
 * How a question is answered. Both scales accept "na" (the question does not apply to this call): an N/A answer
 * leaves the question, and its weight, out of the score.
 */
public enum Scale {
    /** yes (full marks), no (none), na. A critical question fails the call on "no". */
    YES_NO("yes-no", List.of("yes", "no", "na")),
    /** 1 (none) to 5 (full marks) in quarters, na. A critical question fails the call on 1 or 2. */
    ONE_TO_FIVE("1-5", List.of("1", "2", "3", "4", "5", "na"));

    private final String wireName;
    private final List<String> answers;

    Scale(String wireName, List<String> answers) {
        this.wireName = wireName;
        this.answers = answers;
    }

    public String wireName() {
        return wireName;
    }

    /** The answers this scale accepts, as written. */
    public List<String> answers() {
        return answers;
    }

    public static Optional<Scale> parse(String text) {
        for (Scale s : values()) {
            if (s.wireName.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The share of the question's weight earned by {@code value} (0–1); empty for "na". */
    Optional<Double> points(String value) {
        if (value.equals("na")) {
            return Optional.empty();
        }
        return Optional.of(switch (this) {
            case YES_NO -> value.equals("yes") ? 1.0 : 0.0;
            case ONE_TO_FIVE -> (Integer.parseInt(value) - 1) / 4.0;
        });
    }

    /** Whether {@code value} fails a critical question on this scale. */
    boolean failsCritical(String value) {
        return switch (this) {
            case YES_NO -> value.equals("no");
            case ONE_TO_FIVE -> value.equals("1") || value.equals("2");
        };
    }
}
