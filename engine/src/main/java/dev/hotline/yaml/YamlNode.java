package dev.hotline.yaml;

/**
 * A YAML node that remembers where it came from, so that every error can name the file, line, column and
 * key path (e.g. {@code agi.allow[2]}). Jackson's own tree drops locations, hence this small one.
 */
public sealed interface YamlNode permits YamlMap, YamlList, YamlScalar {

    /** Where the node's value starts. */
    YamlLocation location();

    /** Dotted key path from the document root, {@code ""} for the root itself. */
    String path();

    /** A short name of the node's kind for "expected: …" messages: map, list, string, number… */
    String kindName();
}
