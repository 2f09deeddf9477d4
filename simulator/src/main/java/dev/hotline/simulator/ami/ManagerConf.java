package dev.hotline.simulator.ami;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads what the simulator honours of an Asterisk {@code manager.conf} for one AMI user: the {@code read} classes and
 * the {@code eventfilter} lines of the user's section (legacy {@code [!]regex} and the Asterisk 22 structured
 * {@code eventfilter(action(…),name(…),header(…),method(…)) = expr}). Everything else ({@code [general]},
 * {@code #include}, permit/deny, write classes, secrets) is left to the simulator's own settings. A user section
 * without {@code read} receives every class.
 */
public final class ManagerConf {

    private static final Pattern SECTION = Pattern.compile("^\\[([^]]+)](\\(.*\\))?\\s*$");
    private static final Pattern ADVANCED = Pattern.compile("^eventfilter\\((.*)\\)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern CRITERION = Pattern.compile("\\s*(action|name|header|method)\\(([^)]*)\\)\\s*",
            Pattern.CASE_INSENSITIVE);

    private ManagerConf() {
    }

    /** The filter of {@code user} in {@code file}; fails naming the file and line on anything it cannot read. */
    public static EventFilter forUser(Path file, String user) throws IOException {
        return parse(Files.readAllLines(file), file.toString(), user);
    }

    /** As {@link #forUser}, from the file's lines ({@code where} names it in errors). */
    public static EventFilter parse(List<String> lines, String where, String user) {
        boolean inUser = false;
        boolean found = false;
        Set<String> read = new LinkedHashSet<>();
        boolean readGiven = false;
        List<EventFilter.Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String at = where + ":" + (i + 1);
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                inUser = section.group(1).strip().equals(user);
                found |= inUser;
                continue;
            }
            if (!inUser) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(at + ": '" + line + "' (expected: key = value)");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.startsWith(">")) {
                value = value.substring(1).strip();   // key => value
            }
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals("read")) {
                readGiven = true;
                for (String c : value.split(",")) {
                    if (!c.isBlank()) {
                        read.add(c.strip().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (lower.equals("eventfilter")) {
                rules.add(legacy(value, at));
            } else if (ADVANCED.matcher(key).matches()) {
                Matcher m = ADVANCED.matcher(key);
                m.matches();
                rules.add(advanced(m.group(1), value, at));
            }
        }
        if (!found) {
            throw new IllegalArgumentException(where + ": no [" + user + "] section (the simulator's AMI user)");
        }
        return new EventFilter(readGiven ? read : Set.of("all"), rules);
    }

    private static EventFilter.Rule legacy(String value, String at) {
        boolean include = !value.startsWith("!");
        String regex = include ? value : value.substring(1);
        return new EventFilter.Rule(include, "", "", EventFilter.Method.REGEX, regex, compile(regex, at));
    }

    private static EventFilter.Rule advanced(String criteria, String expression, String at) {
        boolean include = true;
        String name = "";
        String header = "";
        EventFilter.Method method = EventFilter.Method.NONE;
        Set<String> seen = new LinkedHashSet<>();
        Matcher m = CRITERION.matcher(criteria);
        int end = 0;
        while (m.find() && m.start() == end) {
            String what = m.group(1).toLowerCase(Locale.ROOT);
            String arg = m.group(2).strip();
            if (!seen.add(what)) {
                throw new IllegalArgumentException(at + ": " + what + "() given twice in eventfilter(" + criteria + ")");
            }
            switch (what) {
                case "action" -> {
                    if (!arg.equalsIgnoreCase("include") && !arg.equalsIgnoreCase("exclude")) {
                        throw new IllegalArgumentException(at + ": action(" + arg + ") (expected: include or exclude)");
                    }
                    include = arg.equalsIgnoreCase("include");
                }
                case "name" -> name = arg;
                case "header" -> header = arg;
                default -> method = method(arg, at);
            }
            end = m.end();
            if (end < criteria.length() && criteria.charAt(end) == ',') {
                end++;
            }
        }
        if (end != criteria.length()) {
            throw new IllegalArgumentException(at + ": eventfilter(" + criteria + ") (expected: criteria action(),"
                    + " name(), header(), method() separated by commas)");
        }
        return new EventFilter.Rule(include, name, header, method, expression,
                method == EventFilter.Method.REGEX ? compile(expression, at) : null);
    }

    private static EventFilter.Method method(String arg, String at) {
        try {
            return EventFilter.Method.valueOf(arg.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": method(" + arg
                    + ") (expected: regex, exact, starts_with, ends_with, contains or none)");
        }
    }

    private static Pattern compile(String regex, String at) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(at + ": eventfilter '" + regex + "' is not a regular expression ("
                    + e.getDescription() + ")");
        }
    }

    /** Drops a {@code ;} comment; {@code \;} is a literal semicolon. */
    private static String stripComment(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
                out.append(';');
                i++;
            } else if (c == ';') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
