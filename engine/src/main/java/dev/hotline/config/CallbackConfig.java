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
 */
public record CallbackConfig(String context, String trunk, Duration customerRing, int maxAttempts,
                             Duration retryDelay, Optional<String> calendar, Duration overdueAfter,
                             String callerIdNumber) {

    /**
     * An Asterisk context name, as {@link AcdConfig#CONTEXT}. Its own copy: {@code AcdConfig.DEFAULTS} is built from
     * {@link #DEFAULTS}, so reading {@code AcdConfig.CONTEXT} while this class initialises (first use of
     * CallbackConfig before AcdConfig) would see a half-initialised AcdConfig and fail.
     */
    private static final java.util.regex.Pattern CONTEXT = java.util.regex.Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9_-]{0,79}");

    public static final CallbackConfig DEFAULTS = new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk",
            Duration.ofSeconds(30), 3, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), "");

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
    }

    /** The dial string for {@code number}. */
    public String dialString(String number) {
        return trunk.replace("{number}", number);
    }
}
