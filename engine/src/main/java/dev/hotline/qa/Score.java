package dev.hotline.qa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An evaluation's result.
 *
 * @param percent        the score, 0–100: {@code raw}, or 0 when a critical question failed
 * @param raw            the weighted share of points earned over the applicable (not N/A) questions, 0–100
 * @param failedCritical the critical questions answered with a failing value (empty: the call passes)
 * @param sections       each section's own weighted score, 0–100, by title (a section whose questions were all N/A
 *                       has none)
 */
public record Score(double percent, double raw, List<String> failedCritical, Map<String, Double> sections) {

    public Score {
        failedCritical = List.copyOf(failedCritical);
        // in the form's order: reports list sections as the form does
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(
                sections, "sections")));
    }

    public boolean criticalFailed() {
        return !failedCritical.isEmpty();
    }
}
