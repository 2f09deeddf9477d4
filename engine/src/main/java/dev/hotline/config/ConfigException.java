package dev.hotline.config;

import dev.hotline.yaml.YamlProblem;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration file could not be used; {@link #problems()} lists every problem with its location. */
public final class ConfigException extends Exception {

    private final List<YamlProblem> problems;

    public ConfigException(List<YamlProblem> problems) {
        super(problems.stream().map(YamlProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<YamlProblem> problems() {
        return problems;
    }
}
