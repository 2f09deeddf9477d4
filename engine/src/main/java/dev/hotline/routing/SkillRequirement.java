package dev.hotline.routing;

/** A skill a call needs, at {@code minLevel} or better (proficiency 1–10). */
public record SkillRequirement(String skill, int minLevel) {

    public SkillRequirement {
        Checks.notBlank("skill", skill);
        Checks.range("minLevel", minLevel, Agent.MIN_LEVEL, Agent.MAX_LEVEL);
    }
}
