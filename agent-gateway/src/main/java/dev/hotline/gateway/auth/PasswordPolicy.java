package dev.hotline.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The minimum strength of a password set from the admin API: at least {@value #MIN_LENGTH} characters, at most
 * {@value #MAX_BYTES} bytes in UTF-8 (bcrypt reads no further), at least two kinds of character among lower-case
 * letters, upper-case letters, digits and others, more than three different characters, and not containing the
 * username. The answer names the rule that failed, never the password.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    /** What is wrong with {@code password} for {@code username}; empty when it is strong enough. */
    public static Optional<String> problem(String username, String password) {
        if (password.length() < MIN_LENGTH) {
            return Optional.of("has " + password.length() + " characters (expected: at least " + MIN_LENGTH + ")");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("is longer than " + MAX_BYTES + " bytes in UTF-8 (expected: at most " + MAX_BYTES
                    + "; bcrypt ignores the rest)");
        }
        int kinds = 0;
        kinds += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        kinds += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        kinds += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        kinds += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (kinds < 2) {
            return Optional.of("uses one kind of character only (expected: at least two of lower-case letters,"
                    + " upper-case letters, digits, other characters)");
        }
        if (password.chars().distinct().count() <= 3) {
            return Optional.of("repeats too few different characters (expected: more than 3 different characters)");
        }
        if (username != null && username.length() >= 3
                && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("contains the username (expected: a password that does not)");
        }
        return Optional.empty();
    }
}
