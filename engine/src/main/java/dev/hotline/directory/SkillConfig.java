package dev.hotline.directory;

import dev.hotline.config.QueueConfig;

import java.util.Objects;

/**
 * One skill of the catalogue: a name agents hold with a level and queues require, and what it means.
 *
 * @param name        1-64 of a-z, 0-9, '-', '_' (the form queue requirements use)
 * @param description free text for people, up to {@value #MAX_DESCRIPTION} characters
 */
public record SkillConfig(String name, String description) {

    public static final int MAX_DESCRIPTION = 500;

    public SkillConfig {
        Objects.requireNonNull(name, "name");
        if (!QueueConfig.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-64 of a-z, 0-9, '-', '_')");
        }
        Objects.requireNonNull(description, "description");
        if (description.length() > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("description: " + description.length() + " characters (expected: at"
                    + " most " + MAX_DESCRIPTION + ")");
        }
    }
}
