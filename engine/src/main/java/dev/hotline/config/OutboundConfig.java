package dev.hotline.config;

import dev.hotline.routing.BlendRule;
import dev.hotline.yaml.Fields;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbound dialler (section {@code outbound:} of hotline.yaml; docs/OUTBOUND.md). Campaigns themselves live in
 * the database; this is how the engine dials them and the defaults a new campaign starts from.
 *
 * @param enabled        false: this engine runs no dialler (campaigns stay in the database, untouched)
 * @param context        the dialplan context an answered customer channel enters; it must run
 *                       {@code AGI(agi://<hotline>:4573/outbound?call=${EXTEN})}
 * @param trunk          dial string of a customer, {@code {number}} replaced by the digits; empty: {@code
 *                       acd.callback.trunk}
 * @param customerRing   how long a customer's phone rings; empty: {@code acd.callback.customer_ring}
 * @param priority       the priority of outbound calls in the routing core
 * @param abandonAfter   a person who answered a predictive call and has no agent within this is abandoned: they hear
 *                       {@code hotline/outbound-abandoned} and the attempt is recorded {@code abandoned}
 * @param previewTimeout a preview neither dialled nor skipped within this goes back to the list
 * @param abandonCapPct  a new campaign's abandon cap, percent of live answers over {@code pacing.window}
 * @param amd            whether a new campaign runs Asterisk's {@code AMD()} on answered calls
 * @param machineAction  what a new campaign does on a machine: {@code retry} (hang up) or {@code message}
 * @param pacing         the predictive pacer's measurements and limits
 * @param blending       how agents holding inbound and outbound skills share their time ({@link BlendRule})
 */
public record OutboundConfig(boolean enabled, String context, Optional<String> trunk, Optional<Duration> customerRing,
                             int priority, Duration abandonAfter, Duration previewTimeout, double abandonCapPct,
                             boolean amd, MachineAction machineAction, Pacing pacing, BlendRule blending) {

    /** {@code outbound.machine_action}. */
    public enum MachineAction {
        RETRY, MESSAGE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code outbound.pacing}: see {@code outbound.Pacer}.
     *
     * @param window            the rolling window of the answer, handle and abandon rates (and so of the cap)
     * @param minSamples        attempts before the measured answer rate replaces {@code initialAnswerRate}
     * @param initialAnswerRate the answer rate assumed at a campaign's start (above 0, at most 1)
     * @param brake             the fraction of the cap at which the pace is fully progressive (above 0.5, at most 1)
     * @param maxRatio          never more calls in flight than this per available agent (1 to 10)
     */
    public record Pacing(Duration window, int minSamples, double initialAnswerRate, double brake, double maxRatio) {

        public static final Pacing DEFAULTS = new Pacing(Duration.ofHours(1), 30, 0.3, 0.7, 5);

        public Pacing {
            Objects.requireNonNull(window, "window");
        }
    }

    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(1);

    public static final OutboundConfig DEFAULTS = new OutboundConfig(true, "hotline-outbound", Optional.empty(),
            Optional.empty(), 0, Duration.ofSeconds(2), Duration.ofMinutes(2), 3.0, true, MachineAction.RETRY,
            Pacing.DEFAULTS, BlendRule.DEFAULT);

    public OutboundConfig {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(customerRing, "customerRing");
        Objects.requireNonNull(abandonAfter, "abandonAfter");
        Objects.requireNonNull(previewTimeout, "previewTimeout");
        Objects.requireNonNull(machineAction, "machineAction");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(blending, "blending");
        trunk.ifPresent(t -> {
            if (!validTrunk(t)) {
                throw new IllegalArgumentException("outbound.trunk: '" + t + "' (expected: a dial string with"
                        + " {number}, e.g. PJSIP/{number}@trunk)");
            }
        });
    }

    static boolean validTrunk(String t) {
        return t.contains("{number}") && t.contains("/");
    }

    /** The same settings, on or off. */
    public OutboundConfig withEnabled(boolean on) {
        return new OutboundConfig(on, context, trunk, customerRing, priority, abandonAfter, previewTimeout,
                abandonCapPct, amd, machineAction, pacing, blending);
    }

    /** The same settings with another trunk. */
    public OutboundConfig withTrunk(String newTrunk) {
        return new OutboundConfig(enabled, context, Optional.of(newTrunk), customerRing, priority, abandonAfter,
                previewTimeout, abandonCapPct, amd, machineAction, pacing, blending);
    }

    /** The same settings with another blending rule.
    public OutboundConfig withBlending(BlendRule rule) {
        return new OutboundConfig(enabled, context, trunk, customerRing, priority, abandonAfter, previewTimeout,
                abandonCapPct, amd, machineAction, pacing, rule);
    }

    /** Reads the {@code outbound:} section; every problem goes to the file's problem list with its line. */
    static OutboundConfig read(Fields f) {
        OutboundConfig d = DEFAULTS;
        boolean enabled = f.bool("enabled", d.enabled());
        String context = f.string("context", d.context());
        if (!AcdConfig.CONTEXT.matcher(context).matches()) {
            f.invalid("context", "\"" + context + "\" (expected: an Asterisk context name: letters, digits, '-', '_')");
            context = d.context();
        }
        Optional<String> trunk = Optional.of(f.string("trunk", "")).filter(t -> !t.isEmpty());
        if (trunk.isPresent() && !validTrunk(trunk.get())) {
            f.invalid("trunk", "\"" + trunk.get() + "\" (expected: a dial string containing {number}, e.g."
                    + " PJSIP/{number}@trunk; leave it out to use acd.callback.trunk)");
            trunk = Optional.empty();
        }
        Optional<Duration> ring = f.has("customer_ring")
                ? Optional.of(f.duration("customer_ring", Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofMinutes(5))) : Optional.empty();
        int priority = f.integer("priority", d.priority(), 0, 1_000_000);
        Duration abandonAfter = f.duration("abandon_after", d.abandonAfter(), Duration.ofMillis(500),
                Duration.ofSeconds(10));
        Duration previewTimeout = f.duration("preview_timeout", d.previewTimeout(), Duration.ofSeconds(10),
                Duration.ofHours(1));
        double cap = f.decimal("abandon_cap", d.abandonCapPct(), 0.1, 50);
        boolean amd = f.bool("amd", d.amd());
        MachineAction machine = f.choice("machine_action", d.machineAction(), MachineAction.class);
        Pacing pacing = f.section("pacing").map(OutboundConfig::pacing).orElse(d.pacing());
        BlendRule blending = f.section("blending").map(OutboundConfig::blending).orElse(d.blending());
        f.finish();
        return new OutboundConfig(enabled, context, trunk, ring, priority, abandonAfter, previewTimeout, cap, amd,
                machine, pacing, blending);
    }

    private static Pacing pacing(Fields f) {
        Pacing d = Pacing.DEFAULTS;
        Duration window = f.duration("window", d.window(), MIN_WINDOW, MAX_WINDOW);
        int minSamples = f.integer("min_samples", d.minSamples(), 1, 10_000);
        double initial = f.decimal("initial_answer_rate", d.initialAnswerRate(), 0.01, 1);
        double brake = f.decimal("brake", d.brake(), 0.51, 1);
        double maxRatio = f.decimal("max_ratio", d.maxRatio(), 1, 10);
        f.finish();
        return new Pacing(window, minSamples, initial, brake, maxRatio);
    }

    private static BlendRule blending(Fields f) {
        BlendRule d = BlendRule.DEFAULT;
        BlendRule.Mode rule = f.choice("rule", d.mode(), BlendRule.Mode.class);
        Duration window = f.duration("window", d.window(), MIN_WINDOW, MAX_WINDOW);
        int minCalls = f.integer("min_calls", d.minCalls(), 1, 100_000);
        f.finish();
        return new BlendRule(rule, window, minCalls);
    }
}
