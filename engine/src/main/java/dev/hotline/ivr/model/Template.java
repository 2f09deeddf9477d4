package dev.hotline.ivr.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Text with placeholders, e.g. {@code https://crm.example/customers?account={vars.account}}: each
 * {@code {…}} names a {@link ValueRef}. There is no other syntax (no expressions, no escapes), so a
 * template can never run anything.
 */
public record Template(String source, List<Part> parts) {

    /** A piece of a template: literal text or a value reference. */
    public sealed interface Part {
    }

    public record Text(String text) implements Part {
    }

    public record Ref(ValueRef ref) implements Part {
    }

    public Template {
        Objects.requireNonNull(source, "source");
        parts = List.copyOf(parts);
    }

    public static Template literal(String text) {
        return new Template(text, text.isEmpty() ? List.of() : List.of(new Text(text)));
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the character position and what was wrong
     */
    public static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf('{', i);
            int close = text.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("'}' at character " + (close + 1) + " has no matching '{'");
            }
            if (open < 0) {
                parts.add(new Text(text.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Text(text.substring(i, open)));
            }
            int end = text.indexOf('}', open);
            if (end < 0) {
                throw new IllegalArgumentException("'{' at character " + (open + 1) + " is not closed by '}'");
            }
            String name = text.substring(open + 1, end).strip();
            ValueRef ref = ValueRef.parse(name).orElseThrow(() -> new IllegalArgumentException(
                    "{" + name + "} at character " + (open + 1) + " (expected: {" + ValueRef.EXPECTED + "})"));
            parts.add(new Ref(ref));
            i = end + 1;
        }
        return new Template(text, parts);
    }

    /** The text with each reference replaced by {@code values}' answer for it. */
    public String render(Function<ValueRef, String> values) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> sb.append(t.text());
                case Ref r -> sb.append(values.apply(r.ref()));
            }
        }
        return sb.toString();
    }

    /** The variables this template reads. */
    public Set<String> variables() {
        return parts.stream().filter(p -> p instanceof Ref r && r.ref().source() == ValueRef.Source.VAR)
                .map(p -> ((Ref) p).ref().var()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public String toString() {
        return source;
    }
}
