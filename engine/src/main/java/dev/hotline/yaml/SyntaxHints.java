package dev.hotline.yaml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plain-words explanations of the YAML mistakes people make by hand, at the line and column where they made them:
 * a tab in the indentation, an indentation that matches no enclosing block, a line indented under one that opens
 * none, and a quoted value never closed. SnakeYAML reports these in its own terms ("while parsing a block
 * mapping… expected &lt;block end&gt;") and often at the line before; {@link YamlTreeReader} asks here first when
 * the parser fails, and keeps the parser's message when no hint applies.
 *
 * <p>A heuristic over the text, line by line: it only runs on a document the parser has already refused, and a
 * hint is used only when it lies no later than where the parser stopped, so a correct file is never blamed.
 */
final class SyntaxHints {

    /** One explanation: 1-based line and column, and the message. */
    record Hint(int line, int column, String message) {
    }

    private SyntaxHints() {
    }

    static Optional<Hint> explain(String text) {
        List<String> lines = text.lines().toList();
        Deque<Integer> levels = new ArrayDeque<>();
        levels.push(0);
        boolean opens = false;         // the previous line ends with "key:" or "-": the next may go deeper
        int scalarIndent = -1;         // inside a block scalar (| or >) whose key is at this indent
        int flowDepth = 0;             // inside [ ] or { } spanning lines
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            int lineNo = n + 1;
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            if (indent < line.length() && line.charAt(indent) == '\t') {
                return Optional.of(new Hint(lineNo, indent + 1, "a tab in the indentation (YAML indents with spaces"
                        + " only: replace the tab with spaces)"));
            }
            String body = stripComment(line.substring(indent));
            if (body.isBlank() || body.equals("---")) {
                continue;
            }
            if (scalarIndent >= 0) {
                if (indent > scalarIndent) {
                    continue;
                }
                scalarIndent = -1;
            }
            Optional<Integer> unclosed = unclosedQuote(body);
            if (unclosed.isPresent() && flowDepth == 0) {
                char q = body.charAt(unclosed.get());
                return Optional.of(new Hint(lineNo, indent + unclosed.get() + 1, "a quoted value that is never closed"
                        + " (the " + q + " here has no closing " + q + " on this line)"));
            }
            if (flowDepth == 0) {
                if (opens && indent > levels.peek()) {
                    levels.push(indent);
                } else if (indent > levels.peek()) {
                    return Optional.of(new Hint(lineNo, indent + 1, "this line is indented more than the line"
                            + " before, which does not open a block (expected: " + levels.peek() + " spaces, or a"
                            + " \"key:\" with nothing after it on the line before)"));
                } else {
                    List<Integer> open = List.copyOf(levels);
                    while (indent < levels.peek()) {
                        levels.pop();
                    }
                    if (indent != levels.peek()) {
                        return Optional.of(new Hint(lineNo, indent + 1, "indented " + indent + " spaces, which"
                                + " lines up with no enclosing block (expected: " + alternatives(open)
                                + " spaces, as the lines around it)"));
                    }
                }
            }
            int before = flowDepth;
            flowDepth = Math.max(0, flowDepth + depthChange(body));
            if (before > 0 || flowDepth > 0) {
                opens = false;
                continue;
            }
            String item = body;
            int itemIndent = indent;
            while (item.startsWith("- ") || item.equals("-")) {   // "- key: value": the key's column is a level too
                itemIndent += 2;
                item = item.length() > 2 ? item.substring(2).stripLeading() : "";
                if (!item.isEmpty()) {
                    levels.push(itemIndent);
                }
            }
            opens = item.isEmpty() || item.endsWith(":");
            if (item.matches(".*:\\s*[|>][-+0-9]*")) {
                scalarIndent = indent;
            }
        }
        return Optional.empty();
    }

    private static String alternatives(List<Integer> levels) {
        List<Integer> all = levels.stream().sorted().distinct().toList();
        return all.size() == 1 ? String.valueOf(all.get(0))
                : "one of " + all.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The text before a {@code #} comment that is outside quotes (a comment starts the line or follows a space). */
    private static String stripComment(String s) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                if (i == 0 || " :[{,-".indexOf(s.charAt(i - 1)) >= 0) {
                    quote = c;
                }
            } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ')) {
                return s.substring(0, i).stripTrailing();
            }
        }
        return s;
    }

    /** Where a quoted scalar starts that does not end on this line, if one does. */
    private static Optional<Integer> unclosedQuote(String s) {
        char quote = 0;
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    if (quote == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                        i++;   // '' is a quote inside a single-quoted value
                    } else {
                        quote = 0;
                    }
                }
            } else if ((c == '"' || c == '\'') && (i == 0 || " :[{,".indexOf(s.charAt(i - 1)) >= 0)) {
                quote = c;
                start = i;
            }
        }
        return quote == 0 ? Optional.empty() : Optional.of(start);
    }

    /** How much a line opens ({@code [ {}) or closes ({@code ] }}) flow collections, outside quotes. */
    private static int depthChange(String s) {
        int d = 0;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                d++;
            } else if (c == ']' || c == '}') {
                d--;
            }
        }
        return d;
    }
}
