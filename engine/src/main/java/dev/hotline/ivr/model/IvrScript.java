package dev.hotline.ivr.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One IVR script, read from a file and validated: immutable, so a call keeps the version it started with
 * while a newer one is published.
 *
 * @param id        the name Asterisk uses ({@code agi://host/<id>}) and {@code goto} nodes refer to
 * @param source    the file it was read from, for messages
 * @param entry     the node a call starts at
 * @param language  the language used when the caller's channel language is not one of {@code languages}
 * @param languages the languages this script has prompts for
 * @param nodes     the nodes by name, in file order
 */
public record IvrScript(String id, String source, String entry, String language, List<String> languages,
                        Map<String, Node> nodes) {

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2})?");

    public IvrScript {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: 1-64 of a-z, 0-9, '-', '_')");
        }
        Objects.requireNonNull(source, "source");
        languages = List.copyOf(languages);
        if (!languages.contains(language)) {
            throw new IllegalArgumentException("language: '" + language + "' (expected: one of " + languages + ")");
        }
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        if (!nodes.containsKey(entry)) {
            throw new IllegalArgumentException("entry: '" + entry + "' (expected: one of the nodes " + nodes.keySet()
                    + ")");
        }
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }
}
