package dev.hotline.config;

import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Section {@code ha:} of hotline.yaml. */
class HaConfigTest {

    private static final String MARIADB = """
            database:
              kind: mariadb
              url: jdbc:mariadb://db:3306/hotline
              username: hotline
            """;

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
    void aStandbyOnTheEmbeddedDatabaseIsRefusedWithTheReason() throws Exception {
        assertThat(problems("""
                ha:
                  enabled: true
                """)).containsExactly("F:2:12: error: ha.enabled: true with database.kind: embedded (expected:"
                + " database.kind: mariadb; the two engines of a pair share one MariaDB or Galera cluster, and the"
                + " embedded database keeps single-engine mode)");
        assertThatThrownBy(() -> HotlineConfig.defaults().withHa(HaConfig.DEFAULTS.withEnabled(true)))
                .hasMessageContaining("ha.enabled: true with database.kind embedded");
    }

    @Test
    void timesThatCannotKeepOneActiveEngineAreRefusedAtTheirLines() throws Exception {
        assertThat(problems(MARIADB + """
                ha:
                  enabled: yes please
                  lease: 2s
                  renew_every: 1s
                  check_every: 5s
                  url: hotline-a:8080
                  leese: 3s
                """)).containsExactly(
                "F:6:12: error: ha.enabled: \"yes please\" (expected: true or false)",
                "F:8:16: error: ha.renew_every: 1s (expected: from 100ms to a third of ha.lease, 666ms, so a renewal"
                        + " may fail twice before the active engine steps down)",
                "F:9:16: error: ha.check_every: 5s (expected: from 50ms to ha.lease, 2s)",
                "F:10:8: error: ha.url: \"hotline-a:8080\" (expected: this engine's gateway address as agents reach"
                        + " it, e.g. https://hotline-a.example:8080/)",
                "F:11:3: error: ha.leese: unknown key, did you mean 'lease'? (expected one of: check_every, enabled,"
                        + " lease, renew_every, url)");
        assertThat(problems(MARIADB + """
                ha:
                  lease: 2s
                  lease_: 0s
                """)).contains("F:6:10: error: ha.lease: 2s (expected: at least three times ha.renew_every, 1s)");
        assertThat(problems(MARIADB + """
                ha:
                  lease: 90s
                """)).containsExactly("F:6:10: error: ha.lease: \"90s\" (expected: a duration from 1s to 1m, such as"
                + " 500ms, 30s, 5m, 1h)");
    }

    @Test
    void readsThePairOnMariaDbAndTheDefaultsTakeOverWithinFiveSeconds() throws Exception {
        HaConfig ha = load(MARIADB + """
                ha:
                  enabled: true
                  lease: 6s
                  renew_every: 2s
                  check_every: 250ms
                  url: https://hotline-a.example:8080/
                """).ha();
        assertThat(ha).isEqualTo(new HaConfig(true, Duration.ofSeconds(6), Duration.ofSeconds(2),
                Duration.ofMillis(250), "https://hotline-a.example:8080/"));
        assertThat(load("engine: {name: x}\n").ha()).isEqualTo(HaConfig.DEFAULTS);
        assertThat(HaConfig.DEFAULTS.enabled()).isFalse();
        assertThat(HaConfig.DEFAULTS.worstTakeover()).isLessThanOrEqualTo(Duration.ofSeconds(5));
        HotlineConfig shipped = new ConfigLoader(Map.of()).load(Path.of("..", "config", "hotline.yaml"));
        assertThat(shipped.ha()).isEqualTo(HaConfig.DEFAULTS);
    }

    @Test
    void programmaticConstructionIsGuardedToo() {
        assertThatThrownBy(() -> HaConfig.DEFAULTS.withTimes(Duration.ofSeconds(3), Duration.ofSeconds(2),
                Duration.ofMillis(500))).hasMessageStartingWith("renewEvery: 2s (expected: from 100ms to a third");
        assertThatThrownBy(() -> HaConfig.DEFAULTS.withTimes(Duration.ofMillis(500), Duration.ofMillis(100),
                Duration.ofMillis(100))).hasMessage("lease: 500ms (expected: from 1s to 1m)");
    }
}
