package dev.hotline.yaml;

import java.util.Objects;

/**
 * A password or shared secret. Its {@code toString} never shows the value, so a secret that ends up in a log
 * line, an exception message or a record's {@code toString} stays hidden.
 */
public final class Secret {

    public static final Secret NONE = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return value.isEmpty() ? NONE : new Secret(value);
    }

    /** The secret itself, for the one place that must send it (a login, a JDBC connection). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "****";
    }
}
