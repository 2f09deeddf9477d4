package dev.hotline.yaml;

import java.util.List;
import java.util.Objects;

/** A YAML sequence; items keep their own locations and paths ({@code parent[0]}, {@code parent[1]}, …). */
public record YamlList(List<YamlNode> items, String path, YamlLocation location) implements YamlNode {

    public YamlList {
        items = List.copyOf(items);
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
    }

    @Override
    public String kindName() {
        return "list";
    }
}
