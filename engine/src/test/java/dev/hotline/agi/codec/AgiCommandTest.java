package dev.hotline.agi.codec;

import dev.hotline.agi.testing.AsteriskArgs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgiCommandTest {

    @Test
    void simpleArgumentsGoBareAsInTheTranscripts() {
        assertThat(AgiCommand.of("GET DATA", "beep", "2000", "1").toWire()).isEqualTo("GET DATA beep 2000 1\n");
        assertThat(AgiCommand.of("ANSWER").toWire()).isEqualTo("ANSWER\n");
        assertThat(AgiCommand.of("GET FULL VARIABLE", "${CHANNEL}-${FOO}").toWire())
                .isEqualTo("GET FULL VARIABLE ${CHANNEL}-${FOO}\n");
    }

    @Test
    void emptyAndSpacedArgumentsAreQuoted() {
        assertThat(AgiCommand.of("STREAM FILE", "beep", "").toWire()).isEqualTo("STREAM FILE beep \"\"\n");
        assertThat(AgiCommand.of("VERBOSE", "fastagi main-menu done", "1").toWire())
                .isEqualTo("VERBOSE \"fastagi main-menu done\" 1\n");
    }

    @Test
    void hostileValuesStayOneArgumentOnOneLine() {
        List<String> hostile = List.of(
                "\" HANGUP",
                "x\" \"y",
                "a\\",
                "\\\"",
                "name\tTAB",
                "'; DROP TABLE calls; --",
                "\"\"",
                "  leading and trailing  ",
                "ÄÖ 日本 ☎",
                "end\\\" EXEC System \"rm -rf /");
        for (String value : hostile) {
            AgiCommand c = AgiCommand.of("SET VARIABLE", "CRM_NAME", value);
            String wire = c.toWire();
            assertThat(wire.indexOf('\n')).as(value).isEqualTo(wire.length() - 1);
            assertThat(AsteriskArgs.parse(wire.substring(0, wire.length() - 1)))
                    .as("what Asterisk reads for %s", value)
                    .containsExactly("SET", "VARIABLE", "CRM_NAME", value);
        }
    }

    @Test
    void lineBreaksAndControlCharactersAreRefusedWithThePosition() {
        assertThatThrownBy(() -> AgiCommand.of("SET VARIABLE", "X", "ok\nHANGUP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 2 of SET VARIABLE contains control character U+000A at index 2"
                        + " (expected: printable text; AGI cannot carry line breaks)");
        assertThatThrownBy(() -> AgiCommand.of("STREAM FILE", "a\rb", "")).hasMessageContaining("U+000D");
        assertThatThrownBy(() -> AgiCommand.of("VERBOSE", "nul\0", "1")).hasMessageContaining("U+0000");
        assertThat(AgiCommand.sanitize("ok\r\nHANGUP\0")).isEqualTo("ok  HANGUP ");
    }

    @Test
    void overlongLinesAndTooManyArgumentsAreRefusedNotTruncated() {
        assertThatThrownBy(() -> AgiCommand.of("SET VARIABLE", "X", "y".repeat(9000)))
                .hasMessageContaining("SET VARIABLE: line length 9016 bytes (expected: <= 8192");
        String[] many = new String[127];
        java.util.Arrays.fill(many, "a");
        assertThatThrownBy(() -> AgiCommand.of("EXEC", many)).hasMessageContaining("128 words (expected: <= 127)")
                .satisfies(e -> assertThat(e.getMessage()).startsWith("EXEC: 128"));
    }

    @Test
    void keywordsMustBeUpperCaseWords() {
        assertThatThrownBy(() -> AgiCommand.of("stream file", "x")).hasMessageContaining("keyword: 'stream'");
    }

    @Test
    void anyPrintableValueRoundTripsThroughAsteriskParsing() {
        String alphabet = " \t\"\\'abcXYZ019${}(),;|&=*#-_/@\u00e4\u00df\u65e5\u260e";
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 5000; round++) {
            String a = randomString(random, alphabet);
            String b = randomString(random, alphabet);
            String wire = AgiCommand.of("EXEC", a, b).toWire();
            String line = wire.substring(0, wire.length() - 1);
            assertThat(line).as("round %d", round).doesNotContain("\n", "\r");
            assertThat(AsteriskArgs.parse(line)).as("round %d: %s | %s", round, a, b).containsExactly("EXEC", a, b);
        }
    }

    private static String randomString(java.util.Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int len = random.nextInt(30);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
