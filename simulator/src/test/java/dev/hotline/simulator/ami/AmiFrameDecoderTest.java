package dev.hotline.simulator.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AmiFrameDecoder} in an {@link EmbeddedChannel}: however the bytes are cut, the same messages come out. */
class AmiFrameDecoderTest {

    private static final String INPUT = "Action: Login\r\nUsername: acd\r\nSecret: acd:secret\r\n\r\n"
            + "\r\n"
            + "Action: Originate\nChannel: Local/5551234@from-pstn\r\nCallerID: \"Zoë\" <0612345678>\r\n"
            + "no colon here\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n";

    private static final List<AmiMessage> MESSAGES = List.of(
            message("Action", "Login", "Username", "acd", "Secret", "acd:secret"),
            message("Action", "Originate", "Channel", "Local/5551234@from-pstn", "CallerID", "\"Zoë\" <0612345678>",
                    "Variable", "A=1", "Variable", "B=2"));

    @Test
    void wholeInput() {
        EmbeddedChannel channel = new EmbeddedChannel(new AmiFrameDecoder());
        channel.writeInbound(Unpooled.copiedBuffer(INPUT, StandardCharsets.UTF_8));
        assertThat(drain(channel)).isEqualTo(MESSAGES);
        assertFalse(channel.finish());
    }

    @Test
    void byteByByte() {
        EmbeddedChannel channel = new EmbeddedChannel(new AmiFrameDecoder());
        for (byte b : INPUT.getBytes(StandardCharsets.UTF_8)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(channel)).isEqualTo(MESSAGES);
        assertFalse(channel.finish());
    }

    @Test
    void everySplitPointBetweenTwoWrites() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            EmbeddedChannel channel = new EmbeddedChannel(new AmiFrameDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertThat(drain(channel)).as("cut at %d", cut).isEqualTo(MESSAGES);
            assertFalse(channel.finish());
        }
    }

    @Test
    void aMessageWithoutItsEmptyLineIsNotEmitted() {
        EmbeddedChannel channel = new EmbeddedChannel(new AmiFrameDecoder());
        channel.writeInbound(Unpooled.copiedBuffer("Action: Ping\r\nActionID: 1\r\n", StandardCharsets.UTF_8));
        assertThat(drain(channel)).isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer("\r", StandardCharsets.UTF_8));
        assertThat(drain(channel)).isEmpty();
        channel.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.UTF_8));
        assertThat(drain(channel)).containsExactly(message("Action", "Ping", "ActionID", "1"));
        assertFalse(channel.finish());
    }

    @Test
    void anOverLongLineIsRejectedWhetherOrNotItsNewlineCameInTheSameRead() {
        String longLine = "Variable: X=" + "y".repeat(AmiFrameDecoder.MAX_LINE) + "\r\n\r\n";
        EmbeddedChannel whole = new EmbeddedChannel(new AmiFrameDecoder());
        assertThatThrownBy(() -> whole.writeInbound(Unpooled.copiedBuffer(longLine, StandardCharsets.US_ASCII)))
                .isInstanceOf(TooLongFrameException.class);
        assertThat(drain(whole)).isEmpty();
        assertFalse(whole.finish());

        EmbeddedChannel pieces = new EmbeddedChannel(new AmiFrameDecoder());
        assertThatThrownBy(() -> {
            for (int i = 0; i < longLine.length(); i += 1000) {
                String piece = longLine.substring(i, Math.min(longLine.length(), i + 1000));
                pieces.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.US_ASCII));
            }
        }).isInstanceOf(DecoderException.class);
        assertThat(drain(pieces)).isEmpty();
        pieces.finish();
    }

    @Test
    void aLineOfExactlyTheLimitIsTaken() {
        String value = "y".repeat(AmiFrameDecoder.MAX_LINE - "Variable: X=".length());
        EmbeddedChannel channel = new EmbeddedChannel(new AmiFrameDecoder());
        channel.writeInbound(Unpooled.copiedBuffer("Variable: X=" + value + "\r\n\r\n", StandardCharsets.US_ASCII));
        assertThat(drain(channel)).containsExactly(message("Variable", "X=" + value));
        assertFalse(channel.finish());
    }

    private static AmiMessage message(String... keysAndValues) {
        AmiMessage.Builder builder = AmiMessage.builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.add(keysAndValues[i], keysAndValues[i + 1]);
        }
        return builder.build();
    }

    private static List<AmiMessage> drain(EmbeddedChannel channel) {
        List<AmiMessage> messages = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            messages.add((AmiMessage) message);
        }
        return messages;
    }
}
