package dev.hotline.simulator.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AgiArgs} against the rules of Asterisk's {@code parse_args()} in res_agi.c, case by case. */
class AgiArgsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                row("ANSWER", "ANSWER"),
                row("STREAM FILE beep \"\"", "STREAM", "FILE", "beep", ""),
                row("STREAM FILE beep \"\" 0", "STREAM", "FILE", "beep", "", "0"),
                row("EXEC Dial \"PJSIP/1001,20,g\"", "EXEC", "Dial", "PJSIP/1001,20,g"),
                row("VERBOSE \"hello world\" 1", "VERBOSE", "hello world", "1"),
                row("SET VARIABLE X \"a \\\"quoted\\\" word\"", "SET", "VARIABLE", "X", "a \"quoted\" word"),
                row("SET VARIABLE X a\\ b", "SET", "VARIABLE", "X", "a b"),
                row("SET VARIABLE X back\\\\slash", "SET", "VARIABLE", "X", "back\\slash"),
                row("SET VARIABLE X \\n", "SET", "VARIABLE", "X", "n"),
                row("GET\tVARIABLE\t\tFOO", "GET", "VARIABLE", "FOO"),
                row("  ANSWER  ", "ANSWER"),
                row("", new String[0]),
                row("   ", new String[0]),
                row("\"\"", ""),
                row("\"\" \"\"", "", ""),
                row("a\"b c\"d", "ab cd"),
                row("\"a b\"c", "a bc"),
                row("\"unterminated quote", "unterminated quote"),
                row("trailing\\", "trailing"),
                row("x \"\\\"\"", "x", "\""));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void splitsAsAsteriskDoes(String line, List<String> expected) {
        assertThat(AgiArgs.parse(line)).isEqualTo(expected);
    }

    @Test
    void keepsAtMost127ArgumentsAndDropsTheRest() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            words.add("w" + i);
        }
        assertThat(AgiArgs.parse(String.join(" ", words))).isEqualTo(words.subList(0, AgiArgs.MAX_ARGS - 1));
        assertThat(AgiArgs.parse(String.join(" ", words.subList(0, 127)))).hasSize(127);
        List<String> quotedTail = new ArrayList<>(words.subList(0, 126));
        quotedTail.add("\"last one\"");
        quotedTail.add("\"dropped\"");
        assertThat(AgiArgs.parse(String.join(" ", quotedTail))).hasSize(127).endsWith("last one");
    }

    private static Arguments row(String line, String... expected) {
        return Arguments.of(line, List.of(expected));
    }
}
