package dev.hotline.cli.ops;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/OPERATIONS.md names only files that exist, metrics the engine has and figures BENCHMARKS.md measured. */
@Tag("slow")
class OperationsGuideTest {

    static final Path GUIDE = Repo.ROOT.resolve("docs/OPERATIONS.md");

    /** Files the guide tells the operator to create, with the file they are made from. */
    static final List<String> MADE_BY_THE_OPERATOR = List.of("docker/.env");

    @Test
    void everyFileUnderDockerOrConfigThatTheGuideNamesExists() {
        String guide = Repo.read(GUIDE);
        Matcher m = Pattern.compile("(?<![\\w/.-])((?:docker|config)/[A-Za-z0-9_./-]*[A-Za-z0-9_])").matcher(guide);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).contains("docker/docker-compose.yml", "docker/Dockerfile", "docker/asterisk/manager.conf",
                "docker/asterisk/extensions.conf", "docker/asterisk/pjsip.conf", "docker/asterisk/musiconhold.conf",
                "config/agents.yaml");
        for (String path : named) {
            if (MADE_BY_THE_OPERATOR.contains(path)) {
                continue;
            }
            assertThat(Repo.ROOT.resolve(path)).as("docs/OPERATIONS.md names %s", path).exists();
        }
        // .env is made from env.example by a command the guide gives, and git ignores it.
        assertThat(guide).contains("cp docker/env.example docker/.env");
        assertThat(Repo.read(Repo.DOCKER.resolve(".gitignore")).lines()).contains(".env");
    }

    @Test
    void theGuideCoversEveryAsteriskFileAndTheConnectContext() throws IOException {
        String guide = Repo.read(GUIDE);
        try (Stream<Path> files = Files.list(Repo.ASTERISK)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(guide).as("the guide mentions %s", f.getFileName())
                        .contains("docker/asterisk/" + f.getFileName());
            }
        }
        for (String heading : List.of("## 1. From nothing to calls flowing", "## 2. Hotline with an Asterisk you already run",
                "## 3. Sizing", "## 4. Backups", "## 5. Upgrading", "## 6. Two Asterisk servers",
                "## 7. Securing AMI and FastAGI", "## 8. Logs and metrics")) {
            assertThat(guide).contains(heading);
        }
        assertThat(guide).contains("hotline-connect").contains("acd.connect_context").contains("AGISTATUS=FAILURE");
    }

    @Test
    void everyMetricTheGuideNamesExistsInTheEngine() {
        String guide = Repo.read(GUIDE);
        Matcher m = Pattern.compile("`((?:hotline|jvm|process)_[a-z0-9_]+)`").matcher(guide);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            named.add(m.group(1));
        }
        Matcher inline = Pattern.compile("`((?:hotline|jvm|process)_[a-z0-9_]+)[{ ]").matcher(guide);
        while (inline.find()) {
            named.add(inline.group(1));
        }
        assertThat(named).contains("hotline_agi_sessions_active", "hotline_agi_sessions_started_total",
                "hotline_agi_sessions_ended_total", "hotline_agi_refused_total", "hotline_agi_protocol_errors_total");
        assertThat(Repo.metricNames()).containsAll(named);
    }

    @Test
    void theMeasuredSizingFiguresComeFromBenchmarksMd() {
        String guide = Repo.read(GUIDE);
        String sizing = guide.substring(guide.indexOf("## 3. Sizing"), guide.indexOf("## 4. Backups"));
        // The measured bullets: from the first one to the advice that follows them ("What to set").
        String measured = sizing.substring(0, sizing.indexOf("What to set:"));
        String benchmarks = Repo.read(Repo.ROOT.resolve("BENCHMARKS.md")).replace(",", "");
        Matcher n = Pattern.compile("\\d[\\d,]*(?:\\.\\d+)?").matcher(measured.substring(measured.indexOf("- **")));
        int checked = 0;
        while (n.find()) {
            String figure = n.group().replace(",", "");
            assertThat(benchmarks).as("figure %s in the guide's Sizing is in BENCHMARKS.md", n.group()).contains(figure);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
    }
}
