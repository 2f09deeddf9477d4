package dev.hotline.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** A YAML mapping with string keys, in document order; each entry remembers where its key was written. */
public record YamlMap(Map<String, Entry> entries, String path, YamlLocation location) implements YamlNode {

    /** One key and its value; {@code keyLocation} points at the key, which is where "unknown key" errors go. */
    public record Entry(String key, YamlLocation keyLocation, YamlNode value) {
    }

    public YamlMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
    }

    public YamlNode get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    /** The path of a child key: {@code a.b} under {@code a}, plain {@code b} at the root. */
    public String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public String kindName() {
        return "map";
    }
}
