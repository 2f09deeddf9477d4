package dev.hotline.app;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class FileBudgetTest {

    @Test
    void aLimitThatFitsEverythingGivesEachWhatItAsks() {
        FileBudget b = FileBudget.plan(OptionalLong.of(65_536), 20_000, 10_000, 1_024);

        assertThat(b.agiSessions()).isEqualTo(20_000);
        assertThat(b.gatewayConnections()).isEqualTo(10_000);
        assertThat(b.warning()).isEmpty();
    }

    @Test
    void theGatewayGetsOnlyWhatFastAgiAndTheReserveLeave() {
        FileBudget b = FileBudget.plan(OptionalLong.of(8_192), 2_000, 10_000, 1_024);

        assertThat(b.agiSessions()).isEqualTo(2_000);
        assertThat(b.gatewayConnections()).isEqualTo(8_192 - 1_024 - 2_000);
        assertThat(b.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("open-file limit 8192", "= 13024", "gateway to 5168 connections"));
    }

    @Test
    void aLimitTooLowForFastAgiKeepsTheGatewayFloorAndCapsFastAgi() {
        FileBudget b = FileBudget.plan(OptionalLong.of(1_024), 20_000, 10_000, 256);

        assertThat(b.gatewayConnections()).isEqualTo(FileBudget.GATEWAY_FLOOR);
        assertThat(b.agiSessions()).isEqualTo(1_024 - 256 - FileBudget.GATEWAY_FLOOR);
        assertThat(b.agiSessions() + b.gatewayConnections() + 256).isLessThanOrEqualTo(1_024);
    }

    @Test
    void anUnknownLimitChangesNothing() {
        FileBudget b = FileBudget.plan(OptionalLong.empty(), 20_000, 10_000, 1_024);

        assertThat(b.agiSessions()).isEqualTo(20_000);
        assertThat(b.gatewayConnections()).isEqualTo(10_000);
        assertThat(b.describe()).contains("limit unknown");
    }
}
