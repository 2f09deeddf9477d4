package dev.hotline.cli.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * extensions.conf read as contexts of steps ({@code exten => EXT,PRIO,App(args)} and
 * {@code same => PRIO,App(args)}), with {@code ${NAME}} replaced by the {@code [globals]} value when one exists.
 */
final class Dialplan {

    /** One priority: the extension it belongs to, the application and its (global-expanded) arguments. */
    record Step(String context, String exten, String priority, String app, String args, int line) {

        @Override
        public String toString() {
            return context + "," + exten + "," + priority + ": " + app + "(" + args + ") [line " + line + "]";
        }
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> globals;
    private final Map<String, List<Step>> contexts = new LinkedHashMap<>();

    Dialplan(AsteriskConf conf) {
        Map<String, String> g = new LinkedHashMap<>();
        if (conf.has("globals")) {
            for (AsteriskConf.Entry e : conf.section("globals").entries()) {
                g.put(e.key(), e.value());
            }
        }
        globals = Map.copyOf(g);
        for (AsteriskConf.Section s : conf.sections()) {
            if (s.name().equals("general") || s.name().equals("globals")) {
                continue;
            }
            List<Step> steps = contexts.computeIfAbsent(s.name(), k -> new ArrayList<>());
            String exten = null;
            for (AsteriskConf.Entry e : s.entries()) {
                String rest;
                String priority;
                if (e.key().equals("exten")) {
                    int c1 = e.value().indexOf(',');
                    int c2 = e.value().indexOf(',', c1 + 1);
                    if (c1 < 0 || c2 < 0) {
                        throw new AssertionError(conf.file() + ":" + e.line() + ": exten needs EXT,PRIO,App: " + e.value());
                    }
                    exten = e.value().substring(0, c1).strip();
                    priority = e.value().substring(c1 + 1, c2).strip();
                    rest = e.value().substring(c2 + 1).strip();
                } else if (e.key().equals("same")) {
                    if (exten == null) {
                        throw new AssertionError(conf.file() + ":" + e.line() + ": 'same' before any exten");
                    }
                    int c1 = e.value().indexOf(',');
                    priority = e.value().substring(0, c1).strip();
                    rest = e.value().substring(c1 + 1).strip();
                } else {
                    continue;
                }
                int open = rest.indexOf('(');
                String app = open < 0 ? rest : rest.substring(0, open).strip();
                String args = open < 0 ? "" : rest.substring(open + 1, rest.lastIndexOf(')'));
                steps.add(new Step(s.name(), exten, priority, app, expand(args), e.line()));
            }
        }
    }

    /** {@code ${NAME}} → the global's value when {@code [globals]} defines NAME; other variables are kept. */
    String expand(String text) {
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = globals.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    Map<String, String> globals() {
        return globals;
    }

    boolean hasContext(String name) {
        return contexts.containsKey(name);
    }

    List<String> contextNames() {
        return List.copyOf(contexts.keySet());
    }

    List<Step> steps(String context) {
        List<Step> s = contexts.get(context);
        if (s == null) {
            throw new AssertionError("extensions.conf has no context [" + context + "]; it has " + contexts.keySet());
        }
        return s;
    }

    List<Step> steps(String context, String exten) {
        return steps(context).stream().filter(s -> s.exten().equals(exten)).toList();
    }

    List<Step> all() {
        return contexts.values().stream().flatMap(List::stream).toList();
    }
}
