package dev.hotline.ivr.validate;

import dev.hotline.yaml.YamlLocation;

import java.util.Objects;

/**
 * A name a script uses that lives outside it: another script ({@code goto}), a queue ({@code queue}) or a
 * calendar ({@code hours}). Checked once every script, the configuration and the calendars are known.
 *
 * @param kind what is referred to
 * @param name the name as written
 * @param at   where it is written
 * @param path the key path, for the message
 */
record ExternalRef(Kind kind, String name, YamlLocation at, String path) {

    public enum Kind { SCRIPT, QUEUE, CALENDAR }

    public ExternalRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(path, "path");
    }
}
