package dev.hotline.config;

import dev.hotline.routing.BlendRule;
import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Section {@code outbound:} of hotline.yaml (docs/OUTBOUND.md). */
class OutboundConfigTest {

    @TempDir
    Path dir;

    private HotlineConfig load(String yaml) throws Exception {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return new ConfigLoader(Map.of()).load(f);
    }

    private List<String> problems(String yaml) throws Exception {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).load(f));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).map(s -> s.replace(f.toString(), "F")).toList();
    }

    @Test
    void everyBadValueIsReportedAtItsLineAndNothingElseIsSaid() throws Exception {
        assertThat(problems("""
                engine: {name: x}
                outbound:
                  context: "hotline outbound"
                  trunk: PJSIP/trunk
                  abandon_cap: 80
                  abandon_after: 30s
                  machine_action: voicemail
                  pacing:
                    brake: 0.4
                    max_ratio: 20
                    window: 10s
                  blending:
                    rule: inbound-first
                    min_calls: 0
                  amdd: true
                """)).containsExactly(
                "F:3:12: error: outbound.context: \"hotline outbound\" (expected: an Asterisk context name: letters,"
                        + " digits, '-', '_')",
                "F:4:10: error: outbound.trunk: \"PJSIP/trunk\" (expected: a dial string containing {number}, e.g."
                        + " PJSIP/{number}@trunk; leave it out to use acd.callback.trunk)",
                "F:5:16: error: outbound.abandon_cap: 80 (expected: a number from 0.1 to 50.0)",
                "F:6:18: error: outbound.abandon_after: \"30s\" (expected: a duration from 500ms to 10s, such as 500ms,"
                        + " 30s, 5m, 1h)",
                "F:7:19: error: outbound.machine_action: \"voicemail\" (expected: one of retry, message)",
                "F:9:12: error: outbound.pacing.brake: 0.4 (expected: a number from 0.51 to 1.0)",
                "F:10:16: error: outbound.pacing.max_ratio: 20 (expected: a number from 1.0 to 10.0)",
                "F:11:13: error: outbound.pacing.window: \"10s\" (expected: a duration from 1m to 1d, such as 500ms,"
                        + " 30s, 5m, 1h)",
                "F:13:11: error: outbound.blending.rule: \"inbound-first\" (expected: one of service-level,"
                        + " inbound-idle, priority)",
                "F:14:16: error: outbound.blending.min_calls: 0 (expected: an integer from 1 to 100000)",
                "F:15:3: error: outbound.amdd: unknown key, did you mean 'amd'? (expected one of: abandon_after,"
                        + " abandon_cap, amd, blending, context, customer_ring, enabled, machine_action, pacing,"
                        + " preview_timeout, priority, trunk)");
    }

    @Test
    void readsTheSectionAndLeavesTrunkAndRingToTheCallbacksWhenLeftOut() throws Exception {
        OutboundConfig o = load("""
                engine: {name: x}
                outbound:
                  enabled: false
                  trunk: "SIP/{number}@carrier"
                  customer_ring: 25s
                  priority: 3
                  abandon_after: 1500ms
                  preview_timeout: 90s
                  abandon_cap: 2.5
                  amd: false
                  machine_action: message
                  pacing: {window: 30m, min_samples: 50, initial_answer_rate: 0.25, brake: 0.8, max_ratio: 3}
                  blending: {rule: inbound-idle, window: 15m, min_calls: 10}
                """).outbound();
        assertThat(o).isEqualTo(new OutboundConfig(false, "hotline-outbound", Optional.of("SIP/{number}@carrier"),
                Optional.of(Duration.ofSeconds(25)), 3, Duration.ofMillis(1500), Duration.ofSeconds(90), 2.5, false,
                OutboundConfig.MachineAction.MESSAGE, new OutboundConfig.Pacing(Duration.ofMinutes(30), 50, 0.25, 0.8,
                3), new BlendRule(BlendRule.Mode.INBOUND_IDLE, Duration.ofMinutes(15), 10)));

        assertThat(load("engine: {name: x}\n").outbound()).isEqualTo(OutboundConfig.DEFAULTS);
        assertThat(OutboundConfig.DEFAULTS.blending()).isEqualTo(BlendRule.DEFAULT);
        assertThat(OutboundConfig.DEFAULTS.trunk()).as("acd.callback.trunk").isEmpty();
        HotlineConfig shipped = new ConfigLoader(Map.of()).load(Path.of("..", "config", "hotline.yaml"));
        assertThat(shipped.outbound()).as("the shipped file spells the defaults out").isEqualTo(OutboundConfig.DEFAULTS);
    }

    @Test
    void programmaticConstructionIsGuardedToo() {
        assertThatThrownBy(() -> OutboundConfig.DEFAULTS.withTrunk("PJSIP/trunk"))
                .hasMessage("outbound.trunk: 'PJSIP/trunk' (expected: a dial string with {number}, e.g."
                        + " PJSIP/{number}@trunk)");
        assertThatThrownBy(() -> new BlendRule(BlendRule.Mode.PRIORITY, Duration.ZERO, 1))
                .hasMessageContaining("window");
    }
}
