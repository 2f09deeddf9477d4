package dev.hotline.directory;

import dev.hotline.yaml.YamlProblem;

import java.util.List;

/**
 * A directory change refused: why ({@link Kind}), a message naming what was wrong, and for invalid definitions each
 * problem with its key path and what is expected. Nothing was changed.
 */
public final class DirectoryException extends RuntimeException {

    /** INVALID → 400, NOT_FOUND → 404, CONFLICT → 409, UNAVAILABLE (database unreachable) → 503. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNAVAILABLE }

    private final Kind kind;
    private final List<YamlProblem> problems;

    public DirectoryException(Kind kind, String message, List<YamlProblem> problems) {
        super(message, null, false, false);
        this.kind = kind;
        this.problems = List.copyOf(problems);
    }

    public DirectoryException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
