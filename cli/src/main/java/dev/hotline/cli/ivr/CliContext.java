package dev.hotline.cli.ivr;

import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.ivr.validate.IvrLoader;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the IVR commands share: the configuration, the folders it names, and the loader built from it. */
record CliContext(HotlineConfig config, Path home, IvrLoader loader) {

    /** Loads the {@code --config} file (or the Hotline folder's); prints its problems and returns empty if bad. */
    static Optional<CliContext> load(CommandSpec spec, PrintWriter err) {
        Path home = hotlineHome();
        OptionSpec opt = spec.root().findOption("--config");
        Path configured = opt == null ? null : opt.getValue();
        Path file = configured != null ? configured : home.resolve("config").resolve("hotline.yaml");
        try {
            HotlineConfig c = ConfigLoader.fromSystemEnvironment().load(file);
            IvrLoader loader = new IvrLoader(Optional.of(c.queues().stream().map(QueueConfig::name)
                    .collect(Collectors.toSet())), System.getenv());
            return Optional.of(new CliContext(c, home, loader));
        } catch (ConfigException e) {
            for (YamlProblem p : e.problems()) {
                err.println(p);
            }
            err.printf("%s: the configuration has %d problem(s); fix it first (./hotline config check)%n", file,
                    e.problems().size());
            return Optional.empty();
        }
    }

    /** The Hotline folder: set by the {@code ./hotline} launcher, else the current directory (as Main does). */
    static Path hotlineHome() {
        String h = System.getProperty("hotline.home");
        return h == null || h.isBlank() ? Path.of("") : Path.of(h);
    }

    Path scriptsDir() {
        return shown(home.resolve(config.ivrScripts()));
    }

    Path calendarsDir() {
        return shown(home.resolve(config.calendars()));
    }

    /** A path as short as it can be shown: relative to the working directory when it is below it. */
    static Path shown(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs) : p.normalize();
    }
}
