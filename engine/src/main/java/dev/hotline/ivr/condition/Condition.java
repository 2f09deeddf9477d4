package dev.hotline.ivr.condition;

import dev.hotline.ivr.model.ValueRef;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A parsed branch condition, such as {@code caller starts with "06" and lang == "en"}. Built only by
 * {@link ConditionParser}; evaluating one reads values and compares them, nothing else, so a script author can
 * never make the engine run code.
 *
 * <p>Comparisons: {@code ==} (or {@code =}), {@code !=} compare text; {@code <}, {@code <=}, {@code >},
 * {@code >=} compare numbers and are false when either side is not a number; {@code starts with},
 * {@code ends with}, {@code contains}, {@code matches "regex"} (whole value), {@code in ["a", "b"]},
 * {@code is empty}, {@code is not empty}. An unset variable reads as empty text.
 */
public sealed interface Condition {

    /** Evaluates against {@code values}, which answers "" for anything unset. */
    boolean test(Function<ValueRef, String> values);

    /** The variables the condition reads (for "variable never set" warnings). */
    default Set<String> variables() {
        Set<String> out = new HashSet<>();
        collect(this, out);
        return Set.copyOf(out);
    }

    private static void collect(Condition c, Set<String> out) {
        switch (c) {
            case And a -> {
                collect(a.left(), out);
                collect(a.right(), out);
            }
            case Or o -> {
                collect(o.left(), out);
                collect(o.right(), out);
            }
            case Not n -> collect(n.inner(), out);
            case Compare cmp -> {
                cmp.left().variable().ifPresent(out::add);
                cmp.right().variable().ifPresent(out::add);
            }
            case Matches m -> m.value().variable().ifPresent(out::add);
            case In in -> in.value().variable().ifPresent(out::add);
            case IsEmpty e -> e.value().variable().ifPresent(out::add);
        }
    }

    /** A side of a comparison: a value reference or a literal. */
    sealed interface Operand {
        String value(Function<ValueRef, String> values);

        default java.util.Optional<String> variable() {
            return this instanceof Ref r && r.ref().source() == ValueRef.Source.VAR
                    ? java.util.Optional.of(r.ref().var()) : java.util.Optional.empty();
        }
    }

    record Ref(ValueRef ref) implements Operand {
        @Override
        public String value(Function<ValueRef, String> values) {
            String v = values.apply(ref);
            return v == null ? "" : v;
        }
    }

    record Literal(String text) implements Operand {
        public Literal {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String value(Function<ValueRef, String> values) {
            return text;
        }
    }

    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            return left.test(values) && right.test(values);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            return left.test(values) || right.test(values);
        }
    }

    record Not(Condition inner) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            return !inner.test(values);
        }
    }

    /** Comparison operators. */
    enum Op { EQ, NE, LT, LE, GT, GE, STARTS_WITH, ENDS_WITH, CONTAINS }

    record Compare(Operand left, Op op, Operand right) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            String l = left.value(values);
            String r = right.value(values);
            return switch (op) {
                case EQ -> equal(l, r);
                case NE -> !equal(l, r);
                case STARTS_WITH -> l.startsWith(r);
                case ENDS_WITH -> l.endsWith(r);
                case CONTAINS -> l.contains(r);
                case LT, LE, GT, GE -> {
                    BigDecimal a = number(l);
                    BigDecimal b = number(r);
                    if (a == null || b == null) {
                        yield false;
                    }
                    int c = a.compareTo(b);
                    yield switch (op) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
                }
            };
        }

        /** Text equality, except that two numbers are equal by value ({@code 5} == {@code 5.0}). */
        private static boolean equal(String l, String r) {
            if (l.equals(r)) {
                return true;
            }
            BigDecimal a = number(l);
            BigDecimal b = number(r);
            return a != null && b != null && a.compareTo(b) == 0;
        }

        private static BigDecimal number(String s) {
            if (s.isEmpty() || s.length() > 40 || !s.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return null;
            }
            return new BigDecimal(s);
        }
    }

    /** {@code value matches "regex"}: the whole value must match. */
    record Matches(Operand value, Pattern pattern) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            return pattern.matcher(value.value(values)).matches();
        }
    }

    record In(Operand value, List<String> choices) implements Condition {
        public In {
            choices = List.copyOf(choices);
        }

        @Override
        public boolean test(Function<ValueRef, String> values) {
            return choices.contains(value.value(values));
        }
    }

    record IsEmpty(Operand value) implements Condition {
        @Override
        public boolean test(Function<ValueRef, String> values) {
            return value.value(values).isEmpty();
        }
    }
}
