package dev.hotline.ivr.validate;

import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.calendar.CalendarReader;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.runtime.IvrCatalog;
import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads script and calendar files and checks what no single file can: duplicate script ids, and references to
 * scripts, queues and calendars that do not exist. {@code ./hotline validate}, the engine's start-up and hot
 * reload all go through here, so they report exactly the same problems.
 */
public final class IvrLoader {

    /** One script file as read: its text (to notice changes), what the reader made of it, and its own problems. */
    public record ScriptFile(Path path, String content, ScriptReader.Result result, List<YamlProblem> problems) {
        public ScriptFile {
            problems = List.copyOf(problems);
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(p -> p.severity() == YamlProblem.Severity.ERROR);
        }
    }

    /** The valid calendars of a folder, every file's text, and the problems of the invalid ones. */
    public record Calendars(Map<String, BusinessCalendar> calendars, Map<Path, String> contents,
                            List<YamlProblem> problems) {
        public Calendars {
            calendars = Map.copyOf(calendars);
            contents = Map.copyOf(contents);
            problems = List.copyOf(problems);
        }
    }

    /** Everything {@link #validate} found: the catalog of valid scripts, and every problem in file order. */
    public record Validation(IvrCatalog catalog, List<YamlProblem> problems, List<ScriptFile> read) {
        public Validation {
            problems = List.copyOf(problems);
            read = List.copyOf(read);
        }

        /** How many script files were checked. */
        public int files() {
            return read.size();
        }

        public boolean hasErrors() {
            return problems.stream().anyMatch(p -> p.severity() == YamlProblem.Severity.ERROR);
        }
    }

    private final java.util.function.Supplier<Optional<Set<String>>> knownQueues;
    private final Map<String, String> env;

    /**
     * @param queues the configured queue names ({@code queue} nodes must use one); empty to skip that check
     * @param env    environment for {@code ${NAME}} references in scripts
     */
    public IvrLoader(Optional<Set<String>> queues, Map<String, String> env) {
        Optional<Set<String>> fixed = queues.map(Set::copyOf);
        this.knownQueues = () -> fixed;
        this.env = Map.copyOf(env);
    }

    /**
     * A loader that asks {@code queues} at each validation: the engine's queues change while it runs (queues
     * created through the admin page), and a script may name one as soon as it exists.
     */
    public static IvrLoader withLiveQueues(java.util.function.Supplier<Set<String>> queues, Map<String, String> env) {
        return new IvrLoader(() -> Optional.of(Set.copyOf(queues.get())), env);
    }

    private IvrLoader(java.util.function.Supplier<Optional<Set<String>>> queues, Map<String, String> env) {
        this.knownQueues = queues;
        this.env = Map.copyOf(env);
    }

    /** The script files of a folder: {@code *.yaml} and {@code *.yml}, sorted by name. */
    public static List<Path> scriptFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(p))
                    .sorted().toList();
        }
    }

    /** Reads and checks one script file on its own. */
    public ScriptFile read(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return failed(file, "", new YamlLocation(name, 1, 1), "cannot read file: " + e);
        }
        return parse(file, text);
    }

    /** Checks a script given as text ({@code file} only names it in messages). */
    public ScriptFile parse(Path file, String text) {
        YamlNode root;
        try {
            root = YamlTreeReader.parse(text, file.toString());
        } catch (YamlSyntaxException e) {
            return new ScriptFile(file, text, new ScriptReader.Result(Optional.empty(), Optional.empty(),
                    e.problem().location(), List.of()), List.of(e.problem()));
        }
        Problems problems = new Problems();
        ScriptReader.Result r = ScriptReader.read(root, problems, env);
        return new ScriptFile(file, text, r, problems.sorted());
    }

    private static ScriptFile failed(Path file, String text, YamlLocation at, String message) {
        return new ScriptFile(file, text, new ScriptReader.Result(Optional.empty(), Optional.empty(), at, List.of()),
                List.of(YamlProblem.error(at, "", message)));
    }

    /** Reads every calendar of a folder (none when the folder does not exist). */
    public Calendars readCalendars(Path dir) {
        Map<String, BusinessCalendar> out = new LinkedHashMap<>();
        Map<Path, String> contents = new HashMap<>();
        List<YamlProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return new Calendars(out, contents, problems);
        }
        try {
            for (Path f : scriptFiles(dir)) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                contents.put(f, text);
                Problems p = new Problems();
                try {
                    YamlNode root = YamlTreeReader.parse(text, f.toString());
                    CalendarReader.read(CalendarReader.nameOf(f), root, p).ifPresent(c -> out.put(c.name(), c));
                } catch (YamlSyntaxException e) {
                    p.add(e.problem());
                }
                problems.addAll(p.sorted());
            }
        } catch (IOException e) {
            problems.add(YamlProblem.error(new YamlLocation(dir.toString(), 1, 1), "", "cannot read folder: " + e));
        }
        return new Calendars(out, contents, problems);
    }

    /**
     * Checks the files against each other and the world: duplicate ids (the first file by name keeps the id),
     * and {@code goto} scripts, {@code queue} names and {@code hours} calendars that do not exist.
     *
     * @param knownScripts ids {@code goto} may use besides those of {@code files}
     */
    public List<YamlProblem> crossCheck(List<ScriptFile> files, Set<String> knownScripts, Set<String> calendars) {
        List<YamlProblem> out = new ArrayList<>();
        Map<String, ScriptFile> byId = new HashMap<>();
        List<ScriptFile> sorted = files.stream().sorted(Comparator.comparing(ScriptFile::path)).toList();
        for (ScriptFile f : sorted) {
            Optional<String> id = f.result().id();
            if (id.isEmpty()) {
                continue;
            }
            ScriptFile first = byId.putIfAbsent(id.get(), f);
            if (first != null) {
                out.add(YamlProblem.error(f.result().idAt(), "id", "duplicate id \"" + id.get() + "\" (also in "
                        + first.result().idAt() + "; expected: one file per id)"));
            }
        }
        Optional<Set<String>> queues = knownQueues.get();
        for (ScriptFile f : sorted) {
            for (ExternalRef r : f.result().refs()) {
                String problem = switch (r.kind()) {
                    case SCRIPT -> byId.containsKey(r.name()) || knownScripts.contains(r.name()) ? null
                            : "unknown script \"" + r.name() + "\""
                            + Fields.didYouMean(r.name(), sortedUnion(byId.keySet(), knownScripts))
                            + " (expected: the id of a script, one of " + sortedUnion(byId.keySet(), knownScripts) + ")";
                    case QUEUE -> queues.isEmpty() || queues.get().contains(r.name()) ? null
                            : "unknown queue \"" + r.name() + "\"" + Fields.didYouMean(r.name(), queues.get())
                            + " (expected: a queue of the configuration, one of "
                            + queues.get().stream().sorted().toList() + ")";
                    case CALENDAR -> calendars.contains(r.name()) ? null
                            : "unknown calendar \"" + r.name() + "\"" + Fields.didYouMean(r.name(), calendars)
                            + " (expected: a valid file config/calendars/"
                            + r.name() + ".yaml or a calendar saved from the admin page; known: " + calendars.stream().sorted().toList() + ")";
                };
                if (problem != null) {
                    out.add(YamlProblem.error(r.at(), r.path(), problem));
                }
            }
        }
        return out;
    }

    private static List<String> sortedUnion(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).distinct().sorted().toList();
    }

    /**
     * Validates script files and folders (each folder's {@code *.yaml}), with the calendars of
     * {@code calendarsDir}: what {@code ./hotline validate} prints. Calendar problems are included.
     *
     * @param knownScripts ids {@code goto} may use besides those of the files checked (e.g. the scripts folder)
     */
    public Validation validate(List<Path> filesOrFolders, Path calendarsDir, Set<String> knownScripts) {
        List<YamlProblem> problems = new ArrayList<>();
        List<ScriptFile> files = new ArrayList<>();
        for (Path p : filesOrFolders) {
            if (Files.isDirectory(p)) {
                try {
                    scriptFiles(p).forEach(f -> files.add(read(f)));
                } catch (IOException e) {
                    problems.add(YamlProblem.error(new YamlLocation(p.toString(), 1, 1), "", "cannot read folder: "
                            + e));
                }
            } else if (Files.exists(p)) {
                files.add(read(p));
            } else {
                problems.add(YamlProblem.error(new YamlLocation(p.toString(), 1, 1), "",
                        "file not found (expected: an IVR script file or a folder of them)"));
            }
        }
        Calendars calendars = readCalendars(calendarsDir);
        problems.addAll(calendars.problems());
        files.forEach(f -> problems.addAll(f.problems()));
        List<YamlProblem> cross = crossCheck(files, knownScripts, calendars.calendars().keySet());
        problems.addAll(cross);
        Map<String, IvrScript> scripts = new LinkedHashMap<>();
        for (ScriptFile f : files) {
            boolean crossError = cross.stream().anyMatch(p -> p.location().file().equals(f.path().toString())
                    && p.severity() == YamlProblem.Severity.ERROR);
            if (!crossError) {
                f.result().script().ifPresent(s -> scripts.putIfAbsent(s.id(), s));
            }
        }
        List<YamlProblem> sorted = problems.stream()
                .sorted(Comparator.comparing((YamlProblem p) -> p.location().file())
                        .thenComparingInt(p -> p.location().line())
                        .thenComparingInt(p -> p.location().column()))
                .toList();
        return new Validation(new IvrCatalog(1, scripts, calendars.calendars()), sorted, files);
    }
}
