package dev.hotline.yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the keys of one YAML map into typed values, reporting each bad value as
 * {@code path: value (expected: …)} at the value's own line and column, and every key it was never asked
 * about as unknown. Readers never repair a bad value silently: they report it and return the default so
 * reading can go on and find the next problem.
 *
 * <p>Strings may refer to environment variables as {@code ${NAME}} or {@code ${NAME:-default}}; that is how
 * secrets stay out of files.
 */
public final class Fields {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private final YamlMap map;
    private final Problems problems;
    private final Map<String, String> env;
    private final Set<String> asked = new HashSet<>();

    private Fields(YamlMap map, Problems problems, Map<String, String> env) {
        this.map = map;
        this.problems = problems;
        this.env = env;
    }

    /** Fields of {@code node}, which must be a map; if it is not, the problem is reported and no keys are read. */
    public static Fields of(YamlNode node, Problems problems, Map<String, String> env) {
        if (node instanceof YamlMap m) {
            return new Fields(m, problems, env);
        }
        problems.error(node, describe(node) + " (expected: a map of keys)");
        return new Fields(new YamlMap(Map.of(), node.path(), node.location()), problems, env);
    }

    public YamlMap map() {
        return map;
    }

    public Problems problems() {
        return problems;
    }

    public boolean has(String key) {
        asked.add(key);
        YamlNode n = map.get(key);
        return n != null && !(n instanceof YamlScalar s && s.isNull());
    }

    /** The raw node under {@code key}, or null; marks the key as known. */
    public YamlNode node(String key) {
        asked.add(key);
        return map.get(key);
    }

    public String string(String key, String defaultValue) {
        YamlNode n = node(key);
        if (n == null || n instanceof YamlScalar s && s.isNull()) {
            return defaultValue;
        }
        if (n instanceof YamlScalar s && s.type() != YamlScalar.Type.STRING) {
            // A number or boolean written where text is expected is fine (e.g. an id like 1001).
            return s.text();
        }
        if (n instanceof YamlScalar s) {
            return expand(s, s.text(), false);
        }
        problems.error(n, describe(n) + " (expected: text)");
        return defaultValue;
    }

    public String requiredString(String key) {
        String v = string(key, null);
        if (v == null && map.get(key) == null) {
            missing(key, "text");
        }
        return v;
    }

    /** A secret: must be written as {@code ${ENV_VAR}} or a literal; its value never appears in a message. */
    public Secret secret(String key) {
        YamlNode n = node(key);
        if (n == null || n instanceof YamlScalar s && s.isNull()) {
            return Secret.NONE;
        }
        if (n instanceof YamlScalar s) {
            String v = expand(s, s.text() == null ? "" : s.text(), true);
            return v == null ? Secret.NONE : Secret.of(v);
        }
        problems.error(n, "a " + n.kindName() + " (expected: text or ${ENV_VAR})");
        return Secret.NONE;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        String expected = min == max ? "the integer " + min
                : max == Integer.MAX_VALUE ? "an integer >= " + min
                : "an integer from " + min + " to " + max;
        if (n instanceof YamlScalar s && s.type() == YamlScalar.Type.INTEGER) {
            try {
                long v = Long.parseLong(s.text().replace("_", ""));
                if (v >= min && v <= max) {
                    return (int) v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.error(n, describe(n) + " (expected: " + expected + ")");
        return defaultValue;
    }

    public double decimal(String key, double defaultValue, double min, double max) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        if (n instanceof YamlScalar s && (s.type() == YamlScalar.Type.INTEGER || s.type() == YamlScalar.Type.DECIMAL)) {
            double v = Double.parseDouble(s.text());
            if (v >= min && v <= max) {
                return v;
            }
        }
        problems.error(n, describe(n) + " (expected: a number from " + min + " to " + max + ")");
        return defaultValue;
    }

    public boolean bool(String key, boolean defaultValue) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        if (n instanceof YamlScalar s && s.type() == YamlScalar.Type.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        problems.error(n, describe(n) + " (expected: true or false)");
        return defaultValue;
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or {@code 1d}, within bounds. */
    public Duration duration(String key, Duration defaultValue, Duration min, Duration max) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        String expected = "a duration from " + format(min) + " to " + format(max) + ", such as 500ms, 30s, 5m, 1h";
        if (n instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING) {
            Optional<Duration> d = parseDuration(s.text());
            if (d.isPresent() && d.get().compareTo(min) >= 0 && d.get().compareTo(max) <= 0) {
                return d.get();
            }
        }
        problems.error(n, describe(n) + " (expected: " + expected + ")");
        return defaultValue;
    }

    /** One of the enum's constants, written in lower case with {@code -} for {@code _}. */
    public <E extends Enum<E>> E choice(String key, E defaultValue, Class<E> type) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        if (n instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING) {
            for (E c : type.getEnumConstants()) {
                if (wireName(c).equals(s.text())) {
                    return c;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            names.add(wireName(c));
        }
        problems.error(n, describe(n) + " (expected: one of " + String.join(", ", names) + ")");
        return defaultValue;
    }

    public static String wireName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A list of strings; each item checked by {@code check}, which returns null when fine or what is expected. */
    public List<String> strings(String key, List<String> defaultValue, Function<String, String> check) {
        YamlNode n = node(key);
        if (n == null) {
            return defaultValue;
        }
        if (!(n instanceof YamlList l)) {
            problems.error(n, describe(n) + " (expected: a list)");
            return defaultValue;
        }
        List<String> out = new ArrayList<>();
        for (YamlNode item : l.items()) {
            if (item instanceof YamlScalar s && !s.isNull() && s.type() != YamlScalar.Type.BOOLEAN) {
                String v = expand(s, s.text(), false);
                String why = v == null ? null : check.apply(v);
                if (why != null) {
                    problems.error(item, quote(v) + " (expected: " + why + ")");
                } else if (v != null) {
                    out.add(v);
                }
            } else {
                problems.error(item, describe(item) + " (expected: text)");
            }
        }
        return List.copyOf(out);
    }

    /** The nested map under {@code key}, if present. */
    public Optional<Fields> section(String key) {
        YamlNode n = node(key);
        if (n == null || n instanceof YamlScalar s && s.isNull()) {
            return Optional.empty();
        }
        return Optional.of(of(n, problems, env));
    }

    /** A list of maps under {@code key}. */
    public List<Fields> sections(String key) {
        YamlNode n = node(key);
        if (n == null || n instanceof YamlScalar s && s.isNull()) {
            return List.of();
        }
        if (!(n instanceof YamlList l)) {
            problems.error(n, describe(n) + " (expected: a list of maps)");
            return List.of();
        }
        return l.items().stream().map(item -> of(item, problems, env)).toList();
    }

    public void missing(String key, String expected) {
        problems.error(map.location(), map.childPath(key), "missing (expected: " + expected + ")");
    }

    /** Reports a problem about the value under {@code key} (or the map itself when the key is absent). */
    public void invalid(String key, String message) {
        YamlNode n = map.get(key);
        if (n != null) {
            problems.error(n, message);
        } else {
            problems.error(map.location(), map.childPath(key), message);
        }
    }

    /** Reports every key no reader asked for, with the keys that are allowed and a guess at the intended one. */
    public void finish() {
        List<String> known = asked.stream().sorted().toList();
        for (YamlMap.Entry e : map.entries().values()) {
            if (!asked.contains(e.key())) {
                String guess = closest(e.key(), known);
                problems.error(e.keyLocation(), map.childPath(e.key()), "unknown key"
                        + (guess == null ? "" : ", did you mean '" + guess + "'?")
                        + " (expected one of: " + String.join(", ", known) + ")");
            }
        }
    }

    private String expand(YamlScalar s, String text, boolean secret) {
        if (text == null) {
            return null;
        }
        Matcher m = ENV_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean ok = true;
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null && m.group(2) != null) {
                value = m.group(2);
            }
            if (value == null) {
                problems.error(s, "environment variable " + m.group(1) + " is not set"
                        + (secret ? " (expected: the secret in that variable)" : ""));
                ok = false;
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return ok ? out.toString() : null;
    }

    public static Optional<Duration> parseDuration(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    public static String format(Duration d) {
        if (d.toMillis() % 86_400_000 == 0 && !d.isZero()) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % 3_600_000 == 0 && !d.isZero()) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0 && !d.isZero()) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    /** How a node is shown in a message: a scalar's own text (quoted when it is text), else its kind. */
    public static String describe(YamlNode n) {
        if (n instanceof YamlScalar s) {
            return s.isNull() ? "empty value" : s.type() == YamlScalar.Type.STRING ? quote(s.text()) : s.text();
        }
        return "a " + n.kindName();
    }

    private static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /**
     * The known name closest to {@code name} (at most two edits away, case ignored), for a "did you mean"; null when
     * none is close. One implementation for config keys, IVR keys, node types and every name a script refers to.
     */
    public static String closest(String name, java.util.Collection<String> known) {
        return closest(name, List.copyOf(known));
    }

    /** {@code , did you mean "x"?} for the closest known name, or nothing. */
    public static String didYouMean(String name, java.util.Collection<String> known) {
        String guess = closest(name, known);
        return guess == null || guess.equals(name) ? "" : ", did you mean \"" + guess + "\"?";
    }

    private static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
