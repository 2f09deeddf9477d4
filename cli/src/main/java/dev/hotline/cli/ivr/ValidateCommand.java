package dev.hotline.cli.ivr;

import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hotline validate [FILE|FOLDER…]}: checks IVR scripts (and the calendars they use) without running them. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check IVR scripts and the calendars they use: one line per problem as"
                + " path:line:col: error|warning: message.",
                "Exit 0 when there is no error (warnings allowed), 1 otherwise."})
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Script files or folders of *.yaml (default: the configured ivr-scripts folder).")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<CliContext> ctx = CliContext.load(spec, err);
        if (ctx.isEmpty()) {
            return 1;
        }
        Path scriptsDir = ctx.get().scriptsDir();
        List<Path> targets = paths == null || paths.isEmpty() ? List.of(scriptsDir) : paths;
        // goto may name any script of the published folder, even when only some files are checked.
        Set<String> known = new HashSet<>();
        if (paths != null && !paths.isEmpty() && Files.isDirectory(scriptsDir)) {
            try {
                for (Path f : IvrLoader.scriptFiles(scriptsDir)) {
                    ctx.get().loader().read(f).result().id().ifPresent(known::add);
                }
            } catch (IOException e) {
                err.println(scriptsDir + ": cannot read folder: " + e.getMessage());
            }
        }
        IvrLoader.Validation v = ctx.get().loader().validate(targets, ctx.get().calendarsDir(), known);
        long errors = v.problems().stream().filter(p -> p.severity() == YamlProblem.Severity.ERROR).count();
        long warnings = v.problems().size() - errors;
        for (YamlProblem p : v.problems()) {
            out.println(p);
        }
        out.printf("%d script file(s) checked: %d error(s), %d warning(s)%s%n", v.files(), errors, warnings,
                errors == 0 ? "; valid scripts: " + v.catalog().scripts().keySet().stream().sorted().toList() : "");
        return errors == 0 ? 0 : 1;
    }
}
