package dev.hotline.agi.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A FastAGI wire transcript captured from a real Asterisk 22 ({@code src/test/resources/transcripts/agi}).
 * Lines look like {@code [  0.001] <<< 'agi_network: yes\n'} (received from Asterisk) or {@code >>> '…'}
 * (sent by the server), values in Python repr; {@code ---} lines are the capturing server's notes.
 */
public final class Transcript {

    public enum Direction { FROM_ASTERISK, TO_ASTERISK, NOTE }

    public record Line(Direction direction, String text) {
    }

    /** One command the server sent and every line Asterisk sent before the next command. */
    public record Exchange(String command, List<String> replies, boolean asteriskClosedAfter) {
    }

    private static final Pattern LINE = Pattern.compile("\\[[^]]*]\\s+(<<<|>>>|---|!!!)\\s+(.*)");

    private final String name;
    private final List<Line> lines;

    private Transcript(String name, List<Line> lines) {
        this.name = name;
        this.lines = List.copyOf(lines);
    }

    public static Transcript load(String resourceName) {
        try (InputStream in = Transcript.class.getResourceAsStream("/transcripts/agi/" + resourceName)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + resourceName);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Line> out = new ArrayList<>();
            for (String raw : text.split("\n")) {
                Matcher m = LINE.matcher(raw);
                if (!m.matches()) {
                    continue;
                }
                Direction d = switch (m.group(1)) {
                    case "<<<" -> Direction.FROM_ASTERISK;
                    case ">>>" -> Direction.TO_ASTERISK;
                    default -> Direction.NOTE;
                };
                String value = d == Direction.NOTE ? m.group(2) : PythonRepr.parse(m.group(2));
                out.add(new Line(d, value));
            }
            return new Transcript(resourceName, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    private static boolean isEofMarker(Line l) {
        return l.direction() == Direction.FROM_ASTERISK && l.text().startsWith("<EOF");
    }

    /** Every byte Asterisk sent, in order, as one string. */
    public String bytesFromAsterisk() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            if (l.direction() == Direction.FROM_ASTERISK && !isEofMarker(l)) {
                sb.append(l.text());
            }
        }
        return sb.toString();
    }

    /** The environment block, ending with its empty line. */
    public String environment() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            if (l.direction() == Direction.FROM_ASTERISK) {
                sb.append(l.text());
                if (l.text().equals("\n")) {
                    break;
                }
            }
        }
        return sb.toString();
    }

    /** The commands the server sent with Asterisk's answers, up to the server's shutdown. */
    public List<Exchange> exchanges() {
        List<Exchange> out = new ArrayList<>();
        String command = null;
        List<String> replies = new ArrayList<>();
        boolean closed = false;
        boolean envDone = false;
        for (Line l : lines) {
            if (l.direction() == Direction.NOTE && l.text().contains("shutdown(SHUT_WR)")) {
                break;
            }
            if (!envDone) {
                envDone = l.direction() == Direction.FROM_ASTERISK && l.text().equals("\n");
                continue;
            }
            if (l.direction() == Direction.TO_ASTERISK) {
                if (command != null) {
                    out.add(new Exchange(command, replies, closed));
                }
                command = l.text();
                replies = new ArrayList<>();
                closed = false;
            } else if (l.direction() == Direction.FROM_ASTERISK && command != null) {
                if (isEofMarker(l)) {
                    closed = true;
                } else {
                    replies.add(l.text());
                }
            }
        }
        if (command != null) {
            out.add(new Exchange(command, replies, closed));
        }
        return out;
    }

    /** What Asterisk sent after the server half-closed (the last {@code HANGUP}). */
    public List<String> afterServerShutdown() {
        List<String> out = new ArrayList<>();
        boolean after = false;
        for (Line l : lines) {
            if (l.direction() == Direction.NOTE && l.text().contains("shutdown(SHUT_WR)")) {
                after = true;
            } else if (after && l.direction() == Direction.FROM_ASTERISK && !isEofMarker(l)) {
                out.add(l.text());
            }
        }
        return out;
    }

    /** Python's repr of a str, back to the string. */
    static final class PythonRepr {
        static String parse(String repr) {
            String s = repr.strip();
            char q = s.charAt(0);
            if ((q != '\'' && q != '"') || s.charAt(s.length() - 1) != q) {
                throw new IllegalArgumentException("not a Python string literal: " + repr);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case '\\' -> out.append('\\');
                    case '\'' -> out.append('\'');
                    case '"' -> out.append('"');
                    case 'x' -> {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> out.append('\\').append(n);
                }
            }
            return out.toString();
        }
    }
}
