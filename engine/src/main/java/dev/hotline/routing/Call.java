package dev.hotline.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call asking to join a queue. The core stamps the enqueue time when it receives it.
 *
 * @param id             the call's id (Asterisk's linkedid, with the server id when several feed one engine)
 * @param queue          the queue it joins
 * @param priority       its priority; empty means the queue's default (a VIP flag raises it)
 * @param skills         skills this call needs on top of the queue's (e.g. what the caller chose in the IVR)
 * @param language       the caller's language, if agents must speak it
 * @param preferredAgent an agent to prefer (e.g. the account owner), used by {@link Strategy.Preferred}
 * @param data           what the IVR collected, passed through for the screen pop
 */
public record Call(String id, String queue, OptionalInt priority, List<SkillRequirement> skills,
                   Optional<String> language, Optional<String> preferredAgent, Map<String, String> data) {

    public Call {
        Checks.notBlank("id", id);
        Checks.notBlank("queue", queue);
        Objects.requireNonNull(priority, "priority");
        skills = List.copyOf(skills);
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(preferredAgent, "preferredAgent");
        data = Map.copyOf(data);
    }

    /** A call with nothing but an id and a queue. */
    public static Call of(String id, String queue) {
        return new Call(id, queue, OptionalInt.empty(), List.of(), Optional.empty(), Optional.empty(), Map.of());
    }

    public Call withPriority(int priority) {
        return new Call(id, queue, OptionalInt.of(priority), skills, language, preferredAgent, data);
    }

    public Call withSkill(String skill, int minLevel) {
        List<SkillRequirement> more = new java.util.ArrayList<>(skills);
        more.add(new SkillRequirement(skill, minLevel));
        return new Call(id, queue, priority, more, language, preferredAgent, data);
    }

    public Call withLanguage(String language) {
        return new Call(id, queue, priority, skills, Optional.of(language), preferredAgent, data);
    }

    public Call withPreferredAgent(String agentId) {
        return new Call(id, queue, priority, skills, language, Optional.of(agentId), data);
    }
}
