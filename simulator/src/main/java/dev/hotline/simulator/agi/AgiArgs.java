package dev.hotline.simulator.agi;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an AGI command line into arguments exactly as Asterisk's {@code parse_args()} (res_agi.c) does: spaces
 * and tabs separate arguments; a double quote toggles quoting and, at the start of a word, starts an argument
 * (so {@code ""} is an empty argument); a backslash makes the next character literal. Past {@value #MAX_ARGS} - 1
 * arguments the rest is dropped, as Asterisk truncates with a warning.
 */
public final class AgiArgs {

    public static final int MAX_ARGS = 128;

    private AgiArgs() {
    }

    public static List<String> parse(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder current = null;
        boolean quoted = false;
        boolean escaped = false;
        boolean whitespace = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean literal = false;
            switch (c) {
                case '"' -> {
                    if (escaped) {
                        literal = true;
                    } else {
                        quoted = !quoted;
                        if (quoted && whitespace) {
                            if (args.size() < MAX_ARGS - 1) {
                                current = new StringBuilder();
                                args.add(null);
                            } else {
                                current = null;
                            }
                            whitespace = false;
                        }
                        escaped = false;
                    }
                }
                case ' ', '\t' -> {
                    if (!quoted && !escaped) {
                        closeArgument(args, current);
                        current = null;
                        whitespace = true;
                    } else {
                        literal = true;
                    }
                }
                case '\\' -> {
                    if (escaped) {
                        literal = true;
                    } else {
                        escaped = true;
                    }
                }
                default -> literal = true;
            }
            if (literal) {
                if (whitespace) {
                    if (args.size() >= MAX_ARGS - 1) {
                        continue;
                    }
                    current = new StringBuilder();
                    args.add(null);
                    whitespace = false;
                }
                if (current != null) {
                    current.append(c);
                }
                escaped = false;
            }
        }
        closeArgument(args, current);
        return args;
    }

    private static void closeArgument(List<String> args, StringBuilder current) {
        if (current != null && !args.isEmpty() && args.getLast() == null) {
            args.set(args.size() - 1, current.toString());
        }
    }
}
