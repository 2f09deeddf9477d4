package dev.hotline.cli;

import dev.hotline.cli.demo.DemoCommand;
import dev.hotline.cli.ivr.IvrCommand;
import dev.hotline.cli.ivr.ValidateCommand;
import dev.hotline.cli.records.ReportCommand;
import dev.hotline.cli.records.StaffingCommand;
import dev.hotline.cli.soak.SoakCommand;
import dev.hotline.cli.users.UserCommand;
import dev.hotline.simulator.cli.SimulatorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The {@code hotline} command. Only commands that work are listed; later features add theirs here.
 */
@Command(name = "hotline", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hotline: a contact-centre engine (IVR + ACD) for Asterisk.",
        subcommands = {DemoCommand.class, RunCommand.class, ConfigCommand.class, ValidateCommand.class,
                IvrCommand.class, ReportCommand.class, StaffingCommand.class, UserCommand.class, SimulatorCommand.class,
                BenchCommand.class, SoakCommand.class, CommandLine.HelpCommand.class},
        usageHelpAutoWidth = true)
public final class Main {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: config/hotline.yaml under the Hotline folder).")
    Path config;

    /** The configuration file to use: {@code --config}, else the Hotline folder's {@code config/hotline.yaml}. */
    public Path configFile() {
        return config != null ? config : home().resolve("config").resolve("hotline.yaml");
    }

    /** The Hotline folder: set by the {@code ./hotline} launcher, else the current directory. */
    public static Path home() {
        String h = System.getProperty("hotline.home");
        return h == null || h.isBlank() ? Path.of("") : Path.of(h);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("hotline: " + ex.getMessage());
            return 2;
        });
        return cli.execute(args);
    }

    /** The running Hotline's version, from the jar. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/hotline-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** Resolves the configuration's relative folders against the Hotline folder, so any working directory works. */
    static dev.hotline.config.HotlineConfig resolve(dev.hotline.config.HotlineConfig c) {
        return c.resolvedAgainst(home());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {
                "hotline " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
