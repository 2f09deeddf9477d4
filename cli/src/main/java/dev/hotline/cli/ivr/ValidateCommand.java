package dev.hotline.cli.ivr;

import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.ivr.validate.SoundsCheck;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code hotline validate [FILE|FOLDER…]}: checks IVR scripts (and the calendars they use) without running them. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check IVR scripts and the calendars they use: one line per problem as"
                + " path:line:col: error|warning: message.",
                "With --sounds DIR, also every prompt the scripts and the queues play, against an Asterisk sounds"
                        + " folder (its language folders en/, fr/ … included).",
                "Exit 0 when there is no error (warnings allowed), 1 otherwise."})
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Script files or folders of *.yaml (default: the configured ivr-scripts folder).")
    List<Path> paths;

    @Option(names = "--sounds", paramLabel = "DIR", description = "An Asterisk sounds folder (e.g."
            + " /var/lib/asterisk/sounds): report every prompt of the scripts, and every announcement, periodic message"
            + " and callback prompt of the queues, that has no file there in any format, in any language used.")
    Path sounds;

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
        List<YamlProblem> problems = new ArrayList<>(v.problems());
        if (sounds != null) {
            if (!Files.isDirectory(sounds)) {
                err.println("--sounds " + sounds + ": not a folder (expected: an Asterisk sounds folder, e.g."
                        + " /var/lib/asterisk/sounds)");
                return 1;
            }
            problems.addAll(soundProblems(ctx.get(), v));
        }
        long errors = problems.stream().filter(p -> p.severity() == YamlProblem.Severity.ERROR).count();
        long warnings = problems.size() - errors;
        for (YamlProblem p : problems) {
            out.println(p);
        }
        out.printf("%d script file(s) checked: %d error(s), %d warning(s)%s%n", v.files(), errors, warnings,
                errors == 0 ? "; valid scripts: " + v.catalog().scripts().keySet().stream().sorted().toList() : "");
        return errors == 0 ? 0 : 1;
    }

    /** Missing sounds: the scripts' prompts, then what the configured queues play in the scripts' languages. */
    private List<YamlProblem> soundProblems(CliContext ctx, IvrLoader.Validation v) {
        SoundsCheck check = new SoundsCheck(sounds);
        List<YamlProblem> out = new ArrayList<>(check.scripts(v.read()));
        Set<String> languages = new TreeSet<>();
        v.read().forEach(f -> languages.addAll(f.result().languages()));
        if (languages.isEmpty()) {
            languages.add("en");
        }
        Optional<YamlNode> configTree;
        try {
            configTree = Optional.of(YamlTreeReader.read(Path.of(ctx.config().source()), ctx.config().source()));
        } catch (IOException | YamlSyntaxException e) {
            configTree = Optional.empty();   // already valid when loaded; only the locations would be missing
        }
        out.addAll(check.queues(ctx.config(), configTree, List.copyOf(languages)));
        return out;
    }
}
