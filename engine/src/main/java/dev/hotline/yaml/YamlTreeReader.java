package dev.hotline.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into a {@link YamlNode} tree that keeps line and column of every key and value.
 *
 * <p>Built on Jackson's streaming YAML parser (SnakeYAML underneath). Duplicate keys, non-string keys,
 * aliases and multi-document files are rejected with their location: in a config or an IVR script they are
 * almost always mistakes, and silently taking the last duplicate would hide one.
 */
public final class YamlTreeReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();
    private static final int MAX_DEPTH = 64;

    private final String fileName;

    private YamlTreeReader(String fileName) {
        this.fileName = fileName;
    }

    /** Reads a file; {@code displayName} is how the file is named in messages (usually the path as given). */
    public static YamlNode read(Path file, String displayName) throws IOException, YamlSyntaxException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return parse(text, displayName);
    }

    public static YamlNode parse(String text, String displayName) throws YamlSyntaxException {
        YamlTreeReader r = new YamlTreeReader(displayName);
        try (Reader in = new StringReader(text); YAMLParser p = (YAMLParser) FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw r.syntax(new YamlLocation(displayName, 1, 1), "the document is empty (expected: a map of keys)",
                        null);
            }
            YamlNode root = r.readValue(p, "", 0);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw r.syntax(r.loc(p.currentTokenLocation()),
                        "more than one YAML document in this file (expected: exactly one)", null);
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            YamlLocation at = l == null ? new YamlLocation(displayName, 1, 1) : r.loc(l);
            // The parser's own words name its state, not the mistake, and often the line before: a hint that
            // lies no later than where it stopped says what a person did wrong, where they did it.
            java.util.Optional<SyntaxHints.Hint> hint = SyntaxHints.explain(text)
                    .filter(h -> h.line() <= at.line() + 1);
            if (hint.isPresent()) {
                throw r.syntax(new YamlLocation(displayName, hint.get().line(), hint.get().column()),
                        "YAML syntax error: " + hint.get().message(), e);
            }
            throw r.syntax(at, "YAML syntax error: " + cleanMessage(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw r.syntax(new YamlLocation(displayName, 1, 1), "cannot read: " + e.getMessage(), e);
        }
    }

    private YamlNode readValue(YAMLParser p, String path, int depth) throws IOException, YamlSyntaxException {
        YamlLocation at = loc(p.currentTokenLocation());
        if (depth > MAX_DEPTH) {
            throw syntax(at, "nesting deeper than " + MAX_DEPTH + " levels", null);
        }
        if (p.getCurrentAnchor() != null || p.isCurrentAlias()) {
            throw syntax(at, "YAML anchors and aliases are not supported (write the value out)", null);
        }
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> readMap(p, path, at, depth);
            case START_ARRAY -> readList(p, path, at, depth);
            case VALUE_STRING -> new YamlScalar(p.getText(), YamlScalar.Type.STRING, path, at);
            case VALUE_NUMBER_INT -> new YamlScalar(p.getText(), YamlScalar.Type.INTEGER, path, at);
            case VALUE_NUMBER_FLOAT -> new YamlScalar(p.getText(), YamlScalar.Type.DECIMAL, path, at);
            case VALUE_TRUE, VALUE_FALSE -> new YamlScalar(p.getText(), YamlScalar.Type.BOOLEAN, path, at);
            case VALUE_NULL -> new YamlScalar(null, YamlScalar.Type.NULL, path, at);
            default -> throw syntax(at, "unexpected YAML token " + t, null);
        };
    }

    private YamlMap readMap(YAMLParser p, String path, YamlLocation at, int depth)
            throws IOException, YamlSyntaxException {
        Map<String, YamlMap.Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw syntax(loc(p.currentTokenLocation()), "expected a key, found " + t, null);
            }
            String key = p.currentName();
            YamlLocation keyAt = loc(p.currentTokenLocation());
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (entries.containsKey(key)) {
                YamlLocation first = entries.get(key).keyLocation();
                throw syntax(keyAt, childPath + ": duplicate key (first defined at line " + first.line() + ")", null);
            }
            p.nextToken();
            entries.put(key, new YamlMap.Entry(key, keyAt, readValue(p, childPath, depth + 1)));
        }
        return new YamlMap(entries, path, at);
    }

    private YamlList readList(YAMLParser p, String path, YamlLocation at, int depth)
            throws IOException, YamlSyntaxException {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(p, path + "[" + items.size() + "]", depth + 1));
        }
        return new YamlList(items, path, at);
    }

    private YamlLocation loc(JsonLocation l) {
        return new YamlLocation(fileName, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
    }

    private YamlSyntaxException syntax(YamlLocation at, String message, Throwable cause) {
        return new YamlSyntaxException(YamlProblem.error(at, "", message), cause);
    }

    private static String cleanMessage(String m) {
        if (m == null) {
            return "malformed document";
        }
        // SnakeYAML messages span several lines with a caret drawing; the first sentence says what is wrong.
        String first = m.strip().split("\\R", 2)[0].strip();
        return first.isEmpty() ? "malformed document" : first;
    }
}
