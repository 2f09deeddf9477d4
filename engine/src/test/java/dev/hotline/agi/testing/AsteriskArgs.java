package dev.hotline.agi.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * How Asterisk's res_agi.c {@code parse_args} splits a command line into words: spaces and tabs separate,
 * double quotes group (and start a word, even an empty one), a backslash makes the next character literal.
 * Written from the C function's behaviour so the encoder can be checked against what Asterisk will read.
 */
public final class AsteriskArgs {

    private AsteriskArgs() {
    }

    public static List<String> parse(String line) {
        List<String> argv = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        boolean escaped = false;
        boolean whitespace = true;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && !escaped) {
                quoted = !quoted;
                if (quoted && whitespace) {
                    cur = new StringBuilder();
                    argv.add(null);
                    whitespace = false;
                }
                escaped = false;
                continue;
            }
            if ((c == ' ' || c == '\t') && !quoted && !escaped) {
                if (!whitespace && cur != null) {
                    argv.set(argv.size() - 1, cur.toString());
                }
                whitespace = true;
                continue;
            }
            if (c == '\\' && !escaped) {
                escaped = true;
                continue;
            }
            if (whitespace) {
                cur = new StringBuilder();
                argv.add(null);
                whitespace = false;
            }
            cur.append(c);
            escaped = false;
        }
        if (!argv.isEmpty() && argv.get(argv.size() - 1) == null) {
            argv.set(argv.size() - 1, cur.toString());
        }
        return argv;
    }
}
