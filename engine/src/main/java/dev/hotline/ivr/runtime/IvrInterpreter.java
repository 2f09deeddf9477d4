package dev.hotline.ivr.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.agi.AgiCommandException;
import dev.hotline.agi.AgiException;
import dev.hotline.agi.AgiHangupException;
import dev.hotline.agi.AgiSession;
import dev.hotline.agi.codec.AgiCommand;
import dev.hotline.agi.codec.AgiEnvironment;
import dev.hotline.ivr.calendar.BusinessCalendar;
import dev.hotline.ivr.lookup.JsonFields;
import dev.hotline.ivr.lookup.LookupClient;
import dev.hotline.ivr.lookup.LookupException;
import dev.hotline.ivr.lookup.LookupRequest;
import dev.hotline.ivr.model.IvrScript;
import dev.hotline.ivr.model.Node;
import dev.hotline.ivr.model.Prompt;
import dev.hotline.ivr.model.Template;
import dev.hotline.ivr.model.ValueRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs IVR scripts on FastAGI sessions.
 *
 * <p>Design: one call is a loop over nodes on the call's own (virtual) thread; each node is a few blocking
 * session commands and returns the name of the next node, or an outcome that ends the loop. All call state
 * (variables, language, path) lives in a {@code Call} object local to {@link #run}, so the interpreter itself
 * is stateless and shared by all calls. The catalog passed in is the version the call keeps to its end.
 *
 * <p>Keys pressed during an interruptible prompt are not lost: the first one is handed to the next node if
 * that node reads keys (a menu takes it as the choice, an input as its first digit) — callers who know the
 * menu do not have to wait for it.
 *
 * <p>A caller hanging up surfaces as {@link AgiHangupException} from whatever command was running; it ends
 * the call with a {@code CALLER_HANGUP} step at that node. Any other session failure ends it with an
 * {@code ERROR} step. Either way a result with the full path is returned; nothing is thrown.
 */
public final class IvrInterpreter {

    /** AGI query parameters the dialplan passes for the engine itself, never copied into a call's variables. */
    static final java.util.Set<String> DIALPLAN_PARAMETERS = java.util.Set.of("call", "server");

    private static final Logger LOG = LoggerFactory.getLogger(IvrInterpreter.class);

    /** A call visiting more nodes than this is stuck (e.g. goto between scripts in a circle): it is ended. */
    static final int MAX_VISITS = 500;

    private final InstantSource clock;
    private final LookupClient lookups;
    private final IvrMetrics metrics;

    public IvrInterpreter(InstantSource clock, LookupClient lookups, IvrMetrics metrics) {
        this.clock = clock;
        this.lookups = lookups;
        this.metrics = metrics;
    }

    /** Runs {@code scriptId} of {@code catalog} on {@code session}. */
    public IvrCallResult run(IvrCatalog catalog, String scriptId, AgiSession session) {
        return run(catalog, scriptId, session, step -> {
        });
    }

    /** As {@link #run(IvrCatalog, String, AgiSession)}, telling {@code trace} each step as it happens (dry-run). */
    public IvrCallResult run(IvrCatalog catalog, String scriptId, AgiSession session, Consumer<IvrEvent> trace) {
        IvrScript script = catalog.script(scriptId).orElseThrow(() -> new IllegalArgumentException(
                "unknown IVR script \"" + scriptId + "\" (expected one of " + catalog.scripts().keySet() + ")"));
        Call call = new Call(catalog, script, session, trace);
        IvrOutcome outcome;
        try {
            session.answer();
            outcome = call.runFrom(script.entry());
        } catch (AgiHangupException e) {
            call.step(IvrEvent.Kind.CALLER_HANGUP, "");
            outcome = new IvrOutcome.Hangup(IvrOutcome.Cause.CALLER, "caller hung up at " + call.script.id() + "/"
                    + call.node);
        } catch (AgiException | IllegalStateException e) {
            LOG.warn("IVR call {} ended by an error at {}/{}: {}", session.environment().uniqueId(), call.script.id(),
                    call.node, e.getMessage());
            call.step(IvrEvent.Kind.ERROR, String.valueOf(e.getMessage()));
            outcome = new IvrOutcome.Hangup(IvrOutcome.Cause.ERROR, String.valueOf(e.getMessage()));
        }
        call.step(IvrEvent.Kind.OUTCOME, outcome.describe());
        metrics.outcome(scriptId, outcome.describe().split(" ", 2)[0]);
        return new IvrCallResult(session.environment().uniqueId(), call.caller, scriptId, catalog.version(),
                call.started, clock.instant(), outcome, new IvrPath(call.path), call.vars, call.lang, call.survey);
    }

    /** One call's state and the node handlers. */
    private final class Call {
        final IvrCatalog catalog;
        final AgiSession session;
        final Consumer<IvrEvent> trace;
        final Instant started = clock.instant();
        final String caller;
        final String callerName;
        final String dnis;
        final Map<String, String> vars = new LinkedHashMap<>();
        final List<IvrEvent> path = new ArrayList<>();
        final List<IvrCallResult.SurveyAnswer> survey = new ArrayList<>();
        IvrScript script;
        String node;
        String lang;
        Character typeAhead;

        Call(IvrCatalog catalog, IvrScript script, AgiSession session, Consumer<IvrEvent> trace) {
            this.catalog = catalog;
            this.script = script;
            this.session = session;
            this.trace = trace;
            this.node = script.entry();
            AgiEnvironment env = session.environment();
            caller = AgiCommand.sanitize(env.callerId().orElse(""));
            callerName = AgiCommand.sanitize(env.callerIdName().orElse(""));
            dnis = AgiCommand.sanitize(env.dnid().orElse(env.extension()));
            lang = script.languages().contains(env.language()) ? env.language() : script.language();
            // agi://host/script?vip=1 starts the call with vars.vip = 1. The handshake's own parameters (the call id
            // and server the shipped dialplan passes, docs/OPERATIONS.md) are not caller data.
            env.query().forEach((k, v) -> {
                if (ValueRef.VAR_NAME.matcher(k).matches() && !DIALPLAN_PARAMETERS.contains(k)) {
                    vars.put(k, AgiCommand.sanitize(v));
                }
            });
        }

        void step(IvrEvent.Kind kind, String detail) {
            IvrEvent s = new IvrEvent(clock.instant(), script.id(), node, kind, detail);
            path.add(s);
            trace.accept(s);
        }

        String value(ValueRef ref) {
            return switch (ref.source()) {
                case CALLER -> caller;
                case CALLER_NAME -> callerName;
                case DNIS -> dnis;
                case LANG -> lang;
                case SCRIPT -> script.id();
                case VAR -> vars.getOrDefault(ref.var(), "");
            };
        }

        String render(Template t, Function<String, String> encode) {
            return t.render(ref -> encode.apply(value(ref)));
        }

        IvrOutcome runFrom(String entry) {
            node = entry;
            for (int visits = 1; ; visits++) {
                if (visits > MAX_VISITS) {
                    throw new IllegalStateException("more than " + MAX_VISITS + " nodes visited; the scripts loop");
                }
                Node n = script.node(node).orElseThrow(() -> new IllegalStateException(
                        "node \"" + node + "\" missing from script " + script.id()));
                step(IvrEvent.Kind.VISIT, n.type());
                metrics.nodeVisited(script.id(), node, n.type());
                Next next = switch (n) {
                    case Node.Play p -> play(p);
                    case Node.Menu m -> menu(m);
                    case Node.Input i -> input(i);
                    case Node.Set s -> set(s);
                    case Node.Branch b -> branch(b);
                    case Node.Hours h -> hours(h);
                    case Node.Lookup l -> lookup(l);
                    case Node.Language l -> language(l);
                    case Node.Survey s -> survey(s);
                    case Node.Goto g -> gotoScript(g);
                    case Node.Queue q -> queue(q);
                    case Node.Transfer t ->
                            new Next(null, new IvrOutcome.Transfer(render(t.to(), AgiCommand::sanitize)));
                    case Node.Voicemail v -> {
                        playAll(v.prompts(), "");
                        yield new Next(null, new IvrOutcome.Voicemail(render(v.box(), AgiCommand::sanitize)));
                    }
                    case Node.Hangup h -> {
                        playAll(h.prompts(), "");
                        session.hangup();
                        yield new Next(null, new IvrOutcome.Hangup(IvrOutcome.Cause.SCRIPT, "hangup node " + node));
                    }
                };
                if (next.outcome() != null) {
                    return next.outcome();
                }
                node = next.node();
            }
        }

        private Next to(String target, String why) {
            step(IvrEvent.Kind.DECISION, why + " -> " + target);
            return new Next(target, null);
        }

        private Next play(Node.Play p) {
            Optional<Character> key = playAll(p.prompts(), p.interruptible() ? Node.KEYS : "");
            key.ifPresent(k -> {
                key(k, false);
                typeAhead = k;
            });
            return new Next(p.next(), null);
        }

        private Next menu(Node.Menu m) {
            int attempts = m.retries() + 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Optional<Character> key = takeTypeAhead();
                if (key.isEmpty()) {
                    key = playAll(m.prompts(), Node.KEYS);
                    if (key.isEmpty()) {
                        key = session.waitForDigit(m.timeout());
                    }
                    key.ifPresent(k -> key(k, false));
                }
                boolean more = attempt < attempts;
                if (key.isEmpty()) {
                    step(IvrEvent.Kind.TIMEOUT, "no key within " + m.timeout().toMillis() + " ms (attempt " + attempt
                            + " of " + attempts + ")");
                    if (more) {
                        playAll(m.timeoutPrompts(), "");
                    }
                } else if (m.options().containsKey(key.get())) {
                    return to(m.options().get(key.get()), "option " + key.get());
                } else {
                    step(IvrEvent.Kind.INVALID, "key " + key.get() + " is not an option " + m.options().keySet()
                            + " (attempt " + attempt + " of " + attempts + ")");
                    if (more) {
                        playAll(m.invalidPrompts(), "");
                    }
                }
            }
            return to(m.onFailure(), "no valid choice after " + attempts + " attempt(s)");
        }

        private Next input(Node.Input in) {
            int attempts = in.retries() + 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                StringBuilder digits = new StringBuilder();
                boolean terminated = false;
                Optional<Character> key = takeTypeAhead();
                if (key.isEmpty()) {
                    key = playAll(in.prompts(), Node.KEYS);
                    key.ifPresent(k -> key(k, in.mask()));
                }
                while (true) {
                    if (key.isEmpty()) {
                        key = session.waitForDigit(in.timeout());
                        if (key.isEmpty()) {
                            break;
                        }
                        key(key.get(), in.mask());
                    }
                    if (in.terminator().equals(key)) {
                        terminated = true;
                        break;
                    }
                    digits.append(key.get());
                    key = Optional.empty();
                    if (digits.length() >= in.maxLength()) {
                        break;
                    }
                }
                boolean more = attempt < attempts;
                String d = digits.toString();
                String shown = in.mask() ? "*".repeat(d.length()) : d;
                String problem = null;
                if (d.isEmpty() && !terminated) {
                    step(IvrEvent.Kind.TIMEOUT, "no digits within " + in.timeout().toMillis() + " ms (attempt "
                            + attempt + " of " + attempts + ")");
                    if (more) {
                        playAll(in.timeoutPrompts(), "");
                    }
                    continue;
                } else if (d.length() < in.minLength()) {
                    problem = d.length() + " digit(s), expected at least " + in.minLength();
                } else if (in.pattern().isPresent() && !in.pattern().get().matcher(d).matches()) {
                    problem = "does not match " + in.pattern().get().pattern();
                }
                if (problem == null) {
                    vars.put(in.variable(), d);
                    return to(in.next(), "vars." + in.variable() + " = " + shown);
                }
                step(IvrEvent.Kind.INVALID, "\"" + shown + "\" " + problem + " (attempt " + attempt + " of " + attempts
                        + ")");
                if (more) {
                    playAll(in.invalidPrompts(), "");
                }
            }
            return to(in.onFailure(), "no valid entry after " + attempts + " attempt(s)");
        }

        private Next set(Node.Set s) {
            List<String> shown = new ArrayList<>();
            s.vars().forEach((k, t) -> {
                String v = render(t, AgiCommand::sanitize);
                vars.put(k, v);
                shown.add("vars." + k + " = \"" + v + "\"");
            });
            step(IvrEvent.Kind.DECISION, String.join(", ", shown));
            return new Next(s.next(), null);
        }

        private Next branch(Node.Branch b) {
            for (Node.Rule r : b.rules()) {
                if (r.condition().test(this::value)) {
                    return to(r.then(), "if " + r.text());
                }
            }
            return to(b.otherwise(), "no rule holds, else");
        }

        private Next hours(Node.Hours h) {
            BusinessCalendar cal = catalog.calendar(h.calendar()).orElseThrow(() -> new IllegalStateException(
                    "calendar \"" + h.calendar() + "\" is not loaded"));
            BusinessCalendar.Status s = cal.status(clock.instant());
            String target = switch (s.state()) {
                case OPEN -> h.open();
                case CLOSED -> h.closed();
                case HOLIDAY -> h.holiday().orElse(h.closed());
            };
            return to(target, "calendar " + cal.name() + " " + s.reason());
        }

        private Next lookup(Node.Lookup l) {
            Instant t0 = clock.instant();
            Function<String, String> urlEncode = v -> URLEncoder.encode(v, StandardCharsets.UTF_8);
            try {
                URI uri;
                try {
                    uri = URI.create(render(l.url(), urlEncode));
                } catch (IllegalArgumentException e) {
                    throw new LookupException("bad address: " + e.getMessage(), e);
                }
                Map<String, String> headers = new LinkedHashMap<>();
                l.headers().forEach((k, t) -> headers.put(k, render(t, AgiCommand::sanitize)));
                Map<String, String> body = new LinkedHashMap<>();
                l.body().forEach((k, t) -> body.put(k, render(t, Function.identity())));
                JsonNode answer = lookups.fetch(new LookupRequest(node, l.method(), uri, headers, body, l.timeout()));
                List<String> got = new ArrayList<>();
                l.fields().forEach((var, jsonPath) -> JsonFields.get(answer, jsonPath).ifPresentOrElse(v -> {
                    vars.put(var, v);
                    got.add(var + "=" + v);
                }, () -> got.add(var + " absent")));
                metrics.lookup(script.id(), node, true, Duration.between(t0, clock.instant()));
                return to(l.next(), l.method() + " " + uri.getHost() + " ok: " + String.join(", ", got));
            } catch (LookupException e) {
                metrics.lookup(script.id(), node, false, Duration.between(t0, clock.instant()));
                step(IvrEvent.Kind.ERROR, "lookup failed: " + e.getMessage());
                return to(l.onError(), "on_error");
            }
        }

        private Next language(Node.Language l) {
            lang = l.language();
            session.setVariable("CHANNEL(language)", lang);
            return to(l.next(), "language " + lang);
        }

        private Next survey(Node.Survey s) {
            int attempts = s.retries() + 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                Optional<Character> key = takeTypeAhead();
                if (key.isEmpty()) {
                    key = playAll(s.prompts(), Node.KEYS);
                    if (key.isEmpty()) {
                        key = session.waitForDigit(s.timeout());
                    }
                    key.ifPresent(k -> key(k, false));
                }
                if (key.isPresent() && key.get() >= '1' && key.get() <= '5') {
                    int score = key.get() - '0';
                    survey.add(new IvrCallResult.SurveyAnswer(s.question(), score));
                    vars.put(s.variable(), String.valueOf(score));
                    playAll(s.thanksPrompts(), "");
                    return to(s.next(), "survey " + s.question() + " = " + score);
                }
                String why = key.isEmpty() ? "no rating" : "key " + key.get() + " is not a rating 1-5";
                step(key.isEmpty() ? IvrEvent.Kind.TIMEOUT : IvrEvent.Kind.INVALID,
                        why + " (attempt " + attempt + " of " + attempts + ")");
                if (attempt < attempts) {
                    playAll(s.invalidPrompts(), "");
                }
            }
            return to(s.next(), "survey " + s.question() + " not answered");
        }

        private Next gotoScript(Node.Goto g) {
            IvrScript target = catalog.script(g.script()).orElseThrow(() -> new IllegalStateException(
                    "script \"" + g.script() + "\" is not loaded"));
            step(IvrEvent.Kind.DECISION, "goto script " + target.id());
            script = target;
            if (!target.languages().contains(lang)) {
                lang = target.language();
            }
            return new Next(target.entry(), null);
        }

        private Next queue(Node.Queue q) {
            Map<String, String> data = new LinkedHashMap<>();
            q.data().forEach((k, t) -> data.put(k, render(t, AgiCommand::sanitize)));
            return new Next(null, new IvrOutcome.Queue(q.queue(), q.skills(), q.priority(), data));
        }

        private void key(char k, boolean masked) {
            step(IvrEvent.Kind.KEY, masked ? "*" : String.valueOf(k));
        }

        private Optional<Character> takeTypeAhead() {
            Optional<Character> k = Optional.ofNullable(typeAhead);
            typeAhead = null;
            return k;
        }

        /** Plays prompts in order; stops at the first key in {@code escape} and returns it. */
        private Optional<Character> playAll(List<Prompt> prompts, String escape) {
            for (Prompt p : prompts) {
                Optional<Character> k = playOne(p, escape);
                if (k.isPresent()) {
                    return k;
                }
            }
            return Optional.empty();
        }

        private Optional<Character> playOne(Prompt p, String escape) {
            return switch (p) {
                case Prompt.Sound s -> sound(s.file(lang), escape);
                case Prompt.SayDigits d -> {
                    String v = value(d.value());
                    if (!v.matches("[0-9*#]{1,64}")) {
                        step(IvrEvent.Kind.ERROR, "say_digits " + d.value() + ": \"" + v + "\" is not digits");
                        yield Optional.empty();
                    }
                    yield session.sayDigits(v, escape);
                }
                case Prompt.SayNumber n -> {
                    String v = value(n.value());
                    if (!v.matches("-?[0-9]{1,15}")) {
                        step(IvrEvent.Kind.ERROR, "say_number " + n.value() + ": \"" + v + "\" is not a number");
                        yield Optional.empty();
                    }
                    yield session.sayNumber(Long.parseLong(v), escape);
                }
                case Prompt.SayDate d -> sayDate(d);
            };
        }

        /**
         * Plays one sound file. A file Asterisk cannot play (it answers {@code 200 result=-1 endpos=0} at once on a
         * live channel, almost always a missing file) is logged, counted by file name and skipped: the node goes on
         * as if the prompt had ended, so one missing recording never costs the caller their call. A hang-up is
         * told apart by the session's probe and still ends the call.
         */
        private Optional<Character> sound(String file, String escape) {
            try {
                return session.streamFile(file, escape).digit();
            } catch (AgiCommandException e) {
                LOG.warn("IVR call {}: prompt {} not played at {}/{} (skipped; is the file on the Asterisk?): {}",
                        session.environment().uniqueId(), file, script.id(), node, e.getMessage());
                metrics.promptFailed(script.id(), file);
                step(IvrEvent.Kind.ERROR, "prompt " + file + " not played (missing file?), skipped");
                return Optional.empty();
            }
        }

        private Optional<Character> sayDate(Prompt.SayDate d) {
            String v = value(d.value());
            long epoch;
            if (v.matches("[0-9]{1,12}")) {
                epoch = Long.parseLong(v);
            } else if (v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                try {
                    epoch = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                } catch (java.time.DateTimeException e) {
                    step(IvrEvent.Kind.ERROR, "say_date " + d.value() + ": \"" + v + "\" is not a date");
                    return Optional.empty();
                }
            } else {
                step(IvrEvent.Kind.ERROR, "say_date " + d.value() + ": \"" + v + "\" is not a date or epoch seconds");
                return Optional.empty();
            }
            // SAY DATE needs the command encoder; SayUnixTime says the same in the channel's language.
            session.exec("SayUnixTime", epoch + ",UTC,ABdY", Duration.ofMinutes(1));
            return Optional.empty();
        }
    }

    /** Where a node goes: the next node, or an outcome that ends the call's IVR part. */
    private record Next(String node, IvrOutcome outcome) {
    }
}
