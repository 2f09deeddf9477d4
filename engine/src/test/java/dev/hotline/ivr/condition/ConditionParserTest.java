package dev.hotline.ivr.condition;

import dev.hotline.ivr.model.ValueRef;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionParserTest {

    private static final Function<ValueRef, String> CALL = ref -> switch (ref.source()) {
        case CALLER -> "0612345678";
        case LANG -> "en";
        case VAR -> Map.of("tier", "gold", "balance", "120.50").getOrDefault(ref.var(), "");
        default -> "";
    };

    private static boolean eval(String condition) throws ConditionException {
        return ConditionParser.parse(condition).test(CALL);
    }

    @Test
    void comparesTextNumbersPrefixesPatternsAndLists() throws ConditionException {
        assertThat(eval("caller starts with \"06\" and lang == \"en\"")).isTrue();
        assertThat(eval("vars.tier = 'gold'")).isTrue();
        assertThat(eval("vars.balance > 100 and vars.balance <= 120.5")).isTrue();
        assertThat(eval("vars.tier > 1")).as("text is not a number").isFalse();
        assertThat(eval("caller matches \"06[0-9]{8}\"")).isTrue();
        assertThat(eval("caller matches \"06\"")).as("whole value").isFalse();
        assertThat(eval("vars.tier in [\"silver\", \"gold\"]")).isTrue();
        assertThat(eval("vars.unset is empty and vars.tier is not empty")).isTrue();
        assertThat(eval("caller ends with \"78\" AND caller contains \"1234\"")).isTrue();
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() throws ConditionException {
        assertThat(eval("lang == \"fr\" and vars.tier == \"gold\" or caller starts with \"06\"")).isTrue();
        assertThat(eval("lang == \"fr\" and (vars.tier == \"gold\" or caller starts with \"06\")")).isFalse();
        assertThat(eval("not lang == \"fr\"")).isTrue();
    }

    @Test
    void reportsWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> ConditionParser.parse("vars.tier == "))
                .hasMessageStartingWith("the end (expected:").hasMessageEndingWith("at character 14");
        assertThatThrownBy(() -> ConditionParser.parse("System.exit(1)"))
                .hasMessageStartingWith("unknown value 'System.exit'");
        assertThatThrownBy(() -> ConditionParser.parse("caller matches \"[0-9\""))
                .hasMessageContaining("bad regular expression");
        assertThatThrownBy(() -> ConditionParser.parse("caller == \"06")).hasMessage(
                "text starting here is not closed by \" at character 11");
        assertThatThrownBy(() -> ConditionParser.parse("(caller == \"1\"")).hasMessageContaining("expected: ')'");
    }
}
