package dev.hotline.ivr.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value a script can read: the caller's number, the dialled number, the caller's language, the script's id,
 * or a call variable. Written in scripts as {@code caller}, {@code caller_name}, {@code dnis}, {@code lang},
 * {@code script} or {@code vars.NAME}.
 *
 * @param source where the value comes from
 * @param var    the variable's name when {@code source} is {@link Source#VAR}, else empty
 */
public record ValueRef(Source source, String var) {

    /** Where a value comes from. */
    public enum Source { CALLER, CALLER_NAME, DNIS, LANG, SCRIPT, VAR }

    /** Variable names: what {@code set}, {@code input}, {@code lookup} and {@code survey} may write. */
    public static final Pattern VAR_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    /** The names accepted by {@link #parse}, for "expected:" messages. */
    public static final String EXPECTED = "caller, caller_name, dnis, lang, script or vars.NAME";

    public ValueRef {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(var, "var");
        if (source == Source.VAR && !VAR_NAME.matcher(var).matches()) {
            throw new IllegalArgumentException("variable name: '" + var + "' (expected: a-z, 0-9, '_')");
        }
    }

    public static ValueRef var(String name) {
        return new ValueRef(Source.VAR, name);
    }

    /** Parses a reference as written in a script, empty when it is not one. */
    public static Optional<ValueRef> parse(String text) {
        return Optional.ofNullable(switch (text) {
            case "caller" -> new ValueRef(Source.CALLER, "");
            case "caller_name" -> new ValueRef(Source.CALLER_NAME, "");
            case "dnis" -> new ValueRef(Source.DNIS, "");
            case "lang" -> new ValueRef(Source.LANG, "");
            case "script" -> new ValueRef(Source.SCRIPT, "");
            default -> text.startsWith("vars.") && VAR_NAME.matcher(text.substring(5)).matches()
                    ? var(text.substring(5)) : null;
        });
    }

    @Override
    public String toString() {
        return source == Source.VAR ? "vars." + var : source.name().toLowerCase(java.util.Locale.ROOT);
    }
}
