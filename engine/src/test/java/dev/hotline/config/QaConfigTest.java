package dev.hotline.config;

import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Section {@code qa:} of hotline.yaml. */
class QaConfigTest {

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
    void readsTheSectionAndResolvesItsFolders() throws Exception {
        HotlineConfig c = load("""
                qa:
                  recordings_dir: /var/spool/asterisk/monitor
                  retention_days: 90
                  agents_hear_own: false
                  download_roles: [qa, supervisor]
                  report_due_day: 20
                  warn_days: 3
                  forms: etc/forms
                """);
        QaConfig q = c.qa();
        assertThat(q.recordingsDir()).isEqualTo(Path.of("/var/spool/asterisk/monitor"));
        assertThat(q.retentionDays()).isEqualTo(90);
        assertThat(q.agentsHearOwn()).isFalse();
        assertThat(q.downloadRoles()).containsExactlyInAnyOrder("qa", "supervisor");
        assertThat(q.reportDueDay()).isEqualTo(20);
        assertThat(q.warnDays()).isEqualTo(3);
        QaConfig resolved = c.resolvedAgainst(dir).qa();
        assertThat(resolved.recordingsDir()).as("absolute stays").isEqualTo(Path.of("/var/spool/asterisk/monitor"));
        assertThat(resolved.formsDir()).isEqualTo(dir.resolve("etc/forms"));
    }

    @Test
    void defaultsWhenAbsentAndTheShippedFileMatchesThem() throws Exception {
        assertThat(load("engine: {name: x}\n").qa()).isEqualTo(QaConfig.DEFAULTS);
        assertThat(QaConfig.DEFAULTS.downloadRoles()).isEqualTo(Set.of("qa", "admin"));
        HotlineConfig shipped = new ConfigLoader(Map.of()).load(Path.of("..", "config", "hotline.yaml"));
        assertThat(shipped.qa()).isEqualTo(QaConfig.DEFAULTS);
    }

    @Test
    void badValuesAreReportedAtTheirLines() throws Exception {
        assertThat(problems("""
                qa:
                  retention_days: -1
                  download_roles: [qa, boss]
                  report_due_day: 31
                  agents_hear_own: sometimes
                  retention: 90
                """)).containsExactly(
                "F:2:19: error: qa.retention_days: -1 (expected: an integer from 0 to 36500)",
                "F:3:24: error: qa.download_roles[1]: \"boss\" (expected: one of agent, supervisor, qa, admin)",
                "F:4:19: error: qa.report_due_day: 31 (expected: an integer from 1 to 28)",
                "F:5:20: error: qa.agents_hear_own: \"sometimes\" (expected: true or false)",
                "F:6:3: error: qa.retention: unknown key (expected one of:"
                        + " agents_hear_own, download_roles, forms, recordings_dir, report_due_day, retention_days,"
                        + " warn_days)");
    }
}
