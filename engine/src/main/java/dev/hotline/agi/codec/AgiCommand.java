package dev.hotline.agi.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One AGI command: fixed keywords ({@code STREAM FILE}) and free arguments. The wire form quotes every argument
 * that needs it, so no value — a caller ID, collected digits, CRM data — can end the line early, split into two
 * arguments or start another command.
 *
 * <p>Asterisk splits a command line on spaces and tabs, lets double quotes group, and treats a backslash as
 * escaping the next character, inside quotes or out (res_agi.c {@code parse_args}). So an argument is sent bare
 * when it is made only of safe characters, and otherwise as {@code "…"} with {@code "} and {@code \} escaped.
 * A line break cannot be escaped at all (Asterisk reads up to {@code \n} before parsing), so control characters
 * (but tab, which quoting protects) are rejected here with the argument's position; callers passing outside data use {@link #sanitize(String)}.
 * Asterisk reads at most 8192 bytes per line and 128 arguments; longer commands are rejected, not truncated.
 *
 * @param keywords the command name, e.g. {@code ["STREAM", "FILE"]}: upper-case words
 * @param args     the arguments, any text without control characters
 * @param deadSafe true when Asterisk still runs it on a dead channel (variable commands, VERBOSE, EXEC…)
 */
public record AgiCommand(List<String> keywords, List<String> args, boolean deadSafe) {

    /** Asterisk's AGI line buffer. */
    public static final int MAX_LINE_BYTES = 8192;
    /** Asterisk's MAX_ARGS (keywords included). */
    public static final int MAX_ARGS = 128;

    private static final Pattern KEYWORD = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_.,:;/@+*#=(){}\\[\\]$%&!?'<>|^~-]+");

    public AgiCommand {
        keywords = List.copyOf(keywords);
        args = List.copyOf(args);
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException("keywords: empty (expected: a command name such as ANSWER)");
        }
        // Fields are assigned only after this constructor body, so name the command from the parameter.
        String name = String.join(" ", keywords);
        for (String k : keywords) {
            if (!KEYWORD.matcher(k).matches()) {
                throw new IllegalArgumentException("keyword: '" + k + "' (expected: upper-case letters, digits, _)");
            }
        }
        if (keywords.size() + args.size() >= MAX_ARGS) {
            // parse_args keeps MAX_ARGS - 1 words and silently drops the rest.
            throw new IllegalArgumentException(name + ": " + (keywords.size() + args.size())
                    + " words (expected: <= " + (MAX_ARGS - 1) + ")");
        }
        for (int i = 0; i < args.size(); i++) {
            String a = Objects.requireNonNull(args.get(i), "argument " + (i + 1) + " of " + name);
            for (int j = 0; j < a.length(); j++) {
                char c = a.charAt(j);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new IllegalArgumentException("argument " + (i + 1) + " of " + name
                            + " contains control character U+" + String.format(Locale.ROOT, "%04X", (int) c)
                            + " at index " + j + " (expected: printable text; AGI cannot carry line breaks)");
                }
            }
        }
        // Exact UTF-8 length only when the cheap upper bound (3 bytes a char, every argument quoted and
        // escaped) could exceed the limit: most commands are far below it.
        long bound = name.length() + 1;
        for (String a : args) {
            bound += 3L * a.length() * 2 + 3;
        }
        int bytes = bound <= MAX_LINE_BYTES ? 0 : wire(keywords, args).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_LINE_BYTES) {
            throw new IllegalArgumentException(name + ": line length " + bytes + " bytes (expected: <= "
                    + MAX_LINE_BYTES + ", Asterisk's AGI buffer)");
        }
    }

    /** A command Asterisk refuses on a dead channel. */
    public static AgiCommand of(String name, String... args) {
        return new AgiCommand(List.of(name.split(" ")), List.of(args), false);
    }

    /** A command Asterisk still runs after hang-up (variables, VERBOSE, DATABASE, EXEC). */
    public static AgiCommand deadSafe(String name, String... args) {
        return new AgiCommand(List.of(name.split(" ")), List.of(args), true);
    }

    /** The command name, e.g. {@code STREAM FILE}. */
    public String name() {
        return String.join(" ", keywords);
    }

    /** The line sent to Asterisk, including the final {@code \n}. */
    public String toWire() {
        return wire(keywords, args);
    }

    private static String wire(List<String> keywords, List<String> args) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(String.join(" ", keywords));
        for (String a : args) {
            sb.append(' ').append(quote(a));
        }
        return sb.append('\n').toString();
    }

    /** An argument as Asterisk must see it: bare when safe, else quoted with {@code "} and {@code \} escaped. */
    public static String quote(String arg) {
        if (BARE.matcher(arg).matches() && arg.charAt(0) != '"') {
            return arg;
        }
        StringBuilder sb = new StringBuilder(arg.length() + 2).append('"');
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** Outside data made fit for an argument: control characters (line breaks, NUL, …) become spaces. */
    public static String sanitize(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            sb.append((c < 0x20 && c != '\t') || c == 0x7f ? ' ' : c);
        }
        return sb.toString();
    }

    /** The arguments, for logs: long values shortened. */
    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        for (String a : args) {
            shown.add(a.length() > 40 ? a.substring(0, 37) + "..." : a);
        }
        return name() + (shown.isEmpty() ? "" : " " + shown);
    }
}
