package dev.hotline.outbound;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A contact's time zone from the start of their number when the list has no time-zone column: the longest written
 * prefix that matches wins ({@code +1212} before {@code +1}), else the campaign's default zone. Prefixes are compared
 * on digits, so {@code +33} and {@code 33} are the same prefix.
 */
public record ZonePrefixes(Map<String, ZoneId> prefixes, ZoneId fallback) {

    public ZonePrefixes {
        Objects.requireNonNull(fallback, "fallback");
        Map<String, ZoneId> copy = new LinkedHashMap<>();
        prefixes.forEach((p, z) -> {
            String digits = PhoneNumbers.dialDigits(p.strip());
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("zone prefix: '" + p + "' (expected: digits with an optional +)");
            }
            copy.put(digits, Objects.requireNonNull(z, "zone of prefix " + p));
        });
        prefixes = Map.copyOf(copy);
    }

    /** Only the fallback zone. */
    public static ZonePrefixes only(ZoneId fallback) {
        return new ZonePrefixes(Map.of(), fallback);
    }

    /** From written zone names ({@code "+1212": America/New_York}); a bad name is refused, naming the prefix. */
    public static ZonePrefixes parse(Map<String, String> written, String fallback) {
        Map<String, ZoneId> zones = new LinkedHashMap<>();
        written.forEach((p, z) -> zones.put(p, zone("zone of prefix " + p, z)));
        return new ZonePrefixes(zones, zone("default zone", fallback));
    }

    /** The zone of a {@link PhoneNumbers#normalize normalised} number. */
    public ZoneId zoneOf(String number) {
        return match(number).orElse(fallback);
    }

    /** The zone of the longest matching prefix, if any. */
    public Optional<ZoneId> match(String number) {
        String digits = PhoneNumbers.dialDigits(number);
        for (int len = digits.length(); len > 0; len--) {
            ZoneId z = prefixes.get(digits.substring(0, len));
            if (z != null) {
                return Optional.of(z);
            }
        }
        return Optional.empty();
    }

    /** Reads a zone name, refusing a bad one with what was written and where. */
    public static ZoneId zone(String what, String name) {
        try {
            return ZoneId.of(name.strip());
        } catch (DateTimeException | NullPointerException e) {
            throw new IllegalArgumentException(what + ": '" + name + "' (expected: a time zone such as Europe/Paris)");
        }
    }
}
