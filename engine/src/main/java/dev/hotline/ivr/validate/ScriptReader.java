package dev.hotline.ivr.validate;

import dev.hotline.ivr.condition.Condition;
import dev.hotline.ivr.condition.ConditionException;
import dev.hotline.ivr.condition.ConditionParser;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.model.Node;
import dev.hotline.ivr.model.Prompt;
import dev.hotline.ivr.model.Template;
import dev.hotline.ivr.model.ValueRef;
import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlList;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlMap;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlScalar;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads one script file's YAML tree into an {@link IvrScript}, reporting every problem that can be seen from
 * the file alone, each at its line and column: unknown node types and keys, wrong types and ranges, bad
 * conditions and templates, a missing entry node, references to unknown nodes, unreachable nodes (warning)
 * and loops that never wait for the caller (error). Names that live elsewhere (scripts, queues, calendars) are
 * returned as {@link ExternalRef}s for {@link IvrLoader} to check.
 */
final class ScriptReader {

    /** What reading one file gave: the script when it has no errors, and what it refers to outside itself. */
    public record Result(Optional<IvrScript> script, Optional<String> id, YamlLocation idAt, List<ExternalRef> refs,
                         List<SoundRef> sounds, List<String> languages, Flow flow) {
        public Result {
            refs = List.copyOf(refs);
            sounds = List.copyOf(sounds);
            languages = List.copyOf(languages);
            java.util.Objects.requireNonNull(flow, "flow");
        }

        /** A file that could not be read as a script at all (no sounds, no flow). */
        public Result(Optional<IvrScript> script, Optional<String> id, YamlLocation idAt, List<ExternalRef> refs) {
            this(script, id, idAt, refs, List.of(), List.of(), Flow.EMPTY);
        }

        Result withoutScript() {
            return new Result(Optional.empty(), id, idAt, refs, sounds, languages, flow);
        }
    }

    private record NodeRef(String name, YamlNode at) {
    }

    private static final List<String> TYPES = List.of("play", "menu", "input", "set", "branch", "hours", "lookup",
            "language", "queue", "transfer", "voicemail", "goto", "hangup", "survey");

    private final Problems problems;
    private final Map<String, String> env;
    private final List<NodeRef> nodeRefs = new ArrayList<>();
    private final List<ExternalRef> externalRefs = new ArrayList<>();
    private final List<SoundRef> sounds = new ArrayList<>();
    /** The type written for each node, and where unbuilt nodes point (for the flow diagram). */
    private final Map<String, String> types = new LinkedHashMap<>();
    private List<String> languages = List.of();

    private ScriptReader(Problems problems, Map<String, String> env) {
        this.problems = problems;
        this.env = env;
    }

    /**
     * Reads {@code root}.
     *
     * @param env environment for {@code ${NAME}} references (secrets in lookup headers)
     */
    public static Result read(YamlNode root, Problems problems, Map<String, String> env) {
        Problems local = new Problems();
        Result r = new ScriptReader(local, env).readScript(root);
        local.sorted().forEach(problems::add);
        return local.hasErrors() ? r.withoutScript() : r;
    }

    private Result readScript(YamlNode root) {
        Fields top = Fields.of(root, problems, env);
        String id = top.requiredString("id");
        YamlNode idNode = top.node("id");
        YamlLocation idAt = idNode != null ? idNode.location() : root.location();
        if (id != null && !IvrScript.ID.matcher(id).matches()) {
            top.invalid("id", "\"" + id + "\" (expected: 1-64 of a-z, 0-9, '-', '_'; it is the agi:// script name)");
            id = null;
        }
        top.string("description", "");
        String language = top.string("language", "en");
        if (!IvrScript.LANGUAGE.matcher(language).matches()) {
            top.invalid("language", "\"" + language + "\" (expected: a language code such as en, fr, pt_BR)");
        }
        languages = top.strings("languages", List.of(language),
                l -> IvrScript.LANGUAGE.matcher(l).matches() ? null : "a language code such as en, fr, pt_BR");
        if (top.has("languages") && !languages.contains(language)) {
            top.invalid("language", "\"" + language + "\" is not in languages " + languages);
        }
        String entry = top.requiredString("entry");
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, YamlLocation> nodeAt = new LinkedHashMap<>();
        YamlNode nodesNode = top.node("nodes");
        if (nodesNode == null) {
            top.missing("nodes", "a map of named nodes");
        } else if (nodesNode instanceof YamlMap m) {
            for (YamlMap.Entry e : m.entries().values()) {
                nodeAt.put(e.key(), e.keyLocation());
                if (!Node.NAME.matcher(e.key()).matches()) {
                    problems.error(e.keyLocation(), m.childPath(e.key()), "node name \"" + e.key()
                            + "\" (expected: 1-64 of letters, digits, '_', '-')");
                }
                node(e.key(), e.value()).ifPresent(n -> nodes.put(e.key(), n));
            }
        } else {
            problems.error(nodesNode, Fields.describe(nodesNode) + " (expected: a map of named nodes)");
        }
        top.finish();

        if (entry != null && nodesNode instanceof YamlMap && !nodeAt.containsKey(entry)) {
            top.invalid("entry", "unknown node \"" + entry + "\"" + Fields.didYouMean(entry, nodeAt.keySet())
                    + " (expected: one of " + nodeAt.keySet() + ")");
        }
        for (NodeRef r : nodeRefs) {
            if (!nodeAt.containsKey(r.name())) {
                problems.error(r.at(), "unknown node \"" + r.name() + "\"" + suggestion(r.name(), nodeAt.keySet()));
            }
        }
        if (entry != null && nodeAt.containsKey(entry) && nodes.size() == nodeAt.size()) {
            Graph.check(nodes, entry, nodeAt, nodesNode.path(), problems);
        }
        Optional<IvrScript> script = Optional.empty();
        if (!problems.hasErrors() && id != null && entry != null) {
            script = Optional.of(new IvrScript(id, root.location().file(), entry, language, languages, nodes));
        }
        Map<String, List<Node.Edge>> unbuilt = new LinkedHashMap<>();
        for (NodeRef r : nodeRefs) {
            Optional<String> from = Flow.nodeOf(r.at().path());
            if (from.isPresent() && !nodes.containsKey(from.get())) {
                String label = r.at().path().substring(("nodes." + from.get()).length()).replaceFirst("^\\.", "");
                unbuilt.computeIfAbsent(from.get(), k -> new ArrayList<>()).add(new Node.Edge(label, r.name()));
            }
        }
        Flow flow = Flow.of(entry == null ? "" : entry, nodeAt, types, nodes, unbuilt);
        return new Result(script, Optional.ofNullable(id), idAt, externalRefs, sounds, languages, flow);
    }

    private static String suggestion(String name, Set<String> known) {
        return known.isEmpty() ? "" : Fields.didYouMean(name, known) + " (expected: one of " + known + ")";
    }

    private Optional<Node> node(String name, YamlNode value) {
        Fields f = Fields.of(value, problems, env);
        if (!(value instanceof YamlMap)) {
            return Optional.empty();
        }
        String type = f.requiredString("type");
        if (type != null) {
            types.put(name, type);
        }
        f.string("description", "");
        if (type == null) {
            f.finish();
            return Optional.empty();
        }
        if (!TYPES.contains(type)) {
            f.invalid("type", "unknown node type \"" + type + "\"" + Fields.didYouMean(type, TYPES)
                    + " (expected one of: " + String.join(", ", TYPES) + ")");
            return Optional.empty();
        }
        Node n;
        try {
            n = switch (type) {
                case "play" -> new Node.Play(name, prompts(f, "prompt", true), f.bool("interruptible", false),
                        nodeRef(f, "next"));
                case "menu" -> menu(name, f);
                case "input" -> input(name, f);
                case "set" -> set(name, f);
                case "branch" -> branch(name, f);
                case "hours" -> hours(name, f);
                case "lookup" -> lookup(name, f);
                case "language" -> language(name, f);
                case "queue" -> queue(name, f);
                case "transfer" -> new Node.Transfer(name, template(f, "to", true));
                case "voicemail" -> new Node.Voicemail(name, template(f, "box", true), prompts(f, "prompt", false));
                case "goto" -> new Node.Goto(name, external(f, "script", ExternalRef.Kind.SCRIPT));
                case "hangup" -> new Node.Hangup(name, prompts(f, "prompt", false));
                case "survey" -> survey(name, f);
                default -> throw new IllegalStateException(type);
            };
        } catch (IllegalArgumentException | NullPointerException e) {
            // A value already reported as a problem left the record unbuildable; the problem stands for it.
            n = null;
        }
        f.finish();
        return Optional.ofNullable(n);
    }

    private Node menu(String name, Fields f) {
        List<Prompt> prompts = prompts(f, "prompt", true);
        Map<Character, String> options = new LinkedHashMap<>();
        YamlNode on = f.node("options");
        if (on == null) {
            f.missing("options", "a map of keys to nodes, e.g. \"1\": sales");
        } else if (on instanceof YamlMap m) {
            for (YamlMap.Entry e : m.entries().values()) {
                if (e.key().length() != 1 || Node.KEYS.indexOf(e.key().charAt(0)) < 0) {
                    problems.error(e.keyLocation(), m.childPath(e.key()), "option key \"" + e.key()
                            + "\" (expected: one of the keys 0-9, *, #)");
                    continue;
                }
                String target = refText(e.value());
                if (target != null) {
                    options.put(e.key().charAt(0), target);
                }
            }
            if (m.entries().isEmpty()) {
                problems.error(on, "no options (expected: at least one key, e.g. \"1\": sales)");
            }
        } else {
            problems.error(on, Fields.describe(on) + " (expected: a map of keys to nodes, e.g. \"1\": sales)");
        }
        Duration timeout = f.duration("timeout", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
        int retries = f.integer("retries", 2, 0, 9);
        return new Node.Menu(name, prompts, options, timeout, retries, prompts(f, "invalid_prompt", false),
                prompts(f, "timeout_prompt", false), nodeRef(f, "on_failure"));
    }

    private Node input(String name, Fields f) {
        List<Prompt> prompts = prompts(f, "prompt", true);
        String variable = variable(f, "variable", null);
        int min = f.integer("min_length", 1, 1, 64);
        int max = f.integer("max_length", 20, 1, 64);
        if (min > max) {
            f.invalid("min_length", "min_length " + min + " is greater than max_length " + max
                    + " (expected: min_length <= max_length)");
        }
        Optional<Character> terminator = Optional.of('#');
        String t = f.string("terminator", "#");
        if (t != null && t.equals("none")) {
            terminator = Optional.empty();
        } else if (t == null || t.length() != 1 || Node.KEYS.indexOf(t.charAt(0)) < 0) {
            f.invalid("terminator", "\"" + t + "\" (expected: one key of 0-9, *, #, or none)");
        } else {
            terminator = Optional.of(t.charAt(0));
        }
        Duration timeout = f.duration("timeout", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
        Optional<Pattern> pattern = Optional.empty();
        String p = f.string("pattern", null);
        if (p != null) {
            try {
                pattern = Optional.of(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                f.invalid("pattern", "bad regular expression \"" + p + "\": " + e.getDescription());
            }
        }
        int retries = f.integer("retries", 2, 0, 9);
        return new Node.Input(name, prompts, variable, min, max, terminator, timeout, pattern, retries,
                prompts(f, "invalid_prompt", false), prompts(f, "timeout_prompt", false), f.bool("mask", false),
                nodeRef(f, "next"), nodeRef(f, "on_failure"));
    }

    private Node set(String name, Fields f) {
        Map<String, Template> vars = templates(f, "vars", true, (k, at) -> {
            if (!ValueRef.VAR_NAME.matcher(k).matches()) {
                return "variable name \"" + k + "\" (expected: a-z, 0-9, '_', starting with a letter or '_')";
            }
            return null;
        });
        return new Node.Set(name, vars, nodeRef(f, "next"));
    }

    private Node branch(String name, Fields f) {
        List<Node.Rule> rules = new ArrayList<>();
        List<Fields> items = f.sections("rules");
        if (!f.has("rules")) {
            f.missing("rules", "a list of {if: CONDITION, then: NODE}");
        }
        for (Fields r : items) {
            String text = r.requiredString("if");
            Condition c = null;
            if (text != null) {
                try {
                    c = ConditionParser.parse(text);
                } catch (ConditionException e) {
                    r.invalid("if", "condition \"" + text + "\": " + e.getMessage());
                }
            }
            String then = nodeRef(r, "then");
            r.finish();
            if (c != null && then != null) {
                rules.add(new Node.Rule(text, c, then));
            }
        }
        return new Node.Branch(name, rules, nodeRef(f, "else"));
    }

    private Node hours(String name, Fields f) {
        String calendar = external(f, "calendar", ExternalRef.Kind.CALENDAR);
        String open = nodeRef(f, "open");
        String closed = nodeRef(f, "closed");
        Optional<String> holiday = f.has("holiday") ? Optional.ofNullable(nodeRef(f, "holiday")) : Optional.empty();
        return new Node.Hours(name, calendar, open, closed, holiday);
    }

    private Node lookup(String name, Fields f) {
        Node.Method method = f.choice("method", Node.Method.GET, Node.Method.class);
        Template url = template(f, "url", true);
        if (url != null && !url.source().matches("(?i)https?://.+")) {
            f.invalid("url", "\"" + url.source() + "\" (expected: an http:// or https:// address)");
        }
        Map<String, Template> headers = templates(f, "headers", false, (k, at) ->
                k.matches("[A-Za-z0-9-]{1,64}") ? null : "header name \"" + k + "\" (expected: letters, digits, '-')");
        Map<String, Template> body = templates(f, "body", false, (k, at) -> null);
        if (!body.isEmpty() && method == Node.Method.GET) {
            f.invalid("body", "a body with method get (expected: method: post, or no body)");
        }
        Duration timeout = f.duration("timeout", Duration.ofSeconds(2), Duration.ofMillis(100),
                Duration.ofSeconds(30));
        Map<String, String> fields = new LinkedHashMap<>();
        YamlNode fn = f.node("fields");
        if (fn instanceof YamlMap m) {
            for (YamlMap.Entry e : m.entries().values()) {
                if (!ValueRef.VAR_NAME.matcher(e.key()).matches()) {
                    problems.error(e.keyLocation(), m.childPath(e.key()), "variable name \"" + e.key()
                            + "\" (expected: a-z, 0-9, '_')");
                } else if (e.value() instanceof YamlScalar s && s.text() != null
                        && s.text().matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
                    fields.put(e.key(), s.text());
                } else {
                    problems.error(e.value(), Fields.describe(e.value())
                            + " (expected: a dotted path in the JSON answer, e.g. customer.tier or accounts.0.id)");
                }
            }
        } else if (fn != null) {
            problems.error(fn, Fields.describe(fn) + " (expected: a map of variable: json.path)");
        }
        return new Node.Lookup(name, method, url, headers, body, timeout, fields, nodeRef(f, "next"),
                nodeRef(f, "on_error"));
    }

    private Node language(String name, Fields f) {
        String lang = f.requiredString("language");
        if (lang != null && !languages.contains(lang)) {
            f.invalid("language", "\"" + lang + "\" is not one of the script's languages " + languages
                    + " (expected: add it to languages:, or use one of them)");
        }
        return new Node.Language(name, lang, nodeRef(f, "next"));
    }

    private Node queue(String name, Fields f) {
        String queue = external(f, "queue", ExternalRef.Kind.QUEUE);
        Map<String, Integer> skills = new LinkedHashMap<>();
        f.section("skills").ifPresent(s -> {
            for (String k : s.map().keys()) {
                skills.put(k, s.integer(k, 1, 1, 10));
            }
            s.finish();
        });
        OptionalInt priority = f.has("priority") ? OptionalInt.of(f.integer("priority", 0, 0, 100))
                : OptionalInt.empty();
        Map<String, Template> data = templates(f, "data", false, (k, at) ->
                k.matches("[A-Za-z0-9_.-]{1,64}") ? null
                        : "key \"" + k + "\" (expected: letters, digits, '_', '.', '-')");
        return new Node.Queue(name, queue, skills, priority, data);
    }

    private Node survey(String name, Fields f) {
        String question = f.string("question", name);
        List<Prompt> prompts = prompts(f, "prompt", true);
        String variable = variable(f, "variable", "survey_score");
        Duration timeout = f.duration("timeout", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(1));
        int retries = f.integer("retries", 1, 0, 9);
        return new Node.Survey(name, question, prompts, variable, timeout, retries,
                prompts(f, "invalid_prompt", false), prompts(f, "thanks_prompt", false), nodeRef(f, "next"));
    }

    private String variable(Fields f, String key, String defaultValue) {
        String v = defaultValue == null ? f.requiredString(key) : f.string(key, defaultValue);
        if (v != null && !ValueRef.VAR_NAME.matcher(v).matches()) {
            f.invalid(key, "variable name \"" + v + "\" (expected: a-z, 0-9, '_', starting with a letter or '_')");
            return null;
        }
        return v;
    }

    /** A node name under {@code key}: required, checked once every node is known. */
    private String nodeRef(Fields f, String key) {
        YamlNode n = f.node(key);
        if (n == null) {
            f.missing(key, "the name of a node");
            return null;
        }
        return refText(n);
    }

    private String refText(YamlNode n) {
        if (n instanceof YamlScalar s && s.text() != null && s.type() != YamlScalar.Type.BOOLEAN) {
            nodeRefs.add(new NodeRef(s.text(), n));
            return s.text();
        }
        problems.error(n, Fields.describe(n) + " (expected: the name of a node)");
        return null;
    }

    private String external(Fields f, String key, ExternalRef.Kind kind) {
        YamlNode n = f.node(key);
        String v = f.requiredString(key);
        if (v != null && n != null) {
            externalRefs.add(new ExternalRef(kind, v, n.location(), n.path()));
        }
        return v;
    }

    private Template template(Fields f, String key, boolean required) {
        String text = required ? f.requiredString(key) : f.string(key, null);
        if (text == null) {
            return null;
        }
        try {
            return Template.parse(text);
        } catch (IllegalArgumentException e) {
            f.invalid(key, "\"" + text + "\": " + e.getMessage());
            return null;
        }
    }

    private Map<String, Template> templates(Fields f, String key, boolean required,
                                            BiFunction<String, YamlLocation, String> checkKey) {
        Map<String, Template> out = new LinkedHashMap<>();
        Optional<Fields> section = f.section(key);
        if (section.isEmpty()) {
            if (required) {
                f.missing(key, "a map of names to values");
            }
            return out;
        }
        Fields s = section.get();
        for (YamlMap.Entry e : s.map().entries().values()) {
            String why = checkKey.apply(e.key(), e.keyLocation());
            if (why != null) {
                problems.error(e.keyLocation(), s.map().childPath(e.key()), why);
                s.node(e.key());
                continue;
            }
            Template t = template(s, e.key(), true);
            if (t != null) {
                out.put(e.key(), t);
            }
        }
        s.finish();
        return out;
    }

    /** {@code prompt:} is one sound name, or a list of sound names and {say_digits|say_number|say_date: VALUE}. */
    private List<Prompt> prompts(Fields f, String key, boolean required) {
        YamlNode n = f.node(key);
        if (n == null || n instanceof YamlScalar s && s.isNull()) {
            if (required) {
                f.missing(key, "a sound name or a list of prompts");
            }
            return List.of();
        }
        List<YamlNode> items = n instanceof YamlList l ? l.items() : List.of(n);
        if (items.isEmpty() && required) {
            problems.error(n, "an empty list (expected: at least one prompt)");
        }
        List<Prompt> out = new ArrayList<>();
        for (YamlNode item : items) {
            prompt(item).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Prompt> prompt(YamlNode item) {
        if (item instanceof YamlScalar s && s.type() == YamlScalar.Type.STRING) {
            try {
                Prompt.Sound sound = new Prompt.Sound(s.text());
                sounds.add(new SoundRef(s.text(), item.location(), item.path()));
                return Optional.of(sound);
            } catch (IllegalArgumentException e) {
                problems.error(item, e.getMessage());
                return Optional.empty();
            }
        }
        if (item instanceof YamlMap m && m.entries().size() == 1) {
            YamlMap.Entry e = m.entries().values().iterator().next();
            Optional<ValueRef> ref = e.value() instanceof YamlScalar s && s.text() != null
                    ? ValueRef.parse(s.text()) : Optional.empty();
            if (!List.of("say_digits", "say_number", "say_date").contains(e.key())) {
                problems.error(e.keyLocation(), m.childPath(e.key()), "unknown prompt \"" + e.key()
                        + "\" (expected: a sound name, say_digits, say_number or say_date)");
                return Optional.empty();
            }
            if (ref.isEmpty()) {
                problems.error(e.value(), Fields.describe(e.value()) + " (expected: " + ValueRef.EXPECTED + ")");
                return Optional.empty();
            }
            return Optional.of(switch (e.key()) {
                case "say_digits" -> new Prompt.SayDigits(ref.get());
                case "say_number" -> new Prompt.SayNumber(ref.get());
                default -> new Prompt.SayDate(ref.get());
            });
        }
        problems.error(item, Fields.describe(item)
                + " (expected: a sound name, or one of {say_digits|say_number|say_date: VALUE})");
        return Optional.empty();
    }
}
