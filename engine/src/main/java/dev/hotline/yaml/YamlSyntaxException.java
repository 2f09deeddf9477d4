package dev.hotline.yaml;

/** The text is not well-formed YAML (or uses a construct Hotline does not accept); carries the location. */
public final class YamlSyntaxException extends Exception {

    private final YamlProblem problem;

    public YamlSyntaxException(YamlProblem problem, Throwable cause) {
        super(problem.toString(), cause);
        this.problem = problem;
    }

    public YamlProblem problem() {
        return problem;
    }
}
