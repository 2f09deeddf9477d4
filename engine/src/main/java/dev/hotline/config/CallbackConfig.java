package dev.hotline.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Callbacks (section {@code acd.callback} of hotline.yaml; see docs/CALLBACKS.md).
 *
 * @param context         Asterisk context the agent's phone is originated into once they answer; extension = the
 *                        callback id; it must run {@code AGI(agi://<hotline>:4573/callback?id=${EXTEN})}
 * @param trunk           dial string for the customer, {@code {number}} replaced by the number to call
 *                        (e.g. {@code PJSIP/{number}@trunk})
 * @param customerRing    how long the customer's phone rings on an attempt
 * @param maxAttempts     attempts at reaching the customer before the callback fails
 * @param retryDelay      wait after a no-answer / busy attempt before the callback may be offered again
 * @param calendar        calendar (in the calendars folder) of the hours when customers may be called; empty: any time
 * @param overdueAfter    a pending callback this long past its due time is overdue (metric, report, query)
 * @param callerIdNumber  caller id shown to the customer, set as CALLERID(num) before Dial (empty: the trunk's default)
 * @param mode            who is called first: the agent (whisper, then the customer is dialled) or the customer
 *                        (originated through the trunk; once they answer they are connected to the reserved agent)
 * @param recordName      longest recording of the caller's name when they ask for a callback; zero: not asked
 * @param nameFolder      where Asterisk stores those recordings (RECORD FILE path, relative to Asterisk's sounds
 *                        folder unless absolute); the file is {@code <folder>/callback-<id>}
 * @param ownerFirstFor   a scheduled callback with an owner is offered only to the owner for this long after its
 *                        due time, whatever the queue's strategy, then to anyone in the queue (the team); an owner
 *                        who is logged out gives it to the team at once
 */
public record CallbackConfig(String context, String trunk, Duration customerRing, int maxAttempts,
                             Duration retryDelay, Optional<String> calendar, Duration overdueAfter,
                             String callerIdNumber, Mode mode, Duration recordName, String nameFolder,
                             Duration ownerFirstFor) {

    /** {@code acd.callback.mode}. */
    public enum Mode {
        AGENT_FIRST, CUSTOMER_FIRST;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Recording folder: a relative or absolute path of letters, digits, '-', '_', '.', '/'. */
    public static final java.util.regex.Pattern FOLDER = java.util.regex.Pattern.compile("/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /**
     * An Asterisk context name, as {@link AcdConfig#CONTEXT}. Its own copy: {@code AcdConfig.DEFAULTS} is built from
     * {@link #DEFAULTS}, so reading {@code AcdConfig.CONTEXT} while this class initialises (first use of
     * CallbackConfig before AcdConfig) would see a half-initialised AcdConfig and fail.
     */
    private static final java.util.regex.Pattern CONTEXT = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_-]{0,79}");

    public static final CallbackConfig DEFAULTS = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk",
            Duration.ofSeconds(30), 3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "",
            Mode.AGENT_FIRST, Duration.ZERO, "hotline-callback-names", Duration.ofMinutes(10));

    /** Agent-first, no name recording, owner first for 10 minutes. */
    public CallbackConfig(String context, String trunk, Duration customerRing, int maxAttempts, Duration retryDelay,
                          Optional<String> calendar, Duration overdueAfter, String callerIdNumber) {
        this(context, trunk, customerRing, maxAttempts, retryDelay, calendar, overdueAfter, callerIdNumber,
                Mode.AGENT_FIRST, Duration.ZERO, "hotline-callback-names", Duration.ofMinutes(10));
    }

    public CallbackConfig {
        Objects.requireNonNull(context, "context");
        if (!CONTEXT.matcher(context).matches()) {
            throw new IllegalArgumentException("callback.context: '" + context
                    + "' (expected: letters, digits, '-', '_')");
        }
        Objects.requireNonNull(trunk, "trunk");
        if (!trunk.contains("{number}") || !trunk.contains("/")) {
            throw new IllegalArgumentException("callback.trunk: '" + trunk
                    + "' (expected: a dial string with {number}, e.g. PJSIP/{number}@trunk)");
        }
        AgiConfig.requirePositive("callback.customerRing", customerRing);
        AgiConfig.requireRange("callback.maxAttempts", maxAttempts, 1, 20);
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(overdueAfter, "overdueAfter");
        Objects.requireNonNull(callerIdNumber, "callerIdNumber");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(recordName, "recordName");
        if (recordName.isNegative() || recordName.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("callback.recordName: " + recordName + " (expected: 0s to 30s)");
        }
        Objects.requireNonNull(nameFolder, "nameFolder");
        if (!FOLDER.matcher(nameFolder).matches()) {
            throw new IllegalArgumentException("callback.nameFolder: '" + nameFolder
                    + "' (expected: a path of letters, digits, '-', '_', '.', '/')");
        }
        Objects.requireNonNull(ownerFirstFor, "ownerFirstFor");
        if (ownerFirstFor.isNegative()) {
            throw new IllegalArgumentException("callback.ownerFirstFor: " + ownerFirstFor + " (expected: >= 0)");
        }
    }

    /** Whether callers are asked to record their name. */
    public boolean recordsName() {
        return !recordName.isZero();
    }

    /** The recording of callback {@code id}'s caller name, without extension (what RECORD FILE and playback take). */
    public String nameFile(String id) {
        return nameFolder + "/callback-" + id.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The dial string for {@code number}. */
    public String dialString(String number) {
        return trunk.replace("{number}", number);
    }
}
