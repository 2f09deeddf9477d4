package dev.hotline.ivr.calendar;

import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a calendar definition given as text (JSON from the admin API, or YAML) with the file loader's rules
 * ({@link CalendarReader}): a definition is valid here exactly when it would be valid as
 * {@code config/calendars/NAME.yaml}, and each problem names its key path ({@code weekly.monday},
 * {@code holidays[1].to}).
 */
public final class CalendarDefinition {

    /** Names of calendars kept in the database. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The calendar, or the problems that keep it from being one (errors first by position). */
    public record Result(Optional<BusinessCalendar> calendar, List<YamlProblem> problems) {
        public Result {
            problems = List.copyOf(problems);
        }

        public boolean valid() {
            return calendar.isPresent();
        }
    }

    private CalendarDefinition() {
    }

    /** A problem with the name itself, or empty when it is a valid database calendar name. */
    public static Optional<String> nameProblem(String name) {
        return name != null && NAME.matcher(name).matches() ? Optional.empty()
                : Optional.of("calendar name \"" + name + "\" (expected: 1-64 of a-z, 0-9, '-', '_', starting with"
                        + " a letter or digit)");
    }

    public static Result read(String name, String text) {
        Problems problems = new Problems();
        YamlNode root;
        try {
            root = YamlTreeReader.parse(text, "calendar " + name);
        } catch (YamlSyntaxException e) {
            return new Result(Optional.empty(), List.of(e.problem()));
        }
        Optional<BusinessCalendar> c = CalendarReader.read(name, root, problems);
        return new Result(c, problems.sorted());
    }
}
