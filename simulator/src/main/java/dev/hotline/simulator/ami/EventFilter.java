package dev.hotline.simulator.ami;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events one AMI user receives, as manager.c decides: the event's class must be among the user's
 * {@code read} classes, then the user's {@code eventfilter}s apply. No filters: every event. Only include filters:
 * events matching one of them. Only exclude filters: events matching none of them. Both: events matching an include
 * filter and no exclude filter.
 *
 * @param readClasses the {@code read} classes, lower case ({@code all} lets every class through)
 * @param filters     the {@code eventfilter} lines in file order
 */
public record EventFilter(Set<String> readClasses, List<Rule> filters) {

    /** No restriction at all (the simulator without a manager.conf). */
    public static final EventFilter NONE = new EventFilter(Set.of("all"), List.of());

    public EventFilter {
        readClasses = Set.copyOf(readClasses);
        filters = List.copyOf(filters);
    }

    /** How an advanced filter compares its expression. */
    public enum Method { NONE, REGEX, EXACT, STARTS_WITH, ENDS_WITH, CONTAINS }

    /**
     * One {@code eventfilter}. Legacy ({@code eventfilter = [!]regex}): {@code name} and {@code header} empty, method
     * REGEX over the whole event text. Advanced ({@code eventfilter(action(…),name(…),header(…),method(…)) = expr}):
     * the event's name must equal {@code name} when given; with {@code header} the event must have that header and
     * the expression is compared with its value, otherwise with the whole event text; method NONE ignores it.
     */
    public record Rule(boolean include, String name, String header, Method method, String expression,
                       Pattern pattern) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(expression, "expression");
            if (method == Method.REGEX) {
                Objects.requireNonNull(pattern, "pattern");
            }
        }

        boolean matches(AmiMessage event, String eventName) {
            if (!name.isEmpty() && !name.equalsIgnoreCase(eventName)) {
                return false;
            }
            String subject;
            if (!header.isEmpty()) {
                var value = event.get(header);
                if (value.isEmpty()) {
                    return false;
                }
                subject = value.get();
            } else if (method == Method.NONE) {
                return true;
            } else {
                subject = payload(event);
            }
            return switch (method) {
                case NONE -> true;
                case REGEX -> pattern.matcher(subject).find();
                case EXACT -> subject.equals(expression);
                case STARTS_WITH -> subject.startsWith(expression);
                case ENDS_WITH -> subject.endsWith(expression);
                case CONTAINS -> subject.contains(expression);
            };
        }
    }

    /** Whether an event goes to this user. */
    public boolean allows(AmiMessage event) {
        if (!readClasses.contains("all") && !classAllowed(event.value("Privilege"))) {
            return false;
        }
        if (filters.isEmpty()) {
            return true;
        }
        String name = event.value("Event");
        boolean anyInclude = false;
        boolean included = false;
        for (Rule rule : filters) {
            if (rule.include()) {
                anyInclude = true;
                if (!included && rule.matches(event, name)) {
                    included = true;
                }
            }
        }
        if (anyInclude && !included) {
            return false;
        }
        for (Rule rule : filters) {
            if (!rule.include() && rule.matches(event, name)) {
                return false;
            }
        }
        return true;
    }

    private boolean classAllowed(String privilege) {
        for (String c : privilege.split(",")) {
            String cls = c.trim().toLowerCase(Locale.ROOT);
            if (!cls.equals("all") && readClasses.contains(cls)) {
                return true;
            }
        }
        return false;
    }

    /** The event as manager.c matches legacy filters against it: its headers, one "Key: Value" line each. */
    private static String payload(AmiMessage event) {
        String wire = event.toWire();
        return wire.substring(0, wire.length() - 2);
    }
}
