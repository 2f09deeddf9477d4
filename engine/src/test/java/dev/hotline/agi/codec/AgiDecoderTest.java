package dev.hotline.agi.codec;

import dev.hotline.agi.testing.Transcript;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AgiDecoderTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new AgiDecoder(8192, 16384));
    }

    private static List<AgiInbound> decodeWhole(String bytes) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
        List<AgiInbound> out = drain(ch);
        assertFalse(ch.finish());
        return out;
    }

    private static List<AgiInbound> decodeInPieces(byte[] bytes, int[] cuts) {
        EmbeddedChannel ch = channel();
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        List<AgiInbound> out = drain(ch);
        assertFalse(ch.finish());
        return out;
    }

    private static List<AgiInbound> drain(EmbeddedChannel ch) {
        List<AgiInbound> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add((AgiInbound) m);
        }
        return out;
    }

    private static AgiReply.Success ok(String result) {
        return AgiReply.Success.of(result);
    }

    private static AgiReply.Success ok(String result, String extra) {
        return new AgiReply.Success(result, Optional.of(extra), OptionalLong.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"01_originate_fastagi_normal.txt", "02_originate_fastagi_caller_hangs_up.txt",
            "03_originate_fastagi_exitonhangup.txt", "04_originate_fastagi_errors.txt",
            "05_originate_fastagi_with_args.txt", "r01_redirect_during_wait_for_digit.txt",
            "r01_second_session_connect.txt"})
    void everyTranscriptDecodesTheSameWholeByteByByteAndAtRandomSplits(String name) {
        byte[] bytes = Transcript.load(name).bytesFromAsterisk().getBytes(StandardCharsets.UTF_8);
        List<AgiInbound> whole = decodeWhole(new String(bytes, StandardCharsets.UTF_8));
        assertThat(whole.get(0)).isInstanceOf(AgiEnvironment.class);
        assertThat(whole).hasSizeGreaterThan(2);

        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(decodeInPieces(bytes, everyByte)).isEqualTo(whole);

        Random random = new Random(name.hashCode());
        for (int round = 0; round < 50; round++) {
            int[] cuts = random.ints(1 + random.nextInt(8), 1, bytes.length).sorted().distinct().toArray();
            assertThat(decodeInPieces(bytes, cuts)).as("cuts %s", java.util.Arrays.toString(cuts)).isEqualTo(whole);
        }
    }

    @Test
    void normalSessionGivesTheEnvironmentAndTypedReplies() {
        List<AgiInbound> msgs = decodeWhole(Transcript.load("01_originate_fastagi_normal.txt").bytesFromAsterisk());
        AgiEnvironment env = (AgiEnvironment) msgs.get(0);
        assertThat(env.script()).isEqualTo("main-menu");
        assertThat(env.channel()).isEqualTo("Local/5551234@from-pstn-00000004;2");
        assertThat(env.uniqueId()).isEqualTo("1795436507.9");
        assertThat(env.callerId()).contains("0612345678");
        assertThat(env.callerIdName()).contains("PSTN Caller");
        assertThat(env.dnid()).isEmpty();
        assertThat(env.get("agi_accountcode")).contains("");
        assertThat(env.values()).hasSize(22).containsKey("agi_threadid");
        assertThat(msgs.subList(1, msgs.size())).containsExactly(
                ok("0"),
                new AgiReply.Success("0", Optional.empty(), OptionalLong.of(2000)),
                ok("", "timeout"),
                ok("1"),
                ok("1", "bar"),
                ok("1", "Local/5551234@from-pstn-00000004;2-bar"),
                ok("6"),
                ok("1"),
                AgiHangup.INSTANCE);
    }

    @Test
    void callerHangUpGivesMinusOneThenHangupThen511() {
        List<AgiInbound> msgs = decodeWhole(Transcript.load("02_originate_fastagi_caller_hangs_up.txt").bytesFromAsterisk());
        AgiReply.DeadChannel dead = new AgiReply.DeadChannel("Command Not Permitted on a dead channel or intercept routine");
        assertThat(msgs.subList(1, msgs.size())).containsExactly(
                ok("0"), ok("1"), ok("-1"), AgiHangup.INSTANCE,
                ok("1"), ok("1", "bar"), dead, dead, ok("1"), dead, AgiHangup.INSTANCE);
        assertThat(((AgiReply.Success) msgs.get(3)).isFailure()).isTrue();
    }

    @Test
    void errorRepliesIncludingMultiLineUsage() {
        List<AgiInbound> msgs = decodeWhole(Transcript.load("04_originate_fastagi_errors.txt").bytesFromAsterisk());
        assertThat(msgs.get(2)).isEqualTo(new AgiReply.InvalidCommand("Invalid or unknown command"));
        AgiReply.Usage usage = (AgiReply.Usage) msgs.get(3);
        assertThat(usage.lines()).hasSize(7);
        assertThat(usage.lines().get(0)).isEqualTo("Invalid command syntax.  Proper usage follows:");
        assertThat(usage.lines().get(6)).isEqualTo("End of proper usage.");
        assertThat(msgs.get(4)).isEqualTo(new AgiReply.Usage(List.of("Invalid command syntax.  Proper usage follows:",
                "Sets a variable to the current channel.", "End of proper usage.")));
        assertThat(msgs.get(msgs.size() - 2)).isEqualTo(new AgiReply.Success("-1", Optional.empty(), OptionalLong.of(0)));
    }

    @Test
    void argumentsAndQueryString() {
        AgiEnvironment env = (AgiEnvironment) decodeWhole(
                Transcript.load("05_originate_fastagi_with_args.txt").bytesFromAsterisk()).get(0);
        assertThat(env.networkScript()).isEqualTo("main-menu?queue=support");
        assertThat(env.script()).isEqualTo("main-menu");
        assertThat(env.query()).containsExactly(java.util.Map.entry("queue", "support"));
        assertThat(env.args()).containsExactly("5550005", "hello world");
    }

    @Test
    void secondSessionAfterRedirectCarriesTheConnectQuery() {
        AgiEnvironment env = (AgiEnvironment) decodeWhole(
                Transcript.load("r01_second_session_connect.txt").bytesFromAsterisk()).get(0);
        assertThat(env.script()).isEqualTo("connect");
        assertThat(env.query()).containsEntry("call", "12345");
        assertThat(env.context()).isEqualTo("hotline-connect");
    }

    @Test
    void hangupGluedToTheNextReplyGivesBoth() {
        String env = "agi_network: yes\nagi_network_script: x\n\n";
        assertThat(decodeWhole(env + "HANGUP511 Command Not Permitted on a dead channel or intercept routine\n"
                + "HANGUP200 result=-1\n").subList(1, 5)).containsExactly(
                AgiHangup.INSTANCE,
                new AgiReply.DeadChannel("Command Not Permitted on a dead channel or intercept routine"),
                AgiHangup.INSTANCE, ok("-1"));
    }

    @Test
    void unknownKeysEmptyValuesAndCrLfAreAccepted() {
        AgiEnvironment env = (AgiEnvironment) decodeWhole(
                "agi_network: yes\r\nagi_future_key: 42\r\nagi_accountcode:\r\nagi_callerid: unknown\r\n\r\n").get(0);
        assertThat(env.get("agi_future_key")).contains("42");
        assertThat(env.get("agi_accountcode")).contains("");
        assertThat(env.callerId()).isEmpty();
    }

    @Test
    void tryingAndRecordReplies() {
        List<AgiInbound> msgs = decodeWhole("agi_network: yes\n\n100 result=0 Trying...\n"
                + "200 result=0 (timeout) endpos=16000\n200 result=1 (value with ) endpos=5)\n");
        assertThat(msgs.get(1)).isEqualTo(new AgiReply.Trying("result=0 Trying..."));
        assertThat(msgs.get(2)).isEqualTo(new AgiReply.Success("0", Optional.of("timeout"), OptionalLong.of(16000)));
        assertThat(msgs.get(3)).isEqualTo(ok("1", "value with ) endpos=5"));
    }

    @Test
    void overlongLineFailsWithItsLengthAndLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new AgiDecoder(64, 1024));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("agi_x: " + "y".repeat(100),
                StandardCharsets.UTF_8)))
                .isInstanceOf(AgiProtocolException.class)
                .hasMessage("line 1: length 107+ bytes (expected: <= 64)");
        // The rest of the connection is discarded, not decoded.
        ch.writeInbound(Unpooled.copiedBuffer("\nagi_network: yes\n\n", StandardCharsets.UTF_8));
        assertThat((Object) ch.readInbound()).isNull();
        assertFalse(ch.finish());
    }

    @Test
    void oversizedEnvironmentFails() {
        EmbeddedChannel ch = new EmbeddedChannel(new AgiDecoder(64, 100));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer(
                "agi_a: 0123456789012345678901234567890123456789\n".repeat(3), StandardCharsets.UTF_8)))
                .isInstanceOf(AgiProtocolException.class)
                .hasMessageContaining("environment: more than 100 bytes")
                .extracting(e -> ((AgiProtocolException) e).reason()).isEqualTo("environment_too_large");
    }

    @Test
    void malformedEnvironmentAndRepliesAreNamed() {
        assertThatThrownBy(() -> decodeWhole("agi_network: yes\nGET / HTTP/1.1\n"))
                .hasMessage("environment line 2: 'GET / HTTP/1.1' (expected: agi_key: value)");
        assertThatThrownBy(() -> decodeWhole("\n"))
                .hasMessageContaining("empty line before any agi_* variable");
        assertThatThrownBy(() -> decodeWhole("agi_network: yes\n\n250 what\n"))
                .hasMessage("reply line 3: '250 what' (expected: 200, 100, 510, 511, 520 or HANGUP)");
        assertThatThrownBy(() -> decodeWhole("agi_network: yes\n\n200 nonsense\n"))
                .hasMessage("reply line 3: '200 nonsense' (expected: 200 result=N ...)");
    }
}
