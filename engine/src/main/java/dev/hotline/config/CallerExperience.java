package dev.hotline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller hears besides hold music and position announcements (part of section {@code acd:}).
 *
 * @param surveyScript     IVR script (e.g. {@code survey}) the caller is sent to when the agent hangs up first;
 *                         empty for none. Its answers are stored on the call record.
 * @param periodicPrompt   sound file played to waiting callers every {@code periodicInterval} (empty: none)
 * @param periodicInterval how often the periodic prompt plays
 */
public record CallerExperience(String surveyScript, String periodicPrompt, Duration periodicInterval) {

    public static final CallerExperience NONE = new CallerExperience("", "", Duration.ofMinutes(1));

    public CallerExperience {
        Objects.requireNonNull(surveyScript, "surveyScript");
        Objects.requireNonNull(periodicPrompt, "periodicPrompt");
        Objects.requireNonNull(periodicInterval, "periodicInterval");
        if (!periodicPrompt.isEmpty() && (periodicInterval.isZero() || periodicInterval.isNegative())) {
            throw new IllegalArgumentException("periodicInterval: " + periodicInterval + " (expected: > 0)");
        }
    }
}
