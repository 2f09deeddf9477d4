package dev.hotline.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One ACD queue as configured (an entry of {@code queues:} in hotline.yaml). The routing core builds its own
 * queue model from these.
 *
 * @param name              unique name used by IVR {@code queue} nodes and reports (e.g. {@code support})
 * @param skills            required skills and the minimum proficiency (1–10) an agent needs in each
 * @param priority          default priority of a call (higher is served first)
 * @param serviceLevelPct   service-level target: this percentage of calls …
 * @param serviceLevelTime  … answered within this time
 * @param maxWait           longest a caller waits before the timeout treatment
 * @param maxLength         most callers waiting at once; further callers get the queue-full treatment
 * @param wrapUp            after-call work time before the agent is offered another call
 * @param ringTimeout       how long an agent's phone rings before the offer is withdrawn
 * @param strategy          how an agent is chosen among the eligible ones
 * @param onTimeout         where a caller goes after {@code maxWait} (the timeout treatment)
 * @param exitKeys          keys a waiting caller may press, and where each takes them
 * @param escalation        steps applied as a call waits (relax a skill level, raise priority, …), in order
 * @param callbackOffer     offer a callback to callers whose estimated wait is long (see docs/CALLBACKS.md)
 * @param record            record the conversation (Asterisk MixMonitor, from the moment the agent answers)
 * @param wallboard         the thresholds that colour the queue's tile on the wallboard, when written
 *                          ({@code wallboard:}); {@link #thresholds()} gives them with the defaults filled in
 */
public record QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                          Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                          Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                          Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation,
                          java.util.Optional<CallbackOffer> callbackOffer, boolean record,
                          java.util.Optional<Thresholds> wallboard,
                          java.util.Optional<dev.hotline.routing.RingNoAnswer> ringNoAnswer) {

    /** A queue that follows {@code acd.ring_no_answer} (no policy of its own). */
    public QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                       Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                       Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                       Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation,
                       java.util.Optional<CallbackOffer> callbackOffer, boolean record,
                       java.util.Optional<Thresholds> wallboard) {
        this(name, skills, priority, serviceLevelPct, serviceLevelTime, maxWait, maxLength, wrapUp, ringTimeout,
                strategy, onTimeout, exitKeys, escalation, callbackOffer, record, wallboard, java.util.Optional.empty());
    }

    /**
     * When a wallboard tile turns amber ({@code warn}) and red ({@code alert}): callers waiting, the longest wait,
     * the average speed of answer and the abandon rate at or above these; the service level below the target
     * (amber) and below {@code serviceLevelAlertPct} (red).
     */
    public record Thresholds(int waitingWarn, int waitingAlert, Duration longestWaitWarn, Duration longestWaitAlert,
                             Duration asaWarn, Duration asaAlert, int abandonedWarnPct, int abandonedAlertPct,
                             int serviceLevelAlertPct) {

        public Thresholds {
            order("waiting", waitingWarn, waitingAlert);
            AgiConfig.requireRange("waitingWarn", waitingWarn, 1, 1_000_000);
            AgiConfig.requirePositive("longestWaitWarn", longestWaitWarn);
            AgiConfig.requirePositive("asaWarn", asaWarn);
            order("longest_wait", longestWaitWarn.toMillis(), longestWaitAlert.toMillis());
            order("asa", asaWarn.toMillis(), asaAlert.toMillis());
            AgiConfig.requireRange("abandonedWarnPct", abandonedWarnPct, 1, 100);
            order("abandoned_percent", abandonedWarnPct, abandonedAlertPct);
            AgiConfig.requireRange("abandonedAlertPct", abandonedAlertPct, 1, 100);
            AgiConfig.requireRange("serviceLevelAlertPct", serviceLevelAlertPct, 1, 100);
        }

        private static void order(String what, long warn, long alert) {
            if (alert < warn) {
                throw new IllegalArgumentException(what + ".alert below " + what + ".warn (expected: warn <= alert)");
            }
        }

        /**
         * Defaults from the service-level target: amber at 3 waiting, red at 6; the longest wait and ASA amber at the
         * target time, red at twice it; abandons amber at 5 %, red at 10 %; service level red 20 points under target.
         */
        public static Thresholds defaults(int serviceLevelPct, Duration serviceLevelTime) {
            return new Thresholds(3, 6, serviceLevelTime, serviceLevelTime.multipliedBy(2), serviceLevelTime,
                    serviceLevelTime.multipliedBy(2), 5, 10, Math.max(1, serviceLevelPct - 20));
        }
    }

    /** The wallboard thresholds: as written, or the defaults from the service-level target. */
    public Thresholds thresholds() {
        return wallboard.orElseGet(() -> Thresholds.defaults(serviceLevelPct, serviceLevelTime));
    }

    /** Without wallboard thresholds (the defaults apply). */
    public QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                       Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                       Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                       Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation,
                       java.util.Optional<CallbackOffer> callbackOffer, boolean record) {
        this(name, skills, priority, serviceLevelPct, serviceLevelTime, maxWait, maxLength, wrapUp, ringTimeout,
                strategy, onTimeout, exitKeys, escalation, callbackOffer, record, java.util.Optional.empty());
    }

    /**
     * {@code callback_offer}: when a caller joins, and at each position announcement, an estimated wait above
     * {@code afterEwt} (or no agent staffed at all) plays {@code prompt}; pressing {@code key} starts the callback
     * request (confirm number, optional name, hang up), as a callback exit key does.
     */
    public record CallbackOffer(Duration afterEwt, char key, String prompt) {

        public static final String DEFAULT_PROMPT = "hotline/callback-offer";

        public CallbackOffer {
            Objects.requireNonNull(afterEwt, "afterEwt");
            if (afterEwt.isNegative()) {
                throw new IllegalArgumentException("callbackOffer.afterEwt: " + afterEwt + " (expected: >= 0)");
            }
            if ("0123456789*#".indexOf(key) < 0) {
                throw new IllegalArgumentException("callbackOffer.key: '" + key + "' (expected: 0-9, * or #)");
            }
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** A queue whose calls are not recorded. */
    public QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                       Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                       Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                       Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation,
                       java.util.Optional<CallbackOffer> callbackOffer) {
        this(name, skills, priority, serviceLevelPct, serviceLevelTime, maxWait, maxLength, wrapUp, ringTimeout,
                strategy, onTimeout, exitKeys, escalation, callbackOffer, false);
    }

    /** A queue without a callback offer. */
    public QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                       Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                       Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                       Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation) {
        this(name, skills, priority, serviceLevelPct, serviceLevelTime, maxWait, maxLength, wrapUp, ringTimeout,
                strategy, onTimeout, exitKeys, escalation, java.util.Optional.empty());
    }

    /** Agent selection strategies. */
    public enum Strategy { LONGEST_IDLE, MOST_SKILLED, LEAST_OCCUPIED, ROUND_ROBIN, PREFERRED_AGENT }

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public QueueConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-64 of a-z, 0-9, '-', '_')");
        }
        // In the order written: the first skill is the primary one (most-skilled ranks agents on it).
        skills = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skills));
        skills.forEach((skill, level) -> AgiConfig.requireRange("skills." + skill, level, 1, 10));
        AgiConfig.requireRange("priority", priority, 0, 100);
        AgiConfig.requireRange("serviceLevelPct", serviceLevelPct, 1, 100);
        AgiConfig.requirePositive("serviceLevelTime", serviceLevelTime);
        AgiConfig.requirePositive("maxWait", maxWait);
        AgiConfig.requireRange("maxLength", maxLength, 1, 1_000_000);
        Objects.requireNonNull(wrapUp, "wrapUp");
        AgiConfig.requirePositive("ringTimeout", ringTimeout);
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(onTimeout, "onTimeout");
        exitKeys = Map.copyOf(exitKeys);
        exitKeys.keySet().forEach(k -> {
            if ("0123456789*#".indexOf(k) < 0) {
                throw new IllegalArgumentException("exitKeys: '" + k + "' (expected: 0-9, * or #)");
            }
        });
        escalation = java.util.List.copyOf(escalation);
        Objects.requireNonNull(callbackOffer, "callbackOffer");
        Objects.requireNonNull(wallboard, "wallboard");
        if (callbackOffer.isPresent()) {
            QueueTarget t = exitKeys.get(callbackOffer.get().key());
            if (t != null && t.kind() != QueueTarget.Kind.CALLBACK) {
                throw new IllegalArgumentException("callbackOffer.key: '" + callbackOffer.get().key()
                        + "' is the exit key to " + t);
            }
        }
        Objects.requireNonNull(ringNoAnswer, "ringNoAnswer");
    }

    /** True if {@code key} asks for a callback here: a callback exit key or the callback offer's key. */
    public boolean isCallbackKey(char key) {
        QueueTarget t = exitKeys.get(key);
        return t != null && t.kind() == QueueTarget.Kind.CALLBACK
                || callbackOffer.isPresent() && callbackOffer.get().key() == key;
    }

    /** A queue with the given name and skills and defaults for everything else (tests, demos). */
    public static QueueConfig simple(String name, Map<String, Integer> skills) {
        return new QueueConfig(name, skills, 0, 80, Duration.ofSeconds(20), Duration.ofMinutes(3), 100,
                Duration.ofSeconds(15), Duration.ofSeconds(15), Strategy.LONGEST_IDLE,
                new QueueTarget(QueueTarget.Kind.HANGUP, ""), Map.of(), java.util.List.of());
    }
}
