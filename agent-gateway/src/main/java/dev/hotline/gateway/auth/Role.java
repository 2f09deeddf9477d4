package dev.hotline.gateway.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a user may do: an agent acts on their own state; a supervisor on their teams' agents; QA staff hear and score
 * every call's recording and run sampling and the quality report, but act on no agent (docs/QA.md); an admin on all.
 */
public enum Role {
    AGENT, SUPERVISOR, QA, ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** "agent, supervisor, qa or admin", for messages about a bad role. */
    public static String expected() {
        String[] names = Arrays.stream(values()).map(Role::wireName).toArray(String[]::new);
        return String.join(", ", Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
    }
}
