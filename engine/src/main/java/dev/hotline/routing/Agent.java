package dev.hotline.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An agent's profile: identity and what they can handle. Their changing state lives in the core.
 *
 * @param id        the work number, the agent's identity everywhere in Hotline
 * @param name      display name
 * @param endpoints where to ring them ({@code PJSIP/1001}, …), in order of preference
 * @param skills    skill name to proficiency, 1 (novice) to 10 (expert)
 * @param teams     team names (for supervisors and reports; routing does not use them)
 * @param site      the site they work at
 * @param languages languages they can serve callers in
 * @param queues    the queues they serve, by explicit membership: empty means every queue whose required skills
 *                  they hold (or can widen to by escalation); otherwise only these queues, and only when they also
 *                  hold the skills a call needs. Membership narrows, skills qualify.
 */
public record Agent(String id, String name, List<String> endpoints, Map<String, Integer> skills, Set<String> teams,
                    String site, Set<String> languages, Set<String> queues) {

    public static final int MIN_LEVEL = 1;
    public static final int MAX_LEVEL = 10;

    public Agent {
        Checks.notBlank("id", id);
        Objects.requireNonNull(name, "name");
        endpoints = List.copyOf(endpoints);
        skills = Map.copyOf(skills);
        skills.forEach((skill, level) -> {
            Checks.notBlank("skills key", skill);
            Checks.range("skills." + skill, level, MIN_LEVEL, MAX_LEVEL);
        });
        teams = Set.copyOf(teams);
        Objects.requireNonNull(site, "site");
        languages = Set.copyOf(languages);
        queues = Set.copyOf(queues);
        queues.forEach(q -> Checks.notBlank("queues item", q));
    }

    /** An agent who serves every queue whose skills they hold. */
    public Agent(String id, String name, List<String> endpoints, Map<String, Integer> skills, Set<String> teams,
                 String site, Set<String> languages) {
        this(id, name, endpoints, skills, teams, site, languages, Set.of());
    }

    /** Whether explicit membership lets this agent serve {@code queue} (skills are checked separately). */
    public boolean member(String queue) {
        return queues.isEmpty() || queues.contains(queue);
    }

    public Agent withSkills(Map<String, Integer> newSkills) {
        return new Agent(id, name, endpoints, newSkills, teams, site, languages, queues);
    }

    public Agent withQueues(Set<String> newQueues) {
        return new Agent(id, name, endpoints, skills, teams, site, languages, newQueues);
    }

    /** An agent known only by work number and skills; handy in tests and simulations. */
    public static Agent of(String id, Map<String, Integer> skills, String... languages) {
        return new Agent(id, id, List.of(), skills, Set.of(), "", Set.of(languages));
    }

    /** This agent's proficiency in {@code skill}, or 0 if they lack it. */
    public int level(String skill) {
        Integer level = skills.get(skill);
        return level == null ? 0 : level;
    }
}
