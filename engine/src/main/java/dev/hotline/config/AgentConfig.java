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
 */
public record AgentConfig(String id, String name, List<String> endpoints, Map<String, Integer> skills,
                          Set<String> teams, String site, Set<String> languages) {

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
    }
}
