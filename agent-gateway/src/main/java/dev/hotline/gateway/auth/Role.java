package dev.hotline.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/** What a user may do: an agent acts on their own state; a supervisor on their teams' agents; an admin on all. */
public enum Role {
    AGENT, SUPERVISOR, ADMIN;

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
}
