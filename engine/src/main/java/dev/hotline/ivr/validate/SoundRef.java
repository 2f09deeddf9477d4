package dev.hotline.ivr.validate;

import dev.hotline.ivr.model.Prompt;
import dev.hotline.yaml.YamlLocation;

import java.util.List;
import java.util.Objects;

/**
 * A sound file a script plays, as written ({@code welcome}, {@code promo/{lang}/spring}), with where it is written
 * and the key path: what {@code hotline validate --sounds} looks for on the Asterisk.
 */
public record SoundRef(String name, YamlLocation at, String path) {

    public SoundRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(path, "path");
    }

    /**
     * The files Asterisk is asked to play for callers in {@code languages}, as the interpreter names them: a plain
     * name plays {@code <lang>/<name>}; a name with a {@code /} is used as written with {@code {lang}} replaced.
     */
    public List<String> files(List<String> languages) {
        Prompt.Sound sound = new Prompt.Sound(name);
        return languages.stream().map(sound::file).distinct().toList();
    }
}
