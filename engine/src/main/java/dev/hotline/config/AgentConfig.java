package dev.hotline.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One agent as seeded from {@code config/agents.yaml}.
 *
 * @param id        work number (the agent's identity everywhere)
 * @param name      display name
 * @param endpoints where to ring the agent, in order ({@code PJSIP/1001}, or {@code PJSIP/0612345678@trunk} for a
 *                  home agent)
 * @param skills    skill to proficiency (1–10)
 * @param teams     team names (supervisors see their teams)
 * @param site      site name
 * @param languages languages the agent serves callers in
 * @param queues    the queues the agent serves: empty (the default) means every queue whose required skills they
 *                  hold; otherwise only these, and only calls whose skills they meet (see docs/ADMIN.md)
 */
public record AgentConfig(String id, String name, List<String> endpoints, Map<String, Integer> skills,
                          Set<String> teams, String site, Set<String> languages, Set<String> queues) {

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    public static final Pattern ENDPOINT = Pattern.compile("[A-Za-z0-9]+/[^\\s,|&]+");

    public AgentConfig {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: 1-32 of letters, digits, '.', '-', '_')");
        }
        Objects.requireNonNull(name, "name");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: empty (expected: at least one, e.g. PJSIP/" + id + ")");
        }
        skills = Map.copyOf(skills);
        skills.forEach((skill, level) -> AgiConfig.requireRange("skills." + skill, level, 1, 10));
        teams = Set.copyOf(teams);
        Objects.requireNonNull(site, "site");
        languages = Set.copyOf(languages);
        queues = Set.copyOf(queues);
        queues.forEach(q -> {
            if (!QueueConfig.NAME.matcher(q).matches()) {
                throw new IllegalArgumentException("queues: '" + q + "' (expected: a queue name: 1-64 of a-z, 0-9,"
                        + " '-', '_')");
            }
        });
    }

    /** An agent who serves every queue whose skills they hold. */
    public AgentConfig(String id, String name, List<String> endpoints, Map<String, Integer> skills,
                       Set<String> teams, String site, Set<String> languages) {
        this(id, name, endpoints, skills, teams, site, languages, Set.of());
    }

    /** The routing core's profile of this agent. */
    public dev.hotline.routing.Agent toAgent() {
        return new dev.hotline.routing.Agent(id, name, endpoints, skills, teams, site, languages, queues);
    }
}
