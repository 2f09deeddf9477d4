package dev.hotline.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordValidationTest {

    @Test
    void queueRejectsANonPositiveRingTimeoutWithThePreciseValue() {
        assertThatThrownBy(() -> QueueSpec.builder("sales").ringTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ringTimeout: PT-1S (expected: > 0)");
    }

    @Test
    void agentRejectsAProficiencyOutOfRange() {
        assertThatThrownBy(() -> Agent.of("1001", Map.of("billing", 11)))
                .hasMessage("skills.billing: 11 (expected: 1..10)");
    }

    @Test
    void serviceLevelRejectsAFractionAboveOne() {
        assertThatThrownBy(() -> new ServiceLevel(1.2, Duration.ofSeconds(20)))
                .hasMessage("fraction: 1.2 (expected: > 0 and <= 1)");
    }

    @Test
    void queueRejectsASkillRequiredTwice() {
        assertThatThrownBy(() -> QueueSpec.builder("q").require("a", 1).require("a", 2).build())
                .hasMessage("requirements: a twice (expected: each skill once)");
    }

    @Test
    void mostSkilledNeedsASkillToRankOn() {
        assertThatThrownBy(() -> QueueSpec.builder("q").strategy(new Strategy.MostSkilled()).build())
                .hasMessageStartingWith("strategy: most-skilled with no requirements");
    }

    @Test
    void preferredCannotFallBackToAnotherPreference() {
        Strategy.Preferred inner = new Strategy.Preferred(Duration.ofSeconds(5), new Strategy.LongestIdle());
        assertThatThrownBy(() -> new Strategy.Preferred(Duration.ofSeconds(5), inner))
                .hasMessageContaining("expected: not a preferred strategy");
    }

    @Test
    void escalationCannotMoveToItsOwnQueue() {
        assertThatThrownBy(() -> QueueSpec.builder("q")
                .escalate(new EscalationStep.MoveToQueue(Duration.ofSeconds(5), "q")).build())
                .hasMessage("escalation: move to q (expected: another queue)");
    }

    @Test
    void skillRequirementRejectsLevelZero() {
        assertThatThrownBy(() -> new SkillRequirement("billing", 0)).hasMessage("minLevel: 0 (expected: 1..10)");
    }
}
