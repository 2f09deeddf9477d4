package dev.hotline.simulator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recorded FastAGI session ({@code [  t] <<< 'line\n'} entries, Python repr payloads) read from the test
 * resources. {@code <<<} is what Asterisk sent, {@code >>>} what the server sent, {@code ---} a driver note.
 */
public record AgiTranscript(String name, List<Entry> entries) {

    public enum Direction { FROM_ASTERISK, FROM_SERVER, NOTE }

    public record Entry(double seconds, Direction direction, String payload) {
    }

    private static final Pattern LINE =
            Pattern.compile("^\\[\\s*([0-9.]+)(?: \\| [^\\]]*)?\\] (<<<|>>>|---|!!!) (.*)$");

    public static AgiTranscript load(String resource) {
        try (InputStream in = AgiTranscript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            List<Entry> entries = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                Matcher m = LINE.matcher(lines[i]);
                if (!m.matches() || m.group(2).equals("!!!")) {
                    continue;
                }
                Direction direction = switch (m.group(2)) {
                    case "<<<" -> Direction.FROM_ASTERISK;
                    case ">>>" -> Direction.FROM_SERVER;
                    default -> Direction.NOTE;
                };
                try {
                    entries.add(new Entry(Double.parseDouble(m.group(1)), direction, unrepr(m.group(3))));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(resource + ":" + (i + 1) + ": " + e.getMessage(), e);
                }
            }
            return new AgiTranscript(resource, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes a Python string repr ({@code 'a\n'} or {@code "it's"}). */
    static String unrepr(String repr) {
        if (repr.length() < 2 || (repr.charAt(0) != '\'' && repr.charAt(0) != '"')
                || repr.charAt(repr.length() - 1) != repr.charAt(0)) {
            throw new IllegalArgumentException("not a Python string repr: " + repr);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < repr.length() - 1; i++) {
            char c = repr.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = repr.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'x' -> {
                    out.append((char) Integer.parseInt(repr.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
