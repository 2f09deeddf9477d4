package dev.hotline.ivr.model;

import dev.hotline.ivr.condition.Condition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One named step of an IVR script. Each kind is a record; {@link #edges()} lists where it can go and when (empty
 * for nodes that end the script): the validator walks them to find unknown references, unreachable nodes and
 * loops, and the admin page draws them as the script's flow diagram.
 */
public sealed interface Node {

    /** Node names: what {@code next:}, menu options etc. refer to. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");

    /** DTMF keys a caller can press. */
    String KEYS = "0123456789*#";

    String name();

    /** Where this node can continue, each with what takes it there ("next", "1", "timeout", "open"…), in order. */
    List<Edge> edges();

    /** The nodes this one can continue with, in the order written. */
    default List<String> successors() {
        return edges().stream().map(Edge::target).toList();
    }

    /**
     * One way out of a node: {@code label} says when it is taken (a key, "next", "on_failure", a rule…); drawn by
     * the admin page's flow diagram, walked by the validator.
     */
    record Edge(String label, String target) {
        public Edge {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(target, "target");
        }
    }

    /** True for the nodes that wait for the caller to press keys: menu, input, survey. */
    default boolean waitsForCaller() {
        return false;
    }

    /** The kind as written in a script ({@code type: menu}). */
    default String type() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** Plays prompts, then goes on; {@code interruptible} lets a key stop it (the key goes to a menu next). */
    record Play(String name, List<Prompt> prompts, boolean interruptible, String next) implements Node {
        public Play {
            prompts = List.copyOf(prompts);
        }

        @Override
        public List<Edge> edges() {
            return refs("next", next);
        }
    }

    /**
     * Plays {@code prompts} and waits {@code timeout} for a key; a key in {@code options} goes there. A wrong key
     * or silence plays {@code invalidPrompts}/{@code timeoutPrompts} and asks again, {@code retries} times, then
     * goes to {@code onFailure}.
     */
    record Menu(String name, List<Prompt> prompts, Map<Character, String> options, Duration timeout, int retries,
                List<Prompt> invalidPrompts, List<Prompt> timeoutPrompts, String onFailure) implements Node {
        public Menu {
            prompts = List.copyOf(prompts);
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
            invalidPrompts = List.copyOf(invalidPrompts);
            timeoutPrompts = List.copyOf(timeoutPrompts);
            requirePositive(timeout, "timeout");
        }

        @Override
        public List<Edge> edges() {
            List<String> out = new ArrayList<>();
            options.forEach((key, target) -> {
                out.add("key " + key);
                out.add(target);
            });
            out.add("on_failure");
            out.add(onFailure);
            return refs(out.toArray(String[]::new));
        }

        @Override
        public boolean waitsForCaller() {
            return true;
        }
    }

    /**
     * Collects {@code minLength}–{@code maxLength} digits into {@code variable}, ended by the {@code terminator}
     * key, by reaching {@code maxLength} or by {@code timeout} between keys; the digits must match
     * {@code pattern}. {@code mask} keeps the digits out of the call's IVR path (PINs).
     */
    record Input(String name, List<Prompt> prompts, String variable, int minLength, int maxLength,
                 Optional<Character> terminator, Duration timeout, Optional<Pattern> pattern, int retries,
                 List<Prompt> invalidPrompts, List<Prompt> timeoutPrompts, boolean mask, String next,
                 String onFailure) implements Node {
        public Input {
            prompts = List.copyOf(prompts);
            invalidPrompts = List.copyOf(invalidPrompts);
            timeoutPrompts = List.copyOf(timeoutPrompts);
            requirePositive(timeout, "timeout");
            if (minLength < 1 || maxLength < minLength) {
                throw new IllegalArgumentException("length: " + minLength + ".." + maxLength
                        + " (expected: 1 <= min_length <= max_length)");
            }
        }

        @Override
        public List<Edge> edges() {
            return refs("next", next, "on_failure", onFailure);
        }

        @Override
        public boolean waitsForCaller() {
            return true;
        }
    }

    /** Sets call variables from templates, then goes on. */
    record Set(String name, Map<String, Template> vars, String next) implements Node {
        public Set {
            vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        }

        @Override
        public List<Edge> edges() {
            return refs("next", next);
        }
    }

    /** One rule of a branch: when {@code condition} (written as {@code text}) holds, go to {@code then}. */
    record Rule(String text, Condition condition, String then) {
        public Rule {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(then, "then");
        }
    }

    /** Goes to the first rule whose condition holds, else to {@code otherwise}. */
    record Branch(String name, List<Rule> rules, String otherwise) implements Node {
        public Branch {
            rules = List.copyOf(rules);
        }

        @Override
        public List<Edge> edges() {
            List<String> out = new ArrayList<>();
            rules.forEach(r -> {
                out.add("if " + r.text());
                out.add(r.then());
            });
            out.add("else");
            out.add(otherwise);
            return refs(out.toArray(String[]::new));
        }
    }

    /** Branches on a business-hours calendar; {@code holiday} (if set) is taken on holidays instead of closed. */
    record Hours(String name, String calendar, String open, String closed, Optional<String> holiday)
            implements Node {
        @Override
        public List<Edge> edges() {
            return refs("open", open, "closed", closed, "holiday", holiday.orElse(null));
        }
    }

    /** HTTP methods a lookup may use. */
    enum Method { GET, POST }

    /**
     * Asks an HTTP service (a CRM) and copies fields of its JSON answer into variables: {@code fields} maps a
     * variable name to a dotted path in the answer ({@code customer.tier}, {@code accounts.0.id}). Any failure
     * (connection, timeout, status other than 2xx, not JSON) goes to {@code onError}.
     */
    record Lookup(String name, Method method, Template url, Map<String, Template> headers,
                  Map<String, Template> body, Duration timeout, Map<String, String> fields, String next,
                  String onError) implements Node {
        public Lookup {
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            requirePositive(timeout, "timeout");
        }

        @Override
        public List<Edge> edges() {
            return refs("next", next, "on_error", onError);
        }
    }

    /** Sets the caller's language; prompts resolve in it from then on. */
    record Language(String name, String language, String next) implements Node {
        @Override
        public List<Edge> edges() {
            return refs("next", next);
        }
    }

    /** Ends the script by handing the call to an ACD queue, with optional overrides and data for the agent. */
    record Queue(String name, String queue, Map<String, Integer> skills, OptionalInt priority,
                 Map<String, Template> data) implements Node {
        public Queue {
            skills = Collections.unmodifiableMap(new LinkedHashMap<>(skills));
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /** Ends the script by transferring the call to an extension or number. */
    record Transfer(String name, Template to) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /** Ends the script in a voicemail box, after optional prompts. */
    record Voicemail(String name, Template box, List<Prompt> prompts) implements Node {
        public Voicemail {
            prompts = List.copyOf(prompts);
        }

        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /** Continues in another script's entry node (same call, same variables, same path). */
    record Goto(String name, String script) implements Node {
        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /** Plays optional prompts and hangs up. */
    record Hangup(String name, List<Prompt> prompts) implements Node {
        public Hangup {
            prompts = List.copyOf(prompts);
        }

        @Override
        public List<Edge> edges() {
            return List.of();
        }
    }

    /**
     * Asks for a 1–5 rating; the answer is stored with the call under {@code question} (and in
     * {@code vars.<variable>}). No answer after the retries still goes to {@code next}.
     */
    record Survey(String name, String question, List<Prompt> prompts, String variable, Duration timeout,
                  int retries, List<Prompt> invalidPrompts, List<Prompt> thanksPrompts, String next)
            implements Node {
        public Survey {
            prompts = List.copyOf(prompts);
            invalidPrompts = List.copyOf(invalidPrompts);
            thanksPrompts = List.copyOf(thanksPrompts);
            requirePositive(timeout, "timeout");
        }

        @Override
        public List<Edge> edges() {
            return refs("next", next);
        }

        @Override
        public boolean waitsForCaller() {
            return true;
        }
    }

    /** Label, target, label, target…: the edges, without missing targets (a node read with errors may lack some). */
    private static List<Edge> refs(String... labelsAndTargets) {
        List<Edge> out = new ArrayList<>();
        for (int i = 0; i + 1 < labelsAndTargets.length; i += 2) {
            if (labelsAndTargets[i + 1] != null) {
                out.add(new Edge(labelsAndTargets[i], labelsAndTargets[i + 1]));
            }
        }
        return List.copyOf(out);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
        }
    }
}
