package dev.hotline.ivr.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One thing a node plays: a sound file, or a value said aloud.
 *
 * <p>Sound names resolve per language: a plain name such as {@code welcome} plays {@code <lang>/welcome}
 * (e.g. {@code en/welcome}); a name with a {@code /} is used as written, after replacing {@code {lang}}
 * (e.g. {@code custom/{lang}/promo} or {@code beep/short}).
 */
public sealed interface Prompt {

    /** What a sound name may contain: no spaces, quotes or control characters, no {@code ..}. */
    Pattern SOUND_NAME = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9_./{}-]{1,200}");

    record Sound(String name) implements Prompt {
        public Sound {
            Objects.requireNonNull(name, "name");
            if (!SOUND_NAME.matcher(name).matches() || name.replace("{lang}", "").matches(".*[{}].*")) {
                throw new IllegalArgumentException("sound name: '" + name
                        + "' (expected: letters, digits, _ . / - and {lang}, no '..')");
            }
        }

        /** The file to play for a caller speaking {@code lang}. */
        public String file(String lang) {
            return name.contains("/") ? name.replace("{lang}", lang) : lang + "/" + name;
        }
    }

    /** Says a value digit by digit (an account number). */
    record SayDigits(ValueRef value) implements Prompt {
        public SayDigits {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Says a value as a number (a balance, a position in queue). */
    record SayNumber(ValueRef value) implements Prompt {
        public SayNumber {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Says a date held as {@code YYYY-MM-DD} or as epoch seconds (not interruptible). */
    record SayDate(ValueRef value) implements Prompt {
        public SayDate {
            Objects.requireNonNull(value, "value");
        }
    }
}
