package dev.hotline.yaml;

import java.util.Objects;

/**
 * A scalar as written. {@code text} is the scalar's text ({@code null} for YAML null / an empty value);
 * {@code type} is what YAML made of it, so that {@code port: "80"} and {@code port: 80} can be told apart.
 */
public record YamlScalar(String text, Type type, String path, YamlLocation location) implements YamlNode {

    public enum Type { STRING, INTEGER, DECIMAL, BOOLEAN, NULL }

    public YamlScalar {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
    }

    public boolean isNull() {
        return type == Type.NULL;
    }

    @Override
    public String kindName() {
        return switch (type) {
            case STRING -> "string";
            case INTEGER -> "integer";
            case DECIMAL -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "empty value";
        };
    }
}
