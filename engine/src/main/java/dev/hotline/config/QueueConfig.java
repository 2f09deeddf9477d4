package dev.hotline.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One ACD queue as configured (an entry of {@code queues:} in hotline.yaml). The routing core builds its own
 * queue model from these.
 *
 * @param name              unique name used by IVR {@code queue} nodes and reports (e.g. {@code support})
 * @param skills            required skills and the minimum proficiency (1–10) an agent needs in each
 * @param priority          default priority of a call (higher is served first)
 * @param serviceLevelPct   service-level target: this percentage of calls …
 * @param serviceLevelTime  … answered within this time
 * @param maxWait           longest a caller waits before the timeout treatment
 * @param maxLength         most callers waiting at once; further callers get the queue-full treatment
 * @param wrapUp            after-call work time before the agent is offered another call
 * @param ringTimeout       how long an agent's phone rings before the offer is withdrawn
 * @param strategy          how an agent is chosen among the eligible ones
 * @param onTimeout         where a caller goes after {@code maxWait} (the timeout treatment)
 * @param exitKeys          keys a waiting caller may press, and where each takes them
 * @param escalation        steps applied as a call waits (relax a skill level, raise priority, …), in order
 */
public record QueueConfig(String name, Map<String, Integer> skills, int priority, int serviceLevelPct,
                          Duration serviceLevelTime, Duration maxWait, int maxLength, Duration wrapUp,
                          Duration ringTimeout, Strategy strategy, QueueTarget onTimeout,
                          Map<Character, QueueTarget> exitKeys, java.util.List<dev.hotline.routing.EscalationStep> escalation) {

    /** Agent selection strategies. */
    public enum Strategy { LONGEST_IDLE, MOST_SKILLED, LEAST_OCCUPIED, ROUND_ROBIN, PREFERRED_AGENT }

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public QueueConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-64 of a-z, 0-9, '-', '_')");
        }
        skills = Map.copyOf(skills);
        skills.forEach((skill, level) -> AgiConfig.requireRange("skills." + skill, level, 1, 10));
        AgiConfig.requireRange("priority", priority, 0, 100);
        AgiConfig.requireRange("serviceLevelPct", serviceLevelPct, 1, 100);
        AgiConfig.requirePositive("serviceLevelTime", serviceLevelTime);
        AgiConfig.requirePositive("maxWait", maxWait);
        AgiConfig.requireRange("maxLength", maxLength, 1, 1_000_000);
        Objects.requireNonNull(wrapUp, "wrapUp");
        AgiConfig.requirePositive("ringTimeout", ringTimeout);
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(onTimeout, "onTimeout");
        exitKeys = Map.copyOf(exitKeys);
        exitKeys.keySet().forEach(k -> {
            if ("0123456789*#".indexOf(k) < 0) {
                throw new IllegalArgumentException("exitKeys: '" + k + "' (expected: 0-9, * or #)");
            }
        });
        escalation = java.util.List.copyOf(escalation);
    }

    /** A queue with the given name and skills and defaults for everything else (tests, demos). */
    public static QueueConfig simple(String name, Map<String, Integer> skills) {
        return new QueueConfig(name, skills, 0, 80, Duration.ofSeconds(20), Duration.ofMinutes(3), 100,
                Duration.ofSeconds(15), Duration.ofSeconds(15), Strategy.LONGEST_IDLE,
                new QueueTarget(QueueTarget.Kind.HANGUP, ""), Map.of(), java.util.List.of());
    }
}
