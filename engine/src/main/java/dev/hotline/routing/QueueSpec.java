package dev.hotline.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A queue's configuration.
 *
 * @param name              the queue's name
 * @param requirements      skills every call in this queue needs; the first one is the primary skill
 *                          ({@link Strategy.MostSkilled} ranks on it). Empty means any logged-in agent.
 * @param defaultPriority   priority of calls that do not bring their own; higher is served first
 * @param serviceLevel      the target, also the yardstick of the service-level risk score
 * @param maxWait           a call waiting this long leaves with {@link Decision.MaxWaitReached}
 * @param maxLength         calls beyond this many waiting are refused with {@link Decision.QueueFull}
 * @param wrapUp            wrap-up after each call: {@code Duration.ZERO} for none, empty for "until the agent
 *                          ends it"
 * @param ringTimeout       how long an offer rings before it counts as not answered
 * @param strategy          how to pick among eligible ready agents
 * @param escalation        steps taken as a call waits, sorted by {@link EscalationStep#after()}
 * @param noAnswerReason    the not-ready reason given to an agent who lets an offer ring out
 * @param rejectedReason    the not-ready reason given to an agent who rejects an offer
 * @param assumedHandleTime handle time (talk + wrap-up) assumed for wait estimates until calls are measured
 * @param ringNoAnswer      what happens to an agent who lets an offer ring out (or is busy, unreachable)
 */
public record QueueSpec(String name, List<SkillRequirement> requirements, int defaultPriority,
                        ServiceLevel serviceLevel, Duration maxWait, int maxLength, Optional<Duration> wrapUp,
                        Duration ringTimeout, Strategy strategy, List<EscalationStep> escalation,
                        String noAnswerReason, String rejectedReason, Duration assumedHandleTime,
                        RingNoAnswer ringNoAnswer) {

    public QueueSpec {
        Checks.notBlank("name", name);
        requirements = List.copyOf(requirements);
        Set<String> seen = new HashSet<>();
        for (SkillRequirement r : requirements) {
            if (!seen.add(r.skill())) {
                throw new IllegalArgumentException("requirements: " + r.skill() + " twice (expected: each skill once)");
            }
        }
        Objects.requireNonNull(serviceLevel, "serviceLevel");
        Checks.positive("maxWait", maxWait);
        Checks.range("maxLength", maxLength, 1, Integer.MAX_VALUE);
        Objects.requireNonNull(wrapUp, "wrapUp");
        wrapUp.ifPresent(d -> Checks.notNegative("wrapUp", d));
        Checks.positive("ringTimeout", ringTimeout);
        Objects.requireNonNull(strategy, "strategy");
        if (strategy.ranking() instanceof Strategy.MostSkilled && requirements.isEmpty()) {
            throw new IllegalArgumentException("strategy: most-skilled with no requirements (expected: at least one "
                    + "required skill to rank on)");
        }
        List<EscalationStep> steps = new ArrayList<>(escalation);
        steps.forEach(s -> Objects.requireNonNull(s, "escalation step"));
        steps.sort(Comparator.comparing(EscalationStep::after));
        for (EscalationStep s : steps) {
            if (s instanceof EscalationStep.MoveToQueue m && m.queue().equals(name)) {
                throw new IllegalArgumentException("escalation: move to " + name + " (expected: another queue)");
            }
        }
        escalation = List.copyOf(steps);
        Checks.notBlank("noAnswerReason", noAnswerReason);
        Checks.notBlank("rejectedReason", rejectedReason);
        Checks.positive("assumedHandleTime", assumedHandleTime);
        Objects.requireNonNull(ringNoAnswer, "ringNoAnswer");
    }

    /** A builder with defaults: 80 % in 20 s, max wait 180 s, 1,000 calls, no wrap-up, 15 s ring, longest idle. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds a {@link QueueSpec}; the record's constructor does the checking. */
    public static final class Builder {
        private final String name;
        private final List<SkillRequirement> requirements = new ArrayList<>();
        private int defaultPriority;
        private ServiceLevel serviceLevel = new ServiceLevel(0.8, Duration.ofSeconds(20));
        private Duration maxWait = Duration.ofSeconds(180);
        private int maxLength = 1_000;
        private Optional<Duration> wrapUp = Optional.of(Duration.ZERO);
        private Duration ringTimeout = Duration.ofSeconds(15);
        private Strategy strategy = new Strategy.LongestIdle();
        private final List<EscalationStep> escalation = new ArrayList<>();
        private String noAnswerReason = "no answer";
        private String rejectedReason = "rejected";
        private RingNoAnswer ringNoAnswer = new RingNoAnswer.UntilAgent();
        private Duration assumedHandleTime = Duration.ofSeconds(180);

        private Builder(String name) {
            this.name = name;
        }

        public Builder require(String skill, int minLevel) {
            requirements.add(new SkillRequirement(skill, minLevel));
            return this;
        }

        public Builder defaultPriority(int priority) {
            this.defaultPriority = priority;
            return this;
        }

        public Builder serviceLevel(double fraction, Duration threshold) {
            this.serviceLevel = new ServiceLevel(fraction, threshold);
            return this;
        }

        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder wrapUp(Duration wrapUp) {
            this.wrapUp = Optional.of(wrapUp);
            return this;
        }

        /** Wrap-up lasts until the agent ends it. */
        public Builder manualWrapUp() {
            this.wrapUp = Optional.empty();
            return this;
        }

        public Builder ringTimeout(Duration ringTimeout) {
            this.ringTimeout = ringTimeout;
            return this;
        }

        public Builder strategy(Strategy strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder escalate(EscalationStep step) {
            escalation.add(step);
            return this;
        }

        public Builder noAnswerReason(String reason) {
            this.noAnswerReason = reason;
            return this;
        }

        public Builder rejectedReason(String reason) {
            this.rejectedReason = reason;
            return this;
        }

        /** What happens to an agent who lets an offer ring out; default: not ready until they act. */
        public Builder ringNoAnswer(RingNoAnswer policy) {
            this.ringNoAnswer = policy;
            return this;
        }

        public Builder assumedHandleTime(Duration handleTime) {
            this.assumedHandleTime = handleTime;
            return this;
        }

        public QueueSpec build() {
            return new QueueSpec(name, requirements, defaultPriority, serviceLevel, maxWait, maxLength, wrapUp,
                    ringTimeout, strategy, escalation, noAnswerReason, rejectedReason, assumedHandleTime,
                    ringNoAnswer);
        }
    }
}
