package dev.hotline.gateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A user as the admin API manages it: the login identity plus whether it may log in and where it came from.
 *
 * @param user      username, password hash, role, agent, teams
 * @param enabled   a disabled user cannot log in and their tokens stop working
 * @param origin    {@code file} (imported from the users seed file) or {@code admin} (created from the admin API)
 * @param createdAt when the row was created
 * @param updatedAt last change
 * @param updatedBy who made it ({@code users-file} for the import)
 */
public record UserAccount(User user, boolean enabled, String origin, Instant createdAt, Instant updatedAt,
                          String updatedBy) {

    public static final String FROM_FILE = "file";
    public static final String FROM_ADMIN = "admin";
    /** {@code updatedBy} of rows imported from the seed file. */
    public static final String IMPORT = "users-file";

    public UserAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    public String username() {
        return user.username();
    }

    /** A seed-file user as it is imported. */
    public static UserAccount imported(User u, Instant at) {
        return new UserAccount(u, true, FROM_FILE, at, at, IMPORT);
    }

    public UserAccount changed(User newUser, Instant at, String by) {
        return new UserAccount(newUser, enabled, origin, createdAt, at, by);
    }

    public UserAccount withEnabled(boolean on, Instant at, String by) {
        return new UserAccount(user, on, origin, createdAt, at, by);
    }
}
