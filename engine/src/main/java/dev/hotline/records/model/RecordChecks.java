package dev.hotline.records.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Constructor checks shared by the record values; messages name the field and what was expected. */
final class RecordChecks {

    private RecordChecks() {
    }

    static String text(String name, String value, int maxLength) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: 1-" + maxLength + " characters)");
        }
        return value;
    }

    static String optionalText(String name, String value, int maxLength) {
        Objects.requireNonNull(value, name);
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(name + ": " + value.length() + " characters (expected: <= " + maxLength
                    + ")");
        }
        return value;
    }

    static Duration nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
        }
        return value;
    }

    static void order(String firstName, Instant first, String secondName, Instant second) {
        Objects.requireNonNull(first, firstName);
        Objects.requireNonNull(second, secondName);
        if (second.isBefore(first)) {
            throw new IllegalArgumentException(secondName + ": " + second + " (expected: >= " + firstName + " " + first
                    + ")");
        }
    }
}
