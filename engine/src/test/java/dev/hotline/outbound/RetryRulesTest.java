package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final RetryRules rules = new RetryRules(Map.of(
            Outcome.BUSY, new RetryRules.Rule(Duration.ofMinutes(10), 2),
            Outcome.NO_ANSWER, new RetryRules.Rule(Duration.ofHours(1), 3)), 4);

    private static Contact contact(int attempts) {
        return new Contact("c-1", "c", "5550100", "", ZoneOffset.UTC, Map.of(), 2, Contact.Status.PENDING, attempts,
                NOW, Optional.empty());
    }

    @Test
    void anOutcomeIsRetriedAfterItsDelayUntilItsLimit() {
        assertThat(rules.after(contact(0), Outcome.BUSY, 0, NOW))
                .isEqualTo(new RetryRules.Next.Retry(NOW.plus(Duration.ofMinutes(10))));
        assertThat(rules.after(contact(1), Outcome.BUSY, 1, NOW)).isInstanceOf(RetryRules.Next.Retry.class);
        assertThat(rules.after(contact(2), Outcome.BUSY, 2, NOW))
                .isEqualTo(new RetryRules.Next.Finish(Contact.Status.FAILED, "busy retried 2 time(s) already"));
    }

    @Test
    void theTotalLimitEndsTheContactWhateverTheOutcomes() {
        assertThat(rules.after(contact(3), Outcome.NO_ANSWER, 1, NOW))
                .isEqualTo(new RetryRules.Next.Finish(Contact.Status.FAILED, "max_attempts 4 reached"));
    }

    @Test
    void anOutcomeWithoutARuleEndsTheContactAndConnectedIsDone() {
        assertThat(rules.after(contact(0), Outcome.MACHINE, 0, NOW))
                .isEqualTo(new RetryRules.Next.Finish(Contact.Status.FAILED, "machine is not retried"));
        assertThat(rules.after(contact(0), Outcome.CONNECTED, 0, NOW))
                .isEqualTo(new RetryRules.Next.Finish(Contact.Status.DONE, "reached"));
        assertThat(rules.after(contact(0), Outcome.DO_NOT_CALL, 0, NOW))
                .isEqualTo(new RetryRules.Next.Finish(Contact.Status.BLOCKED, "on the do-not-call list"));
    }

    @Test
    void anAbandonedPersonIsCalledAgainEvenWithoutARule() {
        assertThat(rules.after(contact(0), Outcome.ABANDONED, 0, NOW))
                .isEqualTo(new RetryRules.Next.Retry(NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void rulesForOutcomesThatAreNeverRetriedAreRefused() {
        assertThatThrownBy(() -> new RetryRules(Map.of(Outcome.CONNECTED, new RetryRules.Rule(Duration.ZERO, 1)), 3))
                .hasMessageContaining("retry.connected: not retried");
        assertThatThrownBy(() -> new RetryRules(Map.of(), 0)).hasMessageContaining("retry.max_attempts: 0");
        assertThatThrownBy(() -> new RetryRules.Rule(Duration.ofSeconds(-1), 1)).hasMessageContaining(">= 0");
    }
}
