package dev.hotline.yaml;

import java.util.Objects;

/** Where a YAML node starts: file (as the user named it), 1-based line and column. */
public record YamlLocation(String file, int line, int column) {

    public YamlLocation {
        Objects.requireNonNull(file, "file");
    }

    /** {@code file:line:col}, the form editors and compilers understand. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
