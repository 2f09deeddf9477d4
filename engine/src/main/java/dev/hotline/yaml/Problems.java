package dev.hotline.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem in a document so a user sees them all at once, not one per run. */
public final class Problems {

    private final List<YamlProblem> list = new ArrayList<>();

    public void add(YamlProblem p) {
        list.add(p);
    }

    public void error(YamlNode at, String message) {
        list.add(YamlProblem.error(at.location(), at.path(), message));
    }

    public void error(YamlLocation at, String path, String message) {
        list.add(YamlProblem.error(at, path, message));
    }

    public void warning(YamlNode at, String message) {
        list.add(YamlProblem.warning(at.location(), at.path(), message));
    }

    public void warning(YamlLocation at, String path, String message) {
        list.add(YamlProblem.warning(at, path, message));
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(p -> p.severity() == YamlProblem.Severity.ERROR);
    }

    /** Problems in file order (line, then column). */
    public List<YamlProblem> sorted() {
        return list.stream()
                .sorted(Comparator.comparing((YamlProblem p) -> p.location().file())
                        .thenComparingInt(p -> p.location().line())
                        .thenComparingInt(p -> p.location().column()))
                .toList();
    }
}
