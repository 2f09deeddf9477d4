package dev.hotline.yaml;

import java.util.Objects;

/**
 * One problem found in a YAML document, printed as {@code file:line:col: severity: path: message}, the
 * format editors and CI annotators turn into clickable links.
 */
public record YamlProblem(YamlLocation location, Severity severity, String path, String message) {

    public enum Severity {
        ERROR, WARNING;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public YamlProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        path = path == null ? "" : path;
    }

    public static YamlProblem error(YamlLocation at, String path, String message) {
        return new YamlProblem(at, Severity.ERROR, path, message);
    }

    public static YamlProblem warning(YamlLocation at, String path, String message) {
        return new YamlProblem(at, Severity.WARNING, path, message);
    }

    @Override
    public String toString() {
        return location + ": " + severity + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
