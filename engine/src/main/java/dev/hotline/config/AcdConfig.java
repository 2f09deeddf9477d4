package dev.hotline.config;

import dev.hotline.routing.RingNoAnswer;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How waiting callers are handled and connected (section {@code acd:} of hotline.yaml).
 *
 * @param connectContext   Asterisk context a waiting caller is redirected into when an agent is assigned; its
 *                         extension is the call id, and it runs {@code AGI(agi://hotline/connect?call=${EXTEN})}
 * @param mohClass         music-on-hold class played while waiting (empty: Asterisk's default)
 * @param announceInterval how often a waiting caller hears position and estimated wait (0s: never)
 * @param transferContext Asterisk context an agent's blind transfer sends the caller to ({@code <context>,<target>,1})
 * @param spyContext      context a supervisor's phone is originated into for listen / whisper / barge; extension
 *                        {@code listen|whisper|barge}, channel variable {@code SPY_TARGET} = the agent's endpoint
 * @param dialOptions      options added to {@code Dial()} when ringing an agent (e.g. {@code tT} lets both
 *                         sides transfer)
 * @param callback         callbacks: where and how customers are called back
 * @param experience       after-call survey and periodic messages
 * @param ringNoAnswer     what happens to an agent whose phone rings out
 * @param offerWait        how long a caller the routing core queued waits for an offer before hold music starts
 *                         (an agent freed meanwhile is dialled in the same session, no redirect); 0s: music at once
 */
public record AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions,
                        CallbackConfig callback, String transferContext, String spyContext,
                        CallerExperience experience, RingNoAnswer ringNoAnswer, Duration offerWait) {

    /** {@code acd.offer_wait} by default. */
    public static final Duration DEFAULT_OFFER_WAIT = Duration.ofMillis(5);
    /** The longest {@code acd.offer_wait}: silence before the music must stay short. */
    public static final Duration MAX_OFFER_WAIT = Duration.ofMillis(500);

    /** Settings with the default offer wait. */
    public AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions,
                     CallbackConfig callback, String transferContext, String spyContext,
                     CallerExperience experience, RingNoAnswer ringNoAnswer) {
        this(connectContext, mohClass, announceInterval, dialOptions, callback, transferContext, spyContext,
                experience, ringNoAnswer, DEFAULT_OFFER_WAIT);
    }

    public static final Pattern CONTEXT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,79}");
    public static final AcdConfig DEFAULTS = new AcdConfig("hotline-connect", "default", Duration.ofSeconds(30), "",
            CallbackConfig.DEFAULTS, "hotline-transfer", "hotline-spy", CallerExperience.NONE, RingNoAnswer.DEFAULT);

    /** Settings with the default ring-no-answer policy ({@link RingNoAnswer#DEFAULT}). */
    public AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions,
                     CallbackConfig callback, String transferContext, String spyContext,
                     CallerExperience experience) {
        this(connectContext, mohClass, announceInterval, dialOptions, callback, transferContext, spyContext,
                experience, RingNoAnswer.DEFAULT);
    }

    /** Settings with the default callback section and contexts. */
    public AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions) {
        this(connectContext, mohClass, announceInterval, dialOptions, CallbackConfig.DEFAULTS);
    }

    /** Settings with the default transfer and spy contexts. */
    public AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions,
                     CallbackConfig callback) {
        this(connectContext, mohClass, announceInterval, dialOptions, callback, "hotline-transfer", "hotline-spy");
    }

    /** Settings with no survey and no periodic message. */
    public AcdConfig(String connectContext, String mohClass, Duration announceInterval, String dialOptions,
                     CallbackConfig callback, String transferContext, String spyContext) {
        this(connectContext, mohClass, announceInterval, dialOptions, callback, transferContext, spyContext,
                CallerExperience.NONE);
    }

    public AcdConfig withAnnounceInterval(Duration interval) {
        return new AcdConfig(connectContext, mohClass, interval, dialOptions, callback, transferContext, spyContext,
                experience, ringNoAnswer, offerWait);
    }

    public AcdConfig withCallback(CallbackConfig newCallback) {
        return new AcdConfig(connectContext, mohClass, announceInterval, dialOptions, newCallback, transferContext,
                spyContext, experience, ringNoAnswer, offerWait);
    }

    public AcdConfig withRingNoAnswer(RingNoAnswer policy) {
        return new AcdConfig(connectContext, mohClass, announceInterval, dialOptions, callback, transferContext,
                spyContext, experience, policy, offerWait);
    }

    public AcdConfig withOfferWait(Duration wait) {
        return new AcdConfig(connectContext, mohClass, announceInterval, dialOptions, callback, transferContext,
                spyContext, experience, ringNoAnswer, wait);
    }

    public AcdConfig {
        Objects.requireNonNull(connectContext, "connectContext");
        if (!CONTEXT.matcher(connectContext).matches()) {
            throw new IllegalArgumentException("connectContext: '" + connectContext
                    + "' (expected: letters, digits, '-', '_')");
        }
        Objects.requireNonNull(mohClass, "mohClass");
        Objects.requireNonNull(announceInterval, "announceInterval");
        Objects.requireNonNull(dialOptions, "dialOptions");
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(experience, "experience");
        Objects.requireNonNull(ringNoAnswer, "ringNoAnswer");
        Objects.requireNonNull(offerWait, "offerWait");
        if (offerWait.isNegative() || offerWait.compareTo(MAX_OFFER_WAIT) > 0) {
            throw new IllegalArgumentException("offerWait: " + offerWait.toMillis() + " ms (expected: 0 to "
                    + MAX_OFFER_WAIT.toMillis() + " ms)");
        }
        for (String c : new String[] {transferContext, spyContext}) {
            if (c == null || !CONTEXT.matcher(c).matches()) {
                throw new IllegalArgumentException("context: '" + c + "' (expected: letters, digits, '-', '_')");
            }
        }
    }
}
