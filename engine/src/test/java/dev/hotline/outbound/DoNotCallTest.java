package dev.hotline.outbound;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DoNotCallTest {

    @Test
    void aNumberBlocksEveryWayOfWritingIt() {
        DoNotCall dnc = new DoNotCall(List.of("+44 20 7946 0000"));
        assertThat(dnc.blocks("+442079460000")).isTrue();
        assertThat(dnc.blocks("44 (20) 7946-0000")).isTrue();
        assertThat(dnc.blocks("+44 20 7946 0001")).isFalse();
    }

    @Test
    void anUnreadableNumberIsBlockedAndABadAdditionRefused() {
        DoNotCall dnc = new DoNotCall();
        assertThat(dnc.blocks("call me")).isTrue();
        assertThatThrownBy(() -> dnc.add("12")).hasMessageContaining("has 2 digits (expected: 3-20)");
    }

    @Test
    void removingANumberUnblocksIt() {
        DoNotCall dnc = new DoNotCall();
        assertThat(dnc.add("555 0100")).isTrue();
        assertThat(dnc.add("555-0100")).isFalse();
        assertThat(dnc.remove("5550100")).isTrue();
        assertThat(dnc.blocks("5550100")).isFalse();
    }
}
