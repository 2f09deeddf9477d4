package dev.hotline.config;

import dev.hotline.net.Cidr;
import dev.hotline.routing.RingNoAnswer;
import dev.hotline.yaml.Fields;
import dev.hotline.yaml.Problems;
import dev.hotline.yaml.YamlLocation;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlProblem;
import dev.hotline.yaml.YamlSyntaxException;
import dev.hotline.yaml.YamlTreeReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads hotline.yaml once into a {@link HotlineConfig}. Every problem in the file is collected and reported
 * together, each as {@code file:line:col: error: key.path: value (expected: …)}; a file with any error is
 * rejected whole (no value is silently repaired). Secrets may be written as {@code ${ENV_VAR}}.
 */
public final class ConfigLoader {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern REASON = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public static ConfigLoader fromSystemEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    public HotlineConfig load(Path file) throws ConfigException {
        String name = file.toString();
        YamlNode root;
        try {
            root = YamlTreeReader.read(file, name);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(YamlProblem.error(new YamlLocation(name, 1, 1), "",
                    "file not found (expected: a hotline.yaml file; see config/hotline.yaml for every key)")));
        } catch (IOException e) {
            throw new ConfigException(List.of(YamlProblem.error(new YamlLocation(name, 1, 1), "",
                    "cannot read file: " + e.getMessage())));
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(e.problem()));
        }
        return bind(root, name, file.toAbsolutePath().getParent());
    }

    HotlineConfig bind(YamlNode root, String source, Path baseDir) throws ConfigException {
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, env);

        HotlineConfig d = HotlineConfig.defaults();
        String engineName = d.engineName();
        Fields engine = top.section("engine").orElse(null);
        if (engine != null) {
            engineName = engine.string("name", engineName);
            if (!ID.matcher(engineName).matches()) {
                engine.invalid("name", "\"" + engineName + "\" (expected: 1-32 of a-z, 0-9, '-', '_')");
                engineName = d.engineName();
            }
            engine.finish();
        }

        AgiConfig agi = top.section("agi").map(this::agi).orElse(AgiConfig.DEFAULTS);
        List<AmiServerConfig> ami = top.section("ami").map(this::ami).orElse(List.of());
        DatabaseConfig db = top.section("database").map(f -> database(f, baseDir)).orElse(DatabaseConfig.DEFAULTS);

        Path ivrScripts = d.ivrScripts();
        Path calendars = d.calendars();
        Path agentsFile = d.agentsFile();
        Fields paths = top.section("paths").orElse(null);
        if (paths != null) {
            ivrScripts = Path.of(paths.string("ivr_scripts", ivrScripts.toString()));
            calendars = Path.of(paths.string("calendars", calendars.toString()));
            agentsFile = Path.of(paths.string("agents", agentsFile.toString()));
            paths.finish();
        }
        List<QueueConfig> queues = queues(top);
        AcdConfig acd = top.section("acd").map(ConfigLoader::acd).orElse(AcdConfig.DEFAULTS);
        GatewayConfig gateway = top.section("gateway").map(ConfigLoader::gateway).orElse(GatewayConfig.DEFAULTS);
        QaConfig qa = top.section("qa").map(QaConfig::read).orElse(QaConfig.DEFAULTS);
        HaConfig ha = top.section("ha").map(f -> HaConfig.read(f, db)).orElse(HaConfig.DEFAULTS);
        OutboundConfig outbound = top.section("outbound").map(OutboundConfig::read).orElse(OutboundConfig.DEFAULTS);
        top.finish();

        if (problems.hasErrors()) {
            throw new ConfigException(problems.sorted());
        }
        return new HotlineConfig(source, engineName, agi, ami, db, ivrScripts, calendars, queues, acd, agentsFile,
                gateway, qa, ha, outbound);
    }

    private AgiConfig agi(Fields f) {
        AgiConfig d = AgiConfig.DEFAULTS;
        String bind = f.string("bind", d.bind());
        if (bind != null) {
            try {
                Cidr.parse(bind);
            } catch (IllegalArgumentException e) {
                if (!bind.equals("localhost")) {
                    f.invalid("bind", "\"" + bind + "\" (expected: an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0)");
                }
            }
        }
        int port = f.integer("port", d.port(), 1, 65535);
        List<String> allowText = f.strings("allow", null, ConfigLoader::cidrProblem);
        List<Cidr> allow = allowText == null ? d.allow() : allowText.stream().map(Cidr::parse).toList();
        if (f.node("allow") instanceof dev.hotline.yaml.YamlList l && l.items().isEmpty()) {
            f.invalid("allow", "an empty list (expected: at least one network, e.g. 127.0.0.1/32; no Asterisk could connect)");
        }
        int maxSessions = f.integer("max_sessions", d.maxSessions(), 1, 1_000_000);
        Duration idle = f.duration("idle_timeout", d.idleTimeout(), Duration.ofSeconds(1), Duration.ofDays(1));
        Duration command = f.duration("command_timeout", d.commandTimeout(), Duration.ofMillis(100), Duration.ofHours(1));
        Duration grace = f.duration("shutdown_grace", d.shutdownGrace(), Duration.ZERO, Duration.ofHours(1));
        int maxLine = f.integer("max_line_length", d.maxLineLength(), 256, 1 << 20);
        int maxEnv = f.integer("max_environment_size", d.maxEnvironmentSize(), 1024, 1 << 20);
        Duration envTimeout = f.duration("environment_timeout", d.environmentTimeout(), Duration.ofMillis(100),
                Duration.ofMinutes(10));
        f.finish();
        return new AgiConfig(bind == null ? d.bind() : bind, port, allow, maxSessions, idle, command, grace, maxLine,
                maxEnv, envTimeout);
    }

    private static String cidrProblem(String s) {
        try {
            Cidr.parse(s);
            return null;
        } catch (IllegalArgumentException e) {
            return "an IP network such as 10.0.0.0/8 or ::1/128; " + e.getMessage();
        }
    }

    private List<AmiServerConfig> ami(Fields f) {
        List<AmiServerConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Fields s : f.sections("servers")) {
            String id = s.requiredString("id");
            if (id != null && !ID.matcher(id).matches()) {
                s.invalid("id", "\"" + id + "\" (expected: 1-32 of a-z, 0-9, '-', '_')");
            } else if (id != null && !ids.add(id)) {
                s.invalid("id", "\"" + id + "\" is used by two servers (expected: a unique id)");
            }
            String host = s.requiredString("host");
            int port = s.integer("port", 5038, 1, 65535);
            String user = s.requiredString("username");
            var secret = s.secret("secret");
            Duration timeout = s.duration("connect_timeout", Duration.ofSeconds(5), Duration.ofMillis(100),
                    Duration.ofMinutes(5));
            s.finish();
            if (id != null && host != null && user != null) {
                out.add(new AmiServerConfig(id, host, port, user, secret, timeout));
            }
        }
        f.finish();
        return out;
    }

    private List<QueueConfig> queues(Fields top) {
        List<QueueConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, Map<String, YamlNode>> moveNodes = new java.util.HashMap<>();
        for (Fields q : top.sections("queues")) {
            Map<String, YamlNode> moves = new java.util.LinkedHashMap<>();
            QueueConfig qc = queue(q, names, moves);
            if (qc != null) {
                out.add(qc);
                moveNodes.put(qc.name(), moves);
            }
        }
        Map<String, List<String>> graph = new java.util.HashMap<>();
        out.forEach(qc -> graph.put(qc.name(), moveTargets(qc)));
        Set<String> inReportedCycle = new HashSet<>();
        for (QueueConfig qc : out) {
            if (inReportedCycle.contains(qc.name())) {
                continue;
            }
            for (String target : moveTargets(qc)) {
                List<String> cycle = pathBack(qc.name(), target, graph);
                if (!cycle.isEmpty()) {
                    reportCycle(top.problems(), moveNodes.get(qc.name()).get(target), cycle);
                    inReportedCycle.addAll(cycle);
                    break;
                }
            }
        }
        for (QueueConfig qc : out) {
            for (QueueTarget t : qc.exitKeys().values()) {
                checkQueueRef(top, qc, t, names);
            }
            checkQueueRef(top, qc, qc.onTimeout(), names);
            for (dev.hotline.routing.EscalationStep step : qc.escalation()) {
                if (step instanceof dev.hotline.routing.EscalationStep.MoveToQueue m) {
                    checkQueueRef(top, qc, new QueueTarget(QueueTarget.Kind.QUEUE, m.queue()), names);
                }
            }
        }
        return out;
    }

    /**
     * One queue entry (a map with the keys of a {@code queues:} item); null, with the problems reported, when it
     * is invalid. {@code names} collects the names seen so far, so a duplicate is reported.
     */
    private QueueConfig queue(Fields q, Set<String> names, Map<String, YamlNode> moveNodes) {
        String name = q.requiredString("name");
        boolean nameOk = name != null && QueueConfig.NAME.matcher(name).matches();
        if (name != null && !nameOk) {
            q.invalid("name", "\"" + name + "\" (expected: 1-64 of a-z, 0-9, '-', '_')");
        } else if (name != null && !names.add(name)) {
            q.invalid("name", "\"" + name + "\" is used by two queues (expected: a unique name)");
            nameOk = false;
        }
        java.util.Map<String, Integer> skills = new java.util.LinkedHashMap<>();
        q.section("skills").ifPresent(s -> {
            for (String skill : s.map().keys()) {
                if (!QueueConfig.NAME.matcher(skill).matches()) {
                    s.invalid(skill, "skill name \"" + skill + "\" (expected: 1-64 of a-z, 0-9, '-', '_')");
                    s.node(skill);
                    continue;
                }
                skills.put(skill, s.integer(skill, 1, 1, 10));
            }
            s.finish();
        });
        int priority = q.integer("priority", 0, 0, 100);
        int slPct = 80;
        Duration slTime = Duration.ofSeconds(20);
        Fields sl = q.section("service_level").orElse(null);
        if (sl != null) {
            slPct = sl.integer("percent", slPct, 1, 100);
            slTime = sl.duration("within", slTime, Duration.ofSeconds(1), Duration.ofHours(1));
            sl.finish();
        }
        Duration maxWait = q.duration("max_wait", Duration.ofMinutes(3), Duration.ofSeconds(1), Duration.ofHours(4));
        int maxLength = q.integer("max_length", 100, 1, 1_000_000);
        Duration wrapUp = q.duration("wrap_up", Duration.ofSeconds(15), Duration.ZERO, Duration.ofHours(1));
        Duration ring = q.duration("ring_timeout", Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5));
        QueueConfig.Strategy strategy = q.choice("strategy", QueueConfig.Strategy.LONGEST_IDLE,
                QueueConfig.Strategy.class);
        QueueTarget onTimeout = notCallback(q, "on_timeout",
                target(q, "on_timeout", new QueueTarget(QueueTarget.Kind.HANGUP, "")),
                new QueueTarget(QueueTarget.Kind.HANGUP, ""));
        java.util.Map<Character, QueueTarget> exitKeys = new java.util.LinkedHashMap<>();
        q.section("exit_keys").ifPresent(keys -> {
            for (String key : keys.map().keys()) {
                if (key.length() != 1 || "0123456789*#".indexOf(key.charAt(0)) < 0) {
                    keys.invalid(key, "key \"" + key + "\" (expected: one of 0-9, * or #)");
                    keys.node(key);
                    continue;
                }
                QueueTarget t = target(keys, key, null);
                if (t != null) {
                    exitKeys.put(key.charAt(0), t);
                }
            }
            keys.finish();
        });
        List<dev.hotline.routing.EscalationStep> escalation = escalation(q, nameOk ? name : null, moveNodes);
        if (strategy == QueueConfig.Strategy.MOST_SKILLED && skills.isEmpty()) {
            // The routing core ranks on the first required skill: with none, it would refuse the queue.
            q.invalid("strategy", "most-skilled with no skills (expected: at least one skill under skills: to rank"
                    + " agents on, or another strategy)");
        }
        java.util.Optional<QueueConfig.CallbackOffer> offer = q.section("callback_offer")
                .flatMap(o -> callbackOffer(o, exitKeys));
        boolean record = q.bool("record", false);
        int targetPct = slPct;
        Duration targetTime = slTime;
        java.util.Optional<QueueConfig.Thresholds> wallboard = q.section("wallboard")
                .flatMap(w -> thresholds(w, targetPct, targetTime));
        java.util.Optional<RingNoAnswer> ringNoAnswer = ringNoAnswer(q);
        q.finish();
        if (!nameOk) {
            return null;
        }
        try {
            return new QueueConfig(name, skills, priority, slPct, slTime, maxWait, maxLength, wrapUp, ring,
                    strategy, onTimeout, exitKeys, escalation, offer, record, wallboard, ringNoAnswer);
        } catch (IllegalArgumentException e) {
            q.invalid("name", e.getMessage());
            return null;
        }
    }

    /**
     * {@code wallboard:} the thresholds that colour the queue's tile: {@code waiting}, {@code longest_wait},
     * {@code asa}, {@code abandoned_percent} each {@code {warn, alert}}, and {@code service_level_percent: {alert}}
     * (amber below the target, red below this). What is left out keeps its default.
     */
    private static java.util.Optional<QueueConfig.Thresholds> thresholds(Fields w, int slPct, Duration slTime) {
        QueueConfig.Thresholds d = QueueConfig.Thresholds.defaults(slPct, slTime);
        int[] waiting = {d.waitingWarn(), d.waitingAlert()};
        Duration[] longest = {d.longestWaitWarn(), d.longestWaitAlert()};
        Duration[] asa = {d.asaWarn(), d.asaAlert()};
        int[] abandoned = {d.abandonedWarnPct(), d.abandonedAlertPct()};
        int[] sl = {d.serviceLevelAlertPct()};
        w.section("waiting").ifPresent(f -> {
            waiting[0] = f.integer("warn", waiting[0], 1, 100_000);
            waiting[1] = f.integer("alert", waiting[1], 1, 100_000);
            warnBelowAlert(f, waiting[0], waiting[1]);
            f.finish();
        });
        w.section("longest_wait").ifPresent(f -> {
            longest[0] = f.duration("warn", longest[0], Duration.ofSeconds(1), Duration.ofHours(4));
            longest[1] = f.duration("alert", longest[1], Duration.ofSeconds(1), Duration.ofHours(4));
            warnBelowAlert(f, longest[0].toMillis(), longest[1].toMillis());
            f.finish();
        });
        w.section("asa").ifPresent(f -> {
            asa[0] = f.duration("warn", asa[0], Duration.ofSeconds(1), Duration.ofHours(4));
            asa[1] = f.duration("alert", asa[1], Duration.ofSeconds(1), Duration.ofHours(4));
            warnBelowAlert(f, asa[0].toMillis(), asa[1].toMillis());
            f.finish();
        });
        w.section("abandoned_percent").ifPresent(f -> {
            abandoned[0] = f.integer("warn", abandoned[0], 1, 100);
            abandoned[1] = f.integer("alert", abandoned[1], 1, 100);
            warnBelowAlert(f, abandoned[0], abandoned[1]);
            f.finish();
        });
        w.section("service_level_percent").ifPresent(f -> {
            sl[0] = f.integer("alert", sl[0], 1, 100);
            f.finish();
        });
        w.finish();
        try {
            return java.util.Optional.of(new QueueConfig.Thresholds(waiting[0], waiting[1], longest[0], longest[1],
                    asa[0], asa[1], abandoned[0], abandoned[1], sl[0]));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();   // already reported where written
        }
    }

    private static void warnBelowAlert(Fields f, long warn, long alert) {
        if (alert < warn) {
            f.invalid("alert", "below warn (expected: warn <= alert: amber first, then red)");
        }
    }

    /**
     * {@code callback_offer: {after_ewt: 120s, key: "2"}}: callers whose estimated wait is above {@code after_ewt}
     * hear an offer and may press {@code key}. The key may also be an {@code exit_keys} callback key, not another
     * exit.
     */
    private static java.util.Optional<QueueConfig.CallbackOffer> callbackOffer(Fields o,
                                                                            java.util.Map<Character, QueueTarget> exitKeys) {
        Duration after = o.duration("after_ewt", null, Duration.ZERO, Duration.ofHours(4));
        if (after == null && o.node("after_ewt") == null) {
            o.missing("after_ewt", "a duration such as 120s");
        }
        String key = o.string("key", null);
        if (key == null && o.node("key") == null) {
            o.missing("key", "one of 0-9, * or #, e.g. \"2\"");
        }
        boolean keyOk = key != null && key.length() == 1 && "0123456789*#".indexOf(key.charAt(0)) >= 0;
        if (key != null && !keyOk) {
            o.invalid("key", "\"" + key + "\" (expected: one of 0-9, * or #)");
        }
        if (keyOk) {
            QueueTarget taken = exitKeys.get(key.charAt(0));
            if (taken != null && taken.kind() != QueueTarget.Kind.CALLBACK) {
                o.invalid("key", "\"" + key + "\" is already the exit key to " + taken
                        + " (expected: a free key, or the queue's callback exit key)");
                keyOk = false;
            }
        }
        String prompt = o.string("prompt", QueueConfig.CallbackOffer.DEFAULT_PROMPT);
        if (!prompt.matches("[A-Za-z0-9][A-Za-z0-9_/.-]{0,127}")) {
            o.invalid("prompt", "\"" + prompt + "\" (expected: a sound file name without extension, e.g."
                    + " hotline/callback-offer)");
            prompt = QueueConfig.CallbackOffer.DEFAULT_PROMPT;
        }
        o.finish();
        if (after == null || !keyOk) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new QueueConfig.CallbackOffer(after, key.charAt(0), prompt));
    }

    private static void checkQueueRef(Fields top, QueueConfig from, QueueTarget t, Set<String> names) {
        if (t.kind() == QueueTarget.Kind.QUEUE && !names.contains(t.value())) {
            top.invalid("queues", "queue " + from.name() + " sends callers to unknown queue '" + t.value()
                    + "' (expected one of: " + String.join(", ", new java.util.TreeSet<>(names)) + ")");
        }
    }

    private static AcdConfig acd(Fields f) {
        AcdConfig d = AcdConfig.DEFAULTS;
        String context = f.string("connect_context", d.connectContext());
        if (!AcdConfig.CONTEXT.matcher(context).matches()) {
            f.invalid("connect_context", "\"" + context + "\" (expected: an Asterisk context name: letters, digits,"
                    + " '-', '_')");
            context = d.connectContext();
        }
        String moh = f.string("moh_class", d.mohClass());
        Duration announce = f.duration("announce_interval", d.announceInterval(), Duration.ZERO, Duration.ofHours(1));
        String dial = f.string("dial_options", d.dialOptions());
        if (!dial.matches("[A-Za-z()0-9^]*")) {
            f.invalid("dial_options", "\"" + dial + "\" (expected: Dial() option letters such as tT)");
            dial = d.dialOptions();
        }
        CallbackConfig callback = f.section("callback").map(ConfigLoader::callback).orElse(CallbackConfig.DEFAULTS);
        String transfer = context(f, "transfer_context", AcdConfig.DEFAULTS.transferContext());
        String spy = context(f, "spy_context", AcdConfig.DEFAULTS.spyContext());
        String survey = f.string("survey_script", "");
        if (!survey.isEmpty() && !survey.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            f.invalid("survey_script", "\"" + survey + "\" (expected: the id of an IVR script, e.g. survey)");
            survey = "";
        }
        CallerExperience experience = CallerExperience.NONE;
        Fields periodic = f.section("periodic_message").orElse(null);
        String prompt = "";
        Duration every = CallerExperience.NONE.periodicInterval();
        if (periodic != null) {
            prompt = periodic.requiredString("prompt");
            every = periodic.duration("every", every, Duration.ofSeconds(5), Duration.ofHours(1));
            periodic.finish();
        }
        experience = new CallerExperience(survey, prompt == null ? "" : prompt, every);
        RingNoAnswer ringNoAnswer = ringNoAnswer(f).orElse(RingNoAnswer.DEFAULT);
        Duration offerWait = f.duration("offer_wait", AcdConfig.DEFAULT_OFFER_WAIT, Duration.ZERO,
                AcdConfig.MAX_OFFER_WAIT);
        f.finish();
        return new AcdConfig(context, moh, announce, dial, callback, transfer, spy, experience, ringNoAnswer,
                offerWait);
    }

    /**
     * {@code ring_no_answer:} what happens to an agent who lets an offer ring out — {@code skip 20s} (stays ready,
     * offered nothing for that long), {@code pause 30s} (not ready "no answer", ready again after that long) or
     * {@code until_agent} (not ready until they act). Empty when not given (or wrong: then reported).
     */
    static java.util.Optional<RingNoAnswer> ringNoAnswer(Fields f) {
        String text = f.string("ring_no_answer", "").trim();
        if (text.isEmpty()) {
            return java.util.Optional.empty();
        }
        String expected = " (expected: skip <time>, pause <time> or until_agent, e.g. pause 30s)";
        String[] words = text.split("\\s+");
        String what = words[0];
        if (what.equals("until_agent") && words.length == 1) {
            return java.util.Optional.of(new RingNoAnswer.UntilAgent());
        }
        if (what.equals("skip") || what.equals("pause")) {
            if (words.length != 2) {
                f.invalid("ring_no_answer", "\"" + text + "\": " + what + " needs how long, from 1s to 1h" + expected);
                return java.util.Optional.empty();
            }
            Duration d = Fields.parseDuration(words[1]).orElse(null);
            if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
                f.invalid("ring_no_answer", "\"" + text + "\": \"" + words[1] + "\" is not a time from 1s to 1h"
                        + expected);
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(what.equals("skip") ? new RingNoAnswer.Skip(d) : new RingNoAnswer.Pause(d));
        }
        f.invalid("ring_no_answer", "\"" + text + "\"" + expected);
        return java.util.Optional.empty();
    }

    private static String context(Fields f, String key, String defaultValue) {
        String v = f.string(key, defaultValue);
        if (!AcdConfig.CONTEXT.matcher(v).matches()) {
            f.invalid(key, "\"" + v + "\" (expected: an Asterisk context name: letters, digits, '-', '_')");
            return defaultValue;
        }
        return v;
    }

    private static CallbackConfig callback(Fields f) {
        CallbackConfig d = CallbackConfig.DEFAULTS;
        String context = f.string("context", d.context());
        if (!AcdConfig.CONTEXT.matcher(context).matches()) {
            f.invalid("context", "\"" + context + "\" (expected: an Asterisk context name: letters, digits, '-', '_')");
            context = d.context();
        }
        String trunk = f.string("trunk", d.trunk());
        if (!trunk.contains("{number}") || !trunk.contains("/")) {
            f.invalid("trunk", "\"" + trunk + "\" (expected: a dial string containing {number}, e.g."
                    + " PJSIP/{number}@trunk)");
            trunk = d.trunk();
        }
        Duration ring = f.duration("customer_ring", d.customerRing(), Duration.ofSeconds(1), Duration.ofMinutes(5));
        int attempts = f.integer("max_attempts", d.maxAttempts(), 1, 20);
        Duration retry = f.duration("retry_delay", d.retryDelay(), Duration.ZERO, Duration.ofDays(1));
        String calendar = f.string("calendar", "");
        if (!calendar.isEmpty() && !calendar.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
            f.invalid("calendar", "\"" + calendar + "\" (expected: the name of a calendar file without .yaml)");
            calendar = "";
        }
        Duration overdue = f.duration("overdue_after", d.overdueAfter(), Duration.ZERO, Duration.ofDays(7));
        String cid = f.string("caller_id", d.callerIdNumber());
        if (!cid.matches("[0-9+*#]*")) {
            f.invalid("caller_id", "\"" + cid + "\" (expected: digits, optionally starting with +)");
            cid = d.callerIdNumber();
        }
        CallbackConfig.Mode mode = f.choice("mode", d.mode(), CallbackConfig.Mode.class);
        Duration recordName = f.duration("record_name", d.recordName(), Duration.ZERO, Duration.ofSeconds(30));
        String folder = f.string("name_folder", d.nameFolder());
        if (!CallbackConfig.FOLDER.matcher(folder).matches()) {
            f.invalid("name_folder", "\"" + folder + "\" (expected: a folder path of letters, digits, '-', '_', '.',"
                    + " '/', e.g. hotline-callback-names)");
            folder = d.nameFolder();
        }
        Duration ownerFirst = f.duration("owner_first_for", d.ownerFirstFor(), Duration.ZERO, Duration.ofDays(1));
        f.finish();
        return new CallbackConfig(context, trunk, ring, attempts, retry,
                calendar.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(calendar), overdue, cid,
                mode, recordName, folder, ownerFirst);
    }

    private static GatewayConfig gateway(Fields f) {
        GatewayConfig d = GatewayConfig.DEFAULTS;
        String bind = f.string("bind", d.bind());
        if (!bind.equals("localhost")) {
            try {
                Cidr.parse(bind);
            } catch (IllegalArgumentException e) {
                f.invalid("bind", "\"" + bind + "\" (expected: an IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0)");
                bind = d.bind();
            }
        }
        int port = f.integer("port", d.port(), 1, 65535);
        Duration ttl = f.duration("token_ttl", d.tokenTtl(), Duration.ofMinutes(1), Duration.ofDays(7));
        String cert = f.string("tls_cert", "");
        String key = f.string("tls_key", "");
        if (cert.isBlank() != key.isBlank()) {
            f.invalid(cert.isBlank() ? "tls_key" : "tls_cert", "given alone (expected: tls_cert and tls_key together,"
                    + " or neither for plain HTTP)");
            cert = "";
            key = "";
        }
        Path users = Path.of(f.string("users", d.usersFile().toString()));
        Path audit = Path.of(f.string("audit_log", d.auditFile().toString()));
        List<String> reasons = f.strings("not_ready_reasons", d.notReadyReasons(),
                r -> REASON.matcher(r).matches() ? null : "a reason code: 1-32 of a-z, 0-9, '-', '_'");
        if (reasons.isEmpty()) {
            f.invalid("not_ready_reasons", "an empty list (expected: at least one reason code, e.g. break)");
            reasons = d.notReadyReasons();
        }
        List<String> dispositions = f.strings("disposition_codes", d.dispositionCodes(),
                r -> REASON.matcher(r).matches() ? null : "a disposition code: 1-32 of a-z, 0-9, '-', '_'");
        if (dispositions.isEmpty()) {
            f.invalid("disposition_codes", "an empty list (expected: at least one code, e.g. inquiry)");
            dispositions = d.dispositionCodes();
        } else {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String code : dispositions) {
                if (!seen.add(code)) {
                    f.invalid("disposition_codes", "\"" + code + "\" is listed twice (expected: each code once)");
                    dispositions = d.dispositionCodes();
                    break;
                }
            }
        }
        GatewayConfig.Phones phones = f.section("phones").map(ConfigLoader::phones).orElse(GatewayConfig.Phones.NONE);
        GatewayLimits limits = f.section("limits").map(ConfigLoader::gatewayLimits).orElse(d.limits());
        LoginLimits login = f.section("login").map(ConfigLoader::loginLimits).orElse(d.login());
        List<String> origins = f.strings("allowed_origins", d.allowedOrigins(), ConfigLoader::originProblem);
        f.finish();
        return new GatewayConfig(bind, port, ttl, cert.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(cert)), key.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(key)), users, audit, reasons, dispositions, phones, limits, login,
                origins);
    }

    private static GatewayLimits gatewayLimits(Fields f) {
        GatewayLimits d = GatewayLimits.DEFAULTS;
        int total = f.integer("max_connections", d.maxConnections(), 16, 1_000_000);
        int perAddress = f.integer("max_connections_per_address", d.maxConnectionsPerAddress(), 1, 1_000_000);
        if (perAddress > total) {
            f.invalid("max_connections_per_address", perAddress + " (expected: at most max_connections, " + total
                    + ")");
            perAddress = total;
        }
        int reserved = f.integer("reserved_files", d.reservedFiles(), 64, 1_000_000);
        Duration head = f.duration("request_head_timeout", d.requestHeadTimeout(), Duration.ofMillis(100),
                Duration.ofMinutes(10));
        Duration keepAlive = f.duration("keep_alive_timeout", d.keepAliveTimeout(), Duration.ofSeconds(1),
                Duration.ofHours(1));
        Duration ping = f.duration("websocket_ping_interval", d.webSocketPingInterval(), Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        Duration pong = f.duration("websocket_pong_timeout", d.webSocketPongTimeout(), Duration.ofSeconds(1),
                Duration.ofMinutes(30));
        f.finish();
        return new GatewayLimits(total, perAddress, reserved, head, keepAlive, ping, pong);
    }

    private static LoginLimits loginLimits(Fields f) {
        LoginLimits d = LoginLimits.DEFAULTS;
        int threads = f.integer("hash_threads", d.hashThreads(), 0, 256);
        int queue = f.integer("hash_queue", d.hashQueue(), 1, 100_000);
        LoginLimits.Rate perAddress = f.section("per_address").map(r -> rate(r, d.perAddress()))
                .orElse(d.perAddress());
        LoginLimits.Rate global = f.section("global").map(r -> rate(r, d.global())).orElse(d.global());
        int sprayUsernames = d.sprayUsernames();
        Duration sprayWindow = d.sprayWindow();
        Duration sprayLockout = d.sprayLockout();
        Fields spray = f.section("spraying").orElse(null);
        if (spray != null) {
            sprayUsernames = spray.integer("usernames", sprayUsernames, 2, 10_000);
            sprayWindow = spray.duration("within", sprayWindow, Duration.ofSeconds(1), Duration.ofDays(1));
            sprayLockout = spray.duration("lockout", sprayLockout, Duration.ofSeconds(1), Duration.ofDays(1));
            spray.finish();
        }
        int maxFailures = f.integer("max_failures", d.maxFailures(), 1, 1_000);
        Duration lockout = f.duration("lockout", d.lockout(), Duration.ofSeconds(1), Duration.ofDays(1));
        f.finish();
        return new LoginLimits(threads, queue, perAddress, global, sprayUsernames, sprayWindow, sprayLockout,
                maxFailures, lockout);
    }

    private static LoginLimits.Rate rate(Fields f, LoginLimits.Rate d) {
        int burst = f.integer("burst", d.burst(), 1, 1_000_000);
        int perMinute = f.integer("per_minute", d.perMinute(), 1, 1_000_000);
        f.finish();
        return new LoginLimits.Rate(burst, perMinute);
    }

    /** An origin as browsers send it: scheme, host and optional port, nothing else. */
    private static String originProblem(String s) {
        return s.matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:\\d{1,5})?") ? null
                : "an origin such as https://wallboard.example.com or http://10.0.0.5:8080 (scheme, host and port"
                + " only, no path or trailing slash)";
    }

    private static GatewayConfig.Phones phones(Fields f) {
        String ws = f.string("webrtc_websocket", "");
        if (!ws.isEmpty() && !ws.matches("wss?://[^\\s/]+(/\\S*)?")) {
            f.invalid("webrtc_websocket", "\"" + ws + "\" (expected: Asterisk's WebSocket as wss://host:port/path,"
                    + " e.g. wss://pbx.example.com:8089/ws, or empty for no browser phone)");
            ws = "";
        }
        String domain = f.string("webrtc_domain", "");
        if (!domain.isEmpty() && !domain.matches("[A-Za-z0-9.-]{1,253}")) {
            f.invalid("webrtc_domain", "\"" + domain + "\" (expected: a host name such as pbx.example.com)");
            domain = "";
        }
        List<String> supervisors = f.strings("supervisor_phones", List.of(),
                p -> AgentConfig.ENDPOINT.matcher(p).matches() ? null : "a phone as TECH/resource, e.g. PJSIP/2001");
        f.finish();
        return new GatewayConfig.Phones(ws, domain, supervisors.stream()
                .filter(p -> AgentConfig.ENDPOINT.matcher(p).matches()).toList());
    }

    /** {@code callback} needs a caller who can press keys: it is only an exit-key target. */
    private static QueueTarget notCallback(Fields f, String key, QueueTarget t, QueueTarget defaultValue) {
        if (t != null && t.kind() == QueueTarget.Kind.CALLBACK) {
            f.invalid(key, "\"callback\" is only allowed as an exit_keys target (expected: voicemail:BOX,"
                    + " transfer:TARGET, queue:NAME or hangup)");
            return defaultValue;
        }
        return t;
    }

    private static QueueTarget target(Fields f, String key, QueueTarget defaultValue) {
        String text = f.string(key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return QueueTarget.parse(text);
        } catch (IllegalArgumentException e) {
            f.invalid(key, e.getMessage());
            return defaultValue;
        }
    }

    /**
     * Escalation steps, each a map with {@code after} and one action: {@code lower_min_level: {skill, level}},
     * {@code add_skill: {skill, level}}, {@code raise_priority: N}, {@code move_to: QUEUE},
     * or {@code exit: TARGET}. (Offering a callback comes with the callbacks feature.)
     */
    private static List<dev.hotline.routing.EscalationStep> escalation(Fields q, String queueName,
                                                                       Map<String, YamlNode> moveNodes) {
        List<dev.hotline.routing.EscalationStep> out = new ArrayList<>();
        for (Fields step : q.sections("escalation")) {
            Duration after = step.duration("after", null, Duration.ZERO, Duration.ofHours(4));
            if (after == null && step.node("after") == null) {
                step.missing("after", "a duration such as 30s");
            }
            List<String> actions = new ArrayList<>();
            for (String a : List.of("lower_min_level", "add_skill", "raise_priority", "move_to", "exit")) {
                if (step.has(a)) {
                    actions.add(a);
                }
            }
            if (actions.size() != 1) {
                step.invalid(actions.isEmpty() ? "after" : actions.get(1), (actions.isEmpty() ? "no action" : "two actions "
                        + actions) + " (expected: exactly one of lower_min_level, add_skill, raise_priority, move_to,"
                        + " exit)");
                step.finish();
                continue;
            }
            Duration at = after == null ? Duration.ZERO : after;
            switch (actions.get(0)) {
                case "lower_min_level", "add_skill" -> step.section(actions.get(0)).ifPresent(s -> {
                    String skill = s.requiredString("skill");
                    if (skill != null && !QueueConfig.NAME.matcher(skill).matches()) {
                        s.invalid("skill", "\"" + skill + "\" (expected: a skill name: 1-64 of a-z, 0-9, '-', '_')");
                        skill = null;
                    }
                    int level = s.integer("level", 1, 1, 10);
                    s.finish();
                    if (skill != null) {
                        out.add(actions.get(0).equals("add_skill")
                                ? new dev.hotline.routing.EscalationStep.AddSkill(at, skill, level)
                                : new dev.hotline.routing.EscalationStep.LowerMinLevel(at, skill, level));
                    }
                });
                case "raise_priority" -> out.add(new dev.hotline.routing.EscalationStep.RaisePriority(at,
                        step.integer("raise_priority", 1, 1, 100)));
                case "move_to" -> {
                    String queue = step.string("move_to", "");
                    if (queue.equals(queueName)) {
                        step.invalid("move_to", "\"" + queue + "\" is this queue (expected: another queue to move"
                                + " waiting calls to)");
                    } else {
                        String target = queue.isBlank() ? "?" : queue;   // "?": reported as an unknown queue
                        out.add(new dev.hotline.routing.EscalationStep.MoveToQueue(at, target));
                        moveNodes.putIfAbsent(target, step.node("move_to"));
                    }
                }
                default -> {
                    QueueTarget t = notCallback(step, "exit", target(step, "exit", null), null);
                    if (t != null) {
                        out.add(new dev.hotline.routing.EscalationStep.Exit(at, t.toString()));
                    }
                }
            }
            step.finish();
        }
        return out;
    }

    private DatabaseConfig database(Fields f, Path baseDir) {
        DatabaseConfig d = DatabaseConfig.DEFAULTS;
        DatabaseConfig.Kind kind = f.choice("kind", d.kind(), DatabaseConfig.Kind.class);
        Path dataDir = Path.of(f.string("data_dir", d.dataDir().toString()));
        String url = f.string("url", "");
        String user = f.string("username", "");
        var password = f.secret("password");
        int pool = f.integer("pool_size", d.poolSize(), 1, 200);
        if (kind == DatabaseConfig.Kind.MARIADB && (url == null || !url.startsWith("jdbc:mariadb:"))) {
            f.invalid("url", (url == null || url.isEmpty() ? "missing" : "\"" + url + "\"")
                    + " (expected: jdbc:mariadb://host:port/database when kind is mariadb)");
            url = "jdbc:mariadb://invalid";
        }
        f.finish();
        return new DatabaseConfig(kind, dataDir, url == null ? "" : url, user == null ? "" : user, password, pool);
    }

    /**
     * Reads the agents seed file ({@code agents:} list). Every problem is reported with its line, as for the
     * main file; an absent file means no agents.
     */
    public List<AgentConfig> loadAgents(Path file) throws ConfigException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String name = file.toString();
        YamlNode root;
        try {
            root = YamlTreeReader.read(file, name);
        } catch (IOException e) {
            throw new ConfigException(List.of(YamlProblem.error(new YamlLocation(name, 1, 1), "",
                    "cannot read file: " + e.getMessage())));
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(e.problem()));
        }
        Problems problems = new Problems();
        Fields top = Fields.of(root, problems, env);
        List<AgentConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Fields a : top.sections("agents")) {
            AgentConfig agent = agent(a, ids);
            if (agent != null) {
                out.add(agent);
            }
        }
        top.finish();
        if (problems.hasErrors()) {
            throw new ConfigException(problems.sorted());
        }
        return List.copyOf(out);
    }

    /**
     * One agent entry (a map with the keys of an {@code agents:} item); null, with the problems reported, when it
     * is invalid. {@code ids} collects the work numbers seen so far, so a duplicate is reported.
     */
    private AgentConfig agent(Fields a, Set<String> ids) {
        String id = a.requiredString("id");
        boolean ok = id != null && AgentConfig.ID.matcher(id).matches();
        if (id != null && !ok) {
            a.invalid("id", "\"" + id + "\" (expected: a work number: 1-32 of letters, digits, '.', '-', '_')");
        } else if (id != null && !ids.add(id)) {
            a.invalid("id", "\"" + id + "\" is used by two agents (expected: a unique work number)");
            ok = false;
        }
        String displayName = a.string("name", id == null ? "" : id);
        List<String> endpoints = new ArrayList<>();
        if (a.has("endpoint")) {
            endpoints.add(a.string("endpoint", ""));
        }
        endpoints.addAll(a.strings("endpoints", List.of(), v -> AgentConfig.ENDPOINT.matcher(v).matches() ? null
                : "an Asterisk endpoint such as PJSIP/1001"));
        for (String e : endpoints) {
            if (!AgentConfig.ENDPOINT.matcher(e).matches()) {
                a.invalid("endpoint", "\"" + e + "\" (expected: an Asterisk endpoint such as PJSIP/1001)");
                ok = false;
            }
        }
        if (endpoints.isEmpty()) {
            a.missing("endpoint", "where to ring the agent, e.g. PJSIP/" + (id == null ? "1001" : id));
            ok = false;
        }
        java.util.Map<String, Integer> skills = new java.util.LinkedHashMap<>();
        a.section("skills").ifPresent(sk -> {
            for (String skill : sk.map().keys()) {
                skills.put(skill, sk.integer(skill, 1, 1, 10));
            }
            sk.finish();
        });
        List<String> teams = a.strings("teams", List.of(), v -> null);
        String site = a.string("site", "");
        List<String> languages = a.strings("languages", List.of(), v -> null);
        List<String> queues = a.strings("queues", List.of(), v -> QueueConfig.NAME.matcher(v).matches() ? null
                : "a queue name: 1-64 of a-z, 0-9, '-', '_'");
        a.finish();
        if (!ok) {
            return null;
        }
        return new AgentConfig(id, displayName, endpoints, skills, Set.copyOf(teams), site,
                Set.copyOf(languages), Set.copyOf(queues));
    }

    /**
     * One agent definition written with the keys of an {@code agents.yaml} entry, as YAML or JSON text (the admin
     * API's body), validated exactly as the file is. Problems name {@code sourceName}, the line and column, the key
     * path and what is expected.
     */
    public AgentConfig parseAgent(String text, String sourceName) throws ConfigException {
        YamlNode root = parseEntry(text, sourceName);
        Problems problems = new Problems();
        AgentConfig agent = agent(Fields.of(root, problems, env), new HashSet<>());
        if (problems.hasErrors() || agent == null) {
            throw new ConfigException(problems.sorted());
        }
        return agent;
    }

    /**
     * One queue definition written with the keys of a {@code queues:} item of hotline.yaml, as YAML or JSON text,
     * validated exactly as the file is; {@code knownQueues} are the queues it may send callers to (exit keys,
     * timeout, escalation moves).
     */
    public QueueConfig parseQueue(String text, String sourceName, Set<String> knownQueues) throws ConfigException {
        Map<String, QueueConfig> known = new java.util.HashMap<>();
        knownQueues.forEach(n -> known.put(n, null));
        return parseQueue(text, sourceName, known);
    }

    /**
     * {@link #parseQueue(String, String, Set)} against the queues as now defined ({@code knownQueues}, by name; a null
     * value stands for a queue whose escalation is unknown): an escalation move that would lead back to this queue
     * through theirs is refused too.
     */
    public QueueConfig parseQueue(String text, String sourceName, Map<String, QueueConfig> knownQueues)
            throws ConfigException {
        YamlNode root = parseEntry(text, sourceName);
        Problems problems = new Problems();
        Fields fields = Fields.of(root, problems, env);
        Map<String, YamlNode> moveNodes = new java.util.LinkedHashMap<>();
        QueueConfig queue = queue(fields, new HashSet<>(), moveNodes);
        if (queue != null) {
            Map<String, List<String>> graph = new java.util.HashMap<>();
            knownQueues.forEach((n, q) -> graph.put(n, q == null ? List.of() : moveTargets(q)));
            graph.put(queue.name(), moveTargets(queue));
            for (String target : moveTargets(queue)) {
                List<String> cycle = pathBack(queue.name(), target, graph);
                if (!cycle.isEmpty()) {
                    reportCycle(problems, moveNodes.get(target), cycle);
                    break;
                }
            }
            Set<String> names = new java.util.TreeSet<>(knownQueues.keySet());
            names.add(queue.name());
            queue.exitKeys().forEach((key, t) -> checkQueueRef(fields, "exit_keys", queue, t, names));
            checkQueueRef(fields, "on_timeout", queue, queue.onTimeout(), names);
            for (dev.hotline.routing.EscalationStep step : queue.escalation()) {
                if (step instanceof dev.hotline.routing.EscalationStep.MoveToQueue m) {
                    checkQueueRef(fields, "escalation", queue, new QueueTarget(QueueTarget.Kind.QUEUE, m.queue()),
                            names);
                }
            }
        }
        if (problems.hasErrors() || queue == null) {
            throw new ConfigException(problems.sorted());
        }
        return queue;
    }

    /** The queues {@code q}'s escalation moves calls to, in step order, each once. */
    public static List<String> moveTargets(QueueConfig q) {
        return q.escalation().stream().filter(s -> s instanceof dev.hotline.routing.EscalationStep.MoveToQueue)
                .map(s -> ((dev.hotline.routing.EscalationStep.MoveToQueue) s).queue()).distinct().toList();
    }

    /**
     * The way back to {@code from} when its calls move to {@code target}: {@code [from, target, …, from]}, or empty
     * when {@code target}'s moves (followed through {@code moves}) never reach {@code from}.
     */
    static List<String> pathBack(String from, String target, Map<String, List<String>> moves) {
        java.util.Deque<List<String>> todo = new java.util.ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(List.of(from, target));
        while (!todo.isEmpty()) {
            List<String> path = todo.poll();
            String last = path.getLast();
            if (last.equals(from)) {
                return path;
            }
            if (!seen.add(last)) {
                continue;
            }
            for (String next : moves.getOrDefault(last, List.of())) {
                List<String> longer = new ArrayList<>(path);
                longer.add(next);
                todo.add(longer);
            }
        }
        return List.of();
    }

    /** Whether calls moved from {@code from} to {@code target} could come back to {@code from} through {@code moves}. */
    public static boolean leadsBack(String from, String target, Map<String, List<String>> moves) {
        return !pathBack(from, target, moves).isEmpty();
    }

    private static void reportCycle(Problems problems, YamlNode at, List<String> cycle) {
        problems.error(at, "\"" + cycle.get(1) + "\" leads back to " + cycle.getFirst() + " ("
                + String.join(" → ", cycle) + "; expected: moves that never return to a queue they left)");
    }

    private static YamlNode parseEntry(String text, String sourceName) throws ConfigException {
        try {
            return YamlTreeReader.parse(text, sourceName);
        } catch (YamlSyntaxException e) {
            throw new ConfigException(List.of(e.problem()));
        }
    }

    private static void checkQueueRef(Fields f, String key, QueueConfig from, QueueTarget t, Set<String> names) {
        if (t.kind() == QueueTarget.Kind.QUEUE && !names.contains(t.value())) {
            f.invalid(key, "queue " + from.name() + " sends callers to unknown queue '" + t.value()
                    + "' (expected one of: " + String.join(", ", new java.util.TreeSet<>(names)) + ")");
        }
    }

    /** True when {@code file} exists; used by the CLI to fall back to built-in defaults for the default path. */
    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
