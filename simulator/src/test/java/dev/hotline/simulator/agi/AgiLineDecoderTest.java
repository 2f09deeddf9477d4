package dev.hotline.simulator.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AgiLineDecoder} in an {@link EmbeddedChannel}: however the bytes are cut, the same command lines come out. */
class AgiLineDecoderTest {

    private static final String INPUT = "ANSWER\nSTREAM FILE beep \"\"\n\nEXEC Dial \"PJSIP/1001,20,g\"\r\n"
            + "SET VARIABLE NAME \"Zoë\"\n";
    private static final List<String> LINES = List.of("ANSWER", "STREAM FILE beep \"\"", "",
            "EXEC Dial \"PJSIP/1001,20,g\"\r", "SET VARIABLE NAME \"Zoë\"");

    @Test
    void wholeInputGivesEveryLine() {
        assertThat(decode(List.of(INPUT))).isEqualTo(LINES);
    }

    @Test
    void byteByByteGivesTheSameLines() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.UTF_8);
        EmbeddedChannel channel = new EmbeddedChannel(new AgiLineDecoder());
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(channel)).isEqualTo(LINES);
        assertFalse(channel.finish());
    }

    @Test
    void splitInsideAMultiByteCharacterAndRightAfterTheNewline() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.UTF_8);
        int insideUmlaut = indexOf(bytes, (byte) 0xC3) + 1;
        int afterFirstNewline = indexOf(bytes, (byte) '\n') + 1;
        EmbeddedChannel channel = new EmbeddedChannel(new AgiLineDecoder());
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, afterFirstNewline));
        assertThat(drain(channel)).containsExactly("ANSWER");
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, afterFirstNewline, insideUmlaut - afterFirstNewline));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes, insideUmlaut, bytes.length - insideUmlaut));
        assertThat(drain(channel)).isEqualTo(LINES.subList(1, LINES.size()));
        assertFalse(channel.finish());
    }

    @Test
    void anUnterminatedTailIsHeldBackAndNotEmittedAtClose() {
        EmbeddedChannel channel = new EmbeddedChannel(new AgiLineDecoder());
        channel.writeInbound(Unpooled.copiedBuffer("ANSWER\nCHANNEL STA", StandardCharsets.UTF_8));
        assertThat(drain(channel)).containsExactly("ANSWER");
        assertFalse(channel.finish(), "a half line is not a command");
    }

    @Test
    void aLineLongerThanAsterisksBufferIsCutIntoPiecesOf8191Bytes() {
        String longLine = "VERBOSE \"" + "x".repeat(2 * AgiLineDecoder.BUFFER) + "\" 1";
        for (boolean byteByByte : new boolean[] {false, true}) {
            EmbeddedChannel channel = new EmbeddedChannel(new AgiLineDecoder());
            byte[] bytes = (longLine + "\nANSWER\n").getBytes(StandardCharsets.US_ASCII);
            if (byteByByte) {
                for (byte b : bytes) {
                    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                }
            } else {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            }
            List<String> lines = drain(channel);
            assertThat(lines).as("byteByByte=%s", byteByByte).hasSize(4);
            assertThat(lines.get(0)).hasSize(AgiLineDecoder.BUFFER - 1).isEqualTo(longLine.substring(0, 8191));
            assertThat(lines.get(1)).hasSize(AgiLineDecoder.BUFFER - 1);
            assertThat(String.join("", lines.subList(0, 3))).isEqualTo(longLine);
            assertThat(lines.get(3)).isEqualTo("ANSWER");
            assertFalse(channel.finish());
        }
    }

    @Test
    void atTheBufferBoundaryALineOf8191BytesLeavesItsNewlineAsAnEmptyLine() {
        String fits = "x".repeat(AgiLineDecoder.BUFFER - 2);
        String fills = "x".repeat(AgiLineDecoder.BUFFER - 1);
        assertThat(decode(List.of(fits + "\nANSWER\n"))).containsExactly(fits, "ANSWER");
        assertThat(decode(List.of(fills + "\nANSWER\n"))).containsExactly(fills, "", "ANSWER");
    }

    private static List<String> decode(List<String> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(new AgiLineDecoder());
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8));
        }
        List<String> lines = drain(channel);
        assertFalse(channel.finish());
        return lines;
    }

    private static List<String> drain(EmbeddedChannel channel) {
        List<String> lines = new ArrayList<>();
        for (Object line; (line = channel.readInbound()) != null; ) {
            lines.add((String) line);
        }
        return lines;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }
}
