package dev.hotline.handoff;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandbackTest {

    @Test
    void aHandBackSetsOutcomeTargetAndTheMarkerInOneRoundTrip() {
        FakeChannel channel = new FakeChannel();
        Handback.handBack(channel, Handback.Outcome.VOICEMAIL, "100@hotline");
        assertThat(channel.log).containsExactly(
                "EXEC MSet HOTLINE_OUTCOME=voicemail,HOTLINE_TARGET=100@hotline,HOTLINE_HANDLED=1");
        assertThat(channel.variables).containsEntry("HOTLINE_OUTCOME", "voicemail")
                .containsEntry("HOTLINE_TARGET", "100@hotline").containsEntry("HOTLINE_HANDLED", "1");
    }

    @Test
    void aTargetMSetWouldSplitIsSetOneByOneWithTheMarkerLast() {
        FakeChannel channel = new FakeChannel();
        Handback.handBack(channel, Handback.Outcome.FALLBACK, "unknown queue a,b");
        assertThat(channel.log).containsExactly("SET VARIABLE HOTLINE_OUTCOME fallback",
                "SET VARIABLE HOTLINE_TARGET unknown queue a,b", "SET VARIABLE HOTLINE_HANDLED 1");
    }

    @Test
    void aSwitchWithoutMSetGetsSetVariableOneByOne() {
        FakeChannel channel = new FakeChannel();
        channel.mset = false;
        Handback.handBack(channel, Handback.Outcome.TRANSFER, "1001");
        assertThat(channel.log).endsWith("SET VARIABLE HOTLINE_OUTCOME transfer", "SET VARIABLE HOTLINE_TARGET 1001",
                "SET VARIABLE HOTLINE_HANDLED 1");
        assertThat(channel.variables).containsEntry("HOTLINE_HANDLED", "1");
    }

    @Test
    void hangingUpHandsBackFirstSoTheDialplanNeverTakesItForALostCall() {
        FakeChannel channel = new FakeChannel();
        Handback.hangUp(channel, Handback.Outcome.CALLBACK);
        assertThat(channel.log).containsExactly("EXEC MSet HOTLINE_OUTCOME=callback,HOTLINE_TARGET=,HOTLINE_HANDLED=1",
                "HANGUP");
    }

    @Test
    void nothingIsHandedBackForACallerWhoIsGone() {
        FakeChannel channel = new FakeChannel();
        channel.hungUp = true;
        Handback.hangUp(channel, Handback.Outcome.HANGUP);
        assertThat(channel.log).isEmpty();
    }

    @Test
    void aVariableNameTheDialplanCannotReadIsRefusedByName() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("HOTLINE_OK", "1");
        vars.put("9LIVES", "x");
        assertThatThrownBy(() -> ChannelVariables.setAll(new FakeChannel(), vars))
                .hasMessage("channel variable name '9LIVES' (expected: letters, digits and _, not starting with a digit)");
    }
}
