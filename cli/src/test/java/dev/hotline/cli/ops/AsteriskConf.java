package dev.hotline.cli.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small reader of Asterisk's configuration format, enough to cross-check the sample files: sections
 * {@code [name]}, templates {@code [name](!)} and {@code [name](tpl1,tpl2)}, {@code key = value} and
 * {@code key => value}, {@code ;} comments ({@code \;} is a literal semicolon), and {@code #include} /
 * {@code #tryinclude} lines (recorded, not followed). Sections may repeat (pjsip.conf names an endpoint and
 * its AOR alike), so they are kept in order, not by name.
 */
final class AsteriskConf {

    /** One {@code key = value} line; {@code arrow} when written {@code =>}. */
    record Entry(String key, String value, boolean arrow, int line) {
    }

    /** One {@code [name]} section with its entries in file order. */
    record Section(String name, boolean template, List<String> templates, List<Entry> entries,
                   List<String> includes, int line) {

        List<String> values(String key) {
            return entries.stream().filter(e -> e.key().equalsIgnoreCase(key)).map(Entry::value).toList();
        }

        Optional<String> value(String key) {
            List<String> v = values(key);
            return v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
        }
    }

    private final String file;
    private final List<Section> sections;
    private final List<String> topIncludes;

    private AsteriskConf(String file, List<Section> sections, List<String> topIncludes) {
        this.file = file;
        this.sections = List.copyOf(sections);
        this.topIncludes = List.copyOf(topIncludes);
    }

    static AsteriskConf read(Path path) throws IOException {
        return parse(Files.readString(path), path.getFileName().toString());
    }

    static AsteriskConf parse(String text, String file) {
        List<Section> sections = new ArrayList<>();
        List<String> top = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        String name = null;
        boolean template = false;
        List<String> templates = List.of();
        List<Entry> entries = null;
        List<String> includes = null;
        int sectionLine = 0;
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#include") || line.startsWith("#tryinclude")) {
                String target = line.substring(line.indexOf(' ') + 1).strip().replace("\"", "");
                (includes != null ? includes : top).add(target);
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(file + ":" + no + ": section header without ']': " + line);
                }
                if (name != null) {
                    sections.add(new Section(name, template, templates, entries, includes, sectionLine));
                }
                name = line.substring(1, close).strip();
                String rest = line.substring(close + 1).strip();
                template = false;
                templates = new ArrayList<>();
                if (!rest.isEmpty()) {
                    if (!rest.startsWith("(") || !rest.endsWith(")")) {
                        throw new IllegalArgumentException(file + ":" + no + ": unexpected text after section: " + rest);
                    }
                    for (String t : rest.substring(1, rest.length() - 1).split(",")) {
                        t = t.strip();
                        if (t.equals("!")) {
                            template = true;
                        } else if (!t.isEmpty()) {
                            templates.add(t);
                        }
                    }
                }
                entries = new ArrayList<>();
                includes = new ArrayList<>();
                sectionLine = no;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ":" + no + ": expected key = value: " + line);
            }
            if (name == null) {
                throw new IllegalArgumentException(file + ":" + no + ": setting outside any [section]: " + line);
            }
            boolean arrow = eq + 1 < line.length() && line.charAt(eq + 1) == '>';
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + (arrow ? 2 : 1)).strip();
            entries.add(new Entry(key, value, arrow, no));
        }
        if (name != null) {
            sections.add(new Section(name, template, templates, entries, includes, sectionLine));
        }
        return new AsteriskConf(file, sections, top);
    }

    /** The line without its comment: from the first {@code ;} not escaped as {@code \;}. */
    static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == ';' && (i == 0 || line.charAt(i - 1) != '\\')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    String file() {
        return file;
    }

    List<Section> sections() {
        return sections;
    }

    List<String> topIncludes() {
        return topIncludes;
    }

    /** Every section with this name (templates excluded). */
    List<Section> all(String name) {
        return sections.stream().filter(s -> s.name().equals(name) && !s.template()).toList();
    }

    /** The one non-template section with this name; fails the test when there is none or several. */
    Section section(String name) {
        List<Section> found = all(name);
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one [" + name + "] section, found " + found.size());
        }
        return found.getFirst();
    }

    boolean has(String name) {
        return !all(name).isEmpty();
    }

    /**
     * The settings of a section with its templates' settings first (Asterisk applies the templates, then the
     * section's own lines), as key → values in order.
     */
    Map<String, List<String>> resolved(Section s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String t : s.templates()) {
            Section tpl = sections.stream().filter(x -> x.name().equals(t) && x.template()).findFirst()
                    .orElseThrow(() -> new AssertionError(file + ": [" + s.name() + "] uses unknown template " + t));
            resolved(tpl).forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        for (Entry e : s.entries()) {
            out.computeIfAbsent(e.key().toLowerCase(java.util.Locale.ROOT), x -> new ArrayList<>()).add(e.value());
        }
        return out;
    }

    /** The last value of {@code key} for the section after templates, or empty. */
    Optional<String> resolvedValue(Section s, String key) {
        List<String> v = resolved(s).getOrDefault(key.toLowerCase(java.util.Locale.ROOT), List.of());
        return v.isEmpty() ? Optional.empty() : Optional.of(v.getLast());
    }

    /** Sections of a pjsip.conf {@code type} (after templates). */
    List<Section> ofType(String type) {
        return sections.stream().filter(s -> !s.template())
                .filter(s -> resolvedValue(s, "type").filter(type::equals).isPresent()).toList();
    }
}
