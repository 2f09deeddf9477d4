package dev.hotline.outbound;

/**
 * Phone numbers as Hotline keeps them: digits with an optional leading {@code +}; spaces, dots, dashes and
 * parentheses people write are dropped. Everything else is refused with the reason.
 */
public final class PhoneNumbers {

    public static final int MIN_DIGITS = 3;
    public static final int MAX_DIGITS = 20;

    private PhoneNumbers() {
    }

    /**
     * The number in its stored form.
     *
     * @throws IllegalArgumentException naming the value and what is expected
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("number: empty (expected: " + MIN_DIGITS + "-" + MAX_DIGITS + " digits)");
        }
        StringBuilder sb = new StringBuilder(raw.length());
        String t = raw.strip();
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            } else if (c == '+' && i == 0) {
                sb.append(c);
            } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
                throw new IllegalArgumentException("number: '" + raw + "' has '" + c + "' (expected: digits, an"
                        + " optional leading +, spaces, dots, dashes, parentheses)");
            }
        }
        int digits = sb.length() - (sb.length() > 0 && sb.charAt(0) == '+' ? 1 : 0);
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new IllegalArgumentException("number: '" + raw + "' has " + digits + " digits (expected: "
                    + MIN_DIGITS + "-" + MAX_DIGITS + ")");
        }
        return sb.toString();
    }

    /** Digits only (what a dial string carries: {@code +} is dropped, the trunk's prefix rules apply). */
    public static String dialDigits(String normalized) {
        return normalized.startsWith("+") ? normalized.substring(1) : normalized;
    }
}
