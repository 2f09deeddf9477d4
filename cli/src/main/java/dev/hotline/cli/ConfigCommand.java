package dev.hotline.cli;

import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code hotline config …}: work with the configuration file. */
@Command(name = "config", description = "Work with the configuration file.",
        subcommands = {ConfigCommand.Check.class}, mixinStandardHelpOptions = true)
final class ConfigCommand {

    @ParentCommand
    Main main;

    /** {@code hotline config check [FILE]}: validates a file without starting anything; exit 0 valid, 1 not. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a configuration file without starting anything (exit 0 when valid, 1 when not).")
    static final class Check implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "File to check (default: the --config file).")
        Path file;

        @Override
        public Integer call() {
            Path target = file != null ? file : parent.main.configFile();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ConfigLoader loader = ConfigLoader.fromSystemEnvironment();
                HotlineConfig c = loader.load(target);
                Path agentsFile = c.agentsFile().isAbsolute() ? c.agentsFile() : Main.home().resolve(c.agentsFile());
                int agents = loader.loadAgents(agentsFile).size();
                out.printf("%s: OK (engine %s; FastAGI on %s:%d; %d AMI server(s); database %s; %d queue(s);"
                                + " %d agent(s) in %s)%n", target, c.engineName(), c.agi().bind(), c.agi().port(),
                        c.amiServers().size(), c.database().kind().name().toLowerCase(java.util.Locale.ROOT),
                        c.queues().size(), agents, agentsFile);
                return 0;
            } catch (ConfigException e) {
                for (YamlProblem p : e.problems()) {
                    err.println(p);
                }
                err.printf("%s: %d problem(s); nothing was started%n", target, e.problems().size());
                return 1;
            }
        }
    }
}
