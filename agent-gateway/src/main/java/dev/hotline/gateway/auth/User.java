package dev.hotline.gateway.auth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A person who logs in to the gateway.
 *
 * @param username     login name
 * @param passwordHash bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}); never printed
 * @param role         agent, supervisor, qa or admin
 * @param agentId      the agent's work number (required for agents, optional for the others)
 * @param teams        the teams a supervisor oversees (agents and admins: informational)
 */
public record User(String username, String passwordHash, Role role, Optional<String> agentId, Set<String> teams) {

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(agentId, "agentId");
        teams = Set.copyOf(teams);
        if (role == Role.AGENT && agentId.isEmpty()) {
            throw new IllegalArgumentException("user " + username + ": an agent needs a work number (agent)");
        }
    }

    /** Whether this user oversees an agent in {@code agentTeams}: admins all, supervisors their teams. */
    public boolean oversees(java.util.Collection<String> agentTeams) {
        return role == Role.ADMIN || role == Role.SUPERVISOR && agentTeams.stream().anyMatch(teams::contains);
    }

    @Override
    public String toString() {
        return "User[" + username + ", " + role.wireName() + agentId.map(a -> ", agent " + a).orElse("")
                + (teams.isEmpty() ? "" : ", teams " + teams) + "]";
    }
}
