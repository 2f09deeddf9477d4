package dev.hotline.cli.records;

import dev.hotline.config.ConfigException;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.HotlineConfig;
import dev.hotline.yaml.YamlProblem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/** What the records commands share: the configuration (from the top-level {@code --config}) and time parsing. */
final class RecordsCli {

    private RecordsCli() {
    }

    /** Thrown for a problem already reported on stderr; the command exits 1. */
    static final class Reported extends Exception {
        Reported() {
            super(null, null, false, false);
        }
    }

    static Path home() {
        String h = System.getProperty("hotline.home");
        return h == null || h.isBlank() ? Path.of("") : Path.of(h);
    }

    /** Loads {@code --config} of the {@code hotline} command (default config/hotline.yaml), resolved on the home. */
    static HotlineConfig config(CommandSpec spec) throws Reported {
        Path file = null;
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            CommandLine.Model.OptionSpec o = s.findOption("--config");
            if (o != null && o.getValue() != null) {
                file = o.getValue();
                break;
            }
        }
        if (file == null) {
            file = home().resolve("config").resolve("hotline.yaml");
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ConfigLoader.fromSystemEnvironment().load(file).resolvedAgainst(home());
        } catch (ConfigException e) {
            for (YamlProblem p : e.problems()) {
                err.println(p);
            }
            err.printf("%s: %d problem(s)%n", file, e.problems().size());
            throw new Reported();
        }
    }

    /** {@code 2025-03-03} (local midnight), {@code 2025-03-03T09:30} (local) or {@code 2025-03-03T01:30:00Z}. */
    static Instant parseTime(String option, String value, ZoneId zone) {
        try {
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return java.time.OffsetDateTime.parse(value).toInstant();
            }
            if (value.contains("T")) {
                return LocalDateTime.parse(value).atZone(zone).toInstant();
            }
            return LocalDate.parse(value).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + value
                    + "' (expected: 2025-03-03, 2025-03-03T09:30 or 2025-03-03T01:30:00Z)");
        }
    }
}
