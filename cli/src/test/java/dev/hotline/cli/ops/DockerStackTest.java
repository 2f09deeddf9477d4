package dev.hotline.cli.ops;

import dev.hotline.cli.Main;
import dev.hotline.config.HotlineConfig;
import dev.hotline.yaml.YamlList;
import dev.hotline.yaml.YamlMap;
import dev.hotline.yaml.YamlNode;
import dev.hotline.yaml.YamlScalar;
import dev.hotline.yaml.YamlTreeReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** docker/: the image, the compose file, the container's configuration, Prometheus and Grafana. */
@Tag("slow")
class DockerStackTest {

    static final Path COMPOSE = Repo.DOCKER.resolve("docker-compose.yml");

    // ------------------------------------------------------------------------------------------ Dockerfile

    /** Dockerfile lines with continuations joined and comments dropped. */
    static List<String> dockerfile() {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : Repo.read(Repo.DOCKER.resolve("Dockerfile")).split("\n")) {
            String line = raw.strip();
            if (cur.isEmpty() && (line.startsWith("#") || line.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            out.add(cur.toString().replaceAll("\\s+", " ").strip());
            cur.setLength(0);
        }
        return out;
    }

    static List<String> finalStage() {
        List<String> lines = dockerfile();
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        return lines.subList(lastFrom, lines.size());
    }

    @Test
    void theImageIsMultiStageOnPinnedJdkAndJre21Images() {
        List<String> froms = dockerfile().stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(froms.getFirst()).matches("FROM maven:\\d+\\.\\d+\\.\\d+-eclipse-temurin-(2[1-9]|[3-9]\\d) AS build");
        assertThat(froms.getLast()).matches("FROM eclipse-temurin:(2[1-9]|[3-9]\\d)\\.\\d+\\.\\d+_\\d+-jre-\\w+");
        assertThat(dockerfile()).anySatisfy(l -> assertThat(l).contains("mvn").contains("-pl cli -am package")
                .contains("-DskipTests"));
        assertThat(finalStage()).anySatisfy(l -> assertThat(l).startsWith("COPY --from=build"));
    }

    @Test
    void theImageRunsAsANonRootUserWithAHealthCheckAndExposesFastAgi() {
        List<String> stage = finalStage();
        List<String> users = stage.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        String user = users.getLast().substring(5).split(":")[0];
        assertThat(user).isNotIn("root", "0");
        assertThat(stage).anySatisfy(l -> assertThat(l).contains("useradd").contains(user));
        int userAt = stage.indexOf(users.getLast());
        int entryAt = indexOfPrefix(stage, "ENTRYPOINT ");
        assertThat(entryAt).as("ENTRYPOINT after USER").isGreaterThan(userAt);
        assertThat(stage).anySatisfy(l -> assertThat(l).startsWith("HEALTHCHECK ").contains("CMD")
                .contains("4573"));
        assertThat(stage).anySatisfy(l -> assertThat(l).startsWith("EXPOSE ").contains("4573").contains("8080"));
    }

    @Test
    void everyFileTheImageCopiesFromTheRepositoryExists() {
        for (String line : dockerfile()) {
            if (line.startsWith("COPY ") && !line.startsWith("COPY --from")) {
                String[] parts = line.substring(5).split(" ");
                for (int i = 0; i < parts.length - 1; i++) {
                    assertThat(Repo.ROOT.resolve(parts[i])).as(line).exists();
                }
            }
        }
        // What the container's hotline.yaml names relative to /opt/hotline is copied there.
        String df = String.join("\n", dockerfile());
        for (String p : List.of("ivr-scripts /opt/hotline/ivr-scripts", "config/calendars /opt/hotline/config/calendars",
                "config/agents.yaml /opt/hotline/config/agents.yaml", "config/logback.xml /opt/hotline/config/logback.xml",
                "docker/hotline/hotline.yaml /etc/hotline/hotline.yaml")) {
            assertThat(df).contains("COPY " + p);
        }
    }

    @Test
    void theImageCommandLineIsOneTheCliAccepts() {
        String entry = dockerfile().stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        String cmd = dockerfile().stream().filter(l -> l.startsWith("CMD ")).reduce((a, b) -> b).orElseThrow();
        List<String> args = new ArrayList<>(jsonArray(entry.substring("ENTRYPOINT ".length())));
        assertThat(args).contains("-Dhotline.home=/opt/hotline").contains("-jar");
        List<String> appArgs = new ArrayList<>(args.subList(args.indexOf("-jar") + 2, args.size()));
        appArgs.addAll(jsonArray(cmd.substring("CMD ".length())));
        assertThat(appArgs).containsExactly("--config", "/etc/hotline/hotline.yaml", "run");
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(appArgs.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        // and the other commands the guide runs in the container
        new CommandLine(new Main()).parseArgs("--config", "/etc/hotline/hotline.yaml", "config", "check");
        new CommandLine(new Main()).parseArgs("--config", "/etc/hotline/hotline.yaml", "validate");
    }

    // ------------------------------------------------------------------------------------------ hotline.yaml

    @Test
    void theContainerConfigurationIsValidAndUsesMariaDbWithSecretsFromTheEnvironment() throws Exception {
        HotlineConfig c = Repo.dockerConfig();
        assertThat(c.database().kind().name()).isEqualTo("MARIADB");
        assertThat(c.database().url()).isEqualTo("jdbc:mariadb://127.0.0.1:3306/hotline");
        assertThat(c.database().username()).isEqualTo("hotline");
        assertThat(c.database().password().reveal()).isEqualTo(Repo.ENV.get("HOTLINE_DB_PASSWORD"));
        assertThat(c.amiServers().getFirst().secret().reveal()).isEqualTo(Repo.ENV.get("HOTLINE_AMI_SECRET"));
        assertThat(c.agi().port()).isEqualTo(4573);
        // Every queue the sample IVR uses exists.
        String menu = Repo.read(Repo.ROOT.resolve("ivr-scripts/main-menu.yaml"));
        Matcher m = Pattern.compile("(?m)^\\s+queue: ([a-z0-9_-]+)").matcher(menu);
        while (m.find()) {
            assertThat(c.queue(m.group(1))).as("queue %s", m.group(1)).isPresent();
        }
        // The agents file it names (relative to /opt/hotline, i.e. the repository's layout) loads.
        assertThat(Repo.ROOT.resolve(c.agentsFile())).exists();
        assertThat(Repo.ROOT.resolve(c.ivrScripts())).isDirectory();
        assertThat(Repo.ROOT.resolve(c.calendars())).isDirectory();
        // Nothing secret in the file itself.
        assertThat(Repo.read(Repo.DOCKER.resolve("hotline/hotline.yaml")))
                .contains("${HOTLINE_AMI_SECRET}").contains("${HOTLINE_DB_PASSWORD}");
    }

    // ------------------------------------------------------------------------------------------ compose

    static YamlMap compose() throws Exception {
        return (YamlMap) YamlTreeReader.read(COMPOSE, "docker/docker-compose.yml");
    }

    static YamlMap map(YamlNode n, String key) {
        return (YamlMap) ((YamlMap) n).get(key);
    }

    static Optional<String> text(YamlNode n, String key) {
        YamlNode v = ((YamlMap) n).get(key);
        return v instanceof YamlScalar s ? Optional.of(s.text()) : Optional.empty();
    }

    static List<String> texts(YamlNode n, String key) {
        YamlNode v = ((YamlMap) n).get(key);
        if (!(v instanceof YamlList l)) {
            return List.of();
        }
        return l.items().stream().map(i -> ((YamlScalar) i).text()).toList();
    }

    @Test
    void theComposeFileBuildsTheDockerfileAndMountsFilesThatExist() throws Exception {
        YamlMap services = map(compose(), "services");
        assertThat(services.keys()).contains("hotline", "mariadb", "asterisk", "prometheus", "grafana");
        YamlMap build = map(services.get("hotline"), "build");
        Path context = Repo.DOCKER.resolve(text(build, "context").orElseThrow()).normalize();
        assertThat(context).isEqualTo(Repo.ROOT);
        assertThat(context.resolve(text(build, "dockerfile").orElseThrow())).isEqualTo(Repo.DOCKER.resolve("Dockerfile"));
        Set<String> mounted = new TreeSet<>();
        for (String name : services.keys()) {
            for (String volume : texts(services.get(name), "volumes")) {
                String source = volume.split(":")[0];
                if (source.startsWith(".")) {
                    Path p = Repo.DOCKER.resolve(source).normalize();
                    assertThat(p).as("%s mounts %s", name, volume).exists();
                    mounted.add(Repo.ROOT.relativize(p).toString());
                }
            }
        }
        // Every Asterisk configuration file and the entrypoint are mounted into the Asterisk container.
        try (Stream<Path> files = Files.list(Repo.ASTERISK)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".sh")).toList()) {
                assertThat(mounted).contains(Repo.ROOT.relativize(f).toString());
            }
        }
        assertThat(mounted).contains("docker/hotline/hotline.yaml", "docker/prometheus/prometheus.yml",
                "docker/grafana/provisioning", "docker/grafana/dashboards", "ivr-scripts");
        assertThat(texts(services.get("asterisk"), "entrypoint")).contains("/usr/local/bin/hotline-asterisk-entrypoint");
    }

    @Test
    void recordingsAreOneVolumeAtTheFolderHotlineReadsAndBothUsersMayUseIt() throws Exception {
        YamlMap root = compose();
        YamlMap services = map(root, "services");
        String dir = Repo.dockerConfig().qa().recordingsDir().toString();
        assertThat(dir).isEqualTo("/var/spool/asterisk/monitor");
        assertThat(texts(services.get("asterisk"), "volumes")).contains("call-recordings:" + dir);
        assertThat(texts(services.get("hotline"), "volumes")).contains("call-recordings:" + dir,
                "../config/qa-forms:/opt/hotline/config/qa-forms:ro");
        assertThat(((YamlMap) root.get("volumes")).keys()).contains("call-recordings");
        // Asterisk makes the files group-readable and -writable for the hotline user's group, which the image
        // creates with that number: Hotline plays them and deletes them after retention.
        String entrypoint = Repo.read(Repo.ASTERISK.resolve("entrypoint.sh"));
        assertThat(entrypoint).contains("chown -R asterisk:10001 \"$monitor\"").contains("chmod 2770")
                .contains("umask 007");
        assertThat(entrypoint.indexOf("umask 007")).isLessThan(entrypoint.indexOf("exec /usr/sbin/asterisk"));
        assertThat(finalStage()).anySatisfy(l -> assertThat(l).contains("groupadd --system --gid 10001 hotline"));
        assertThat(Repo.dockerConfig().qa().formsDir()).isEqualTo(Path.of("config/qa-forms"));
        assertThat(finalStage()).contains("COPY config/qa-forms /opt/hotline/config/qa-forms");
    }

    @Test
    void everyImageIsPinnedAndMonitoringIsAnOptionalProfile() throws Exception {
        YamlMap services = map(compose(), "services");
        for (String name : services.keys()) {
            Optional<String> image = text(services.get(name), "image");
            assertThat(image).as(name).isPresent();
            if (name.equals("hotline")) {
                assertThat(image).contains("hotline:local");
                continue;
            }
            String tag = image.orElseThrow().substring(image.orElseThrow().lastIndexOf(':') + 1);
            assertThat(tag).as("%s is pinned to a version", image.get()).matches("v?\\d+\\.\\d+\\.\\d+.*");
        }
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(texts(services.get(name), "profiles")).containsExactly("monitoring");
        }
        for (String name : List.of("hotline", "mariadb", "asterisk")) {
            assertThat(((YamlMap) services.get(name)).get("profiles")).as(name).isNull();
        }
        assertThat(text(services.get("asterisk"), "image")).hasValueSatisfying(i -> assertThat(i).contains(":22."));
    }

    @Test
    void theComposeFileParsesWithARealComposeTool() throws Exception {
        List<String> tool = composeTool();
        if (tool == null) {
            String notice = "no compose tool here (neither `docker compose` nor `docker-compose`): the compose"
                    + " syntax check is skipped; install one (e.g. apt-get install docker-compose) to run it";
            System.err.println("NOTICE: " + notice);
            assumeTrue(false, notice);
        }
        Path envFile = Files.createTempFile("hotline-compose", ".env");
        try {
            Files.writeString(envFile, Repo.ENV.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("\n", "", "\n")));
            Result ok = run(tool, "--env-file", envFile.toString(), "-f", COMPOSE.toString(), "config", "-q");
            assertThat(ok.code()).as("%s config -q: %s", tool, ok.output()).isZero();
            Result profiles = run(tool, "--env-file", envFile.toString(), "-f", COMPOSE.toString(),
                    "--profile", "monitoring", "config", "--services");
            assertThat(profiles.code()).as(profiles.output()).isZero();
            assertThat(profiles.output().lines().map(String::strip).toList())
                    .contains("hotline", "mariadb", "asterisk", "prometheus", "grafana");
            // Without the secrets the stack refuses to start rather than run with empty passwords.
            Files.writeString(envFile, "COMPOSE_PROJECT_NAME=hotline\n");
            Result missing = run(tool, "--env-file", envFile.toString(), "-f", COMPOSE.toString(), "config", "-q");
            assertThat(missing.code()).isNotZero();
            assertThat(missing.output()).contains("in docker/.env");
        } finally {
            Files.deleteIfExists(envFile);
        }
    }

    record Result(int code, String output) {
    }

    /** {@code docker compose} (v2 plugin) when it works, else {@code docker-compose}, else null. */
    static List<String> composeTool() {
        for (List<String> candidate : List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
            try {
                List<String> version = new ArrayList<>(candidate);
                version.add("version");
                if (run(version).code() == 0) {
                    return candidate;
                }
            } catch (IOException e) {
                // not installed
            }
        }
        return null;
    }

    static Result run(List<String> tool, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(tool);
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static Result run(List<String> cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(Repo.DOCKER.toFile());
        // Only what the command is given: no secrets from the caller's environment, no stray docker/.env.
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> Repo.ENV.containsKey(k) || k.startsWith("COMPOSE_") || k.equals("JDK_JAVA_OPTIONS"));
        Process p = pb.start();
        p.getOutputStream().close();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    // ------------------------------------------------------------------------------------------ monitoring

    @Test
    void prometheusScrapesTheGatewayPortAndTheDashboardUsesOnlyMetricsTheEngineHas() throws Exception {
        YamlMap prom = (YamlMap) YamlTreeReader.read(Repo.DOCKER.resolve("prometheus/prometheus.yml"), "prometheus.yml");
        YamlMap job = (YamlMap) ((YamlList) prom.get("scrape_configs")).items().getFirst();
        assertThat(text(job, "job_name")).contains("hotline");
        assertThat(text(job, "metrics_path")).contains("/metrics");
        YamlMap statics = (YamlMap) ((YamlList) job.get("static_configs")).items().getFirst();
        assertThat(texts(statics, "targets")).containsExactly("127.0.0.1:8080");

        String dashboard = Repo.read(Repo.DOCKER.resolve("grafana/dashboards/hotline.json"));
        Set<String> used = new TreeSet<>();
        Matcher expr = Pattern.compile("\"(?:expr|query|definition)\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
        Pattern name = Pattern.compile("\\b((?:hotline|jvm|process|system)_[a-z0-9_]+)\\b");
        while (expr.find()) {
            Matcher n = name.matcher(expr.group(1));
            while (n.find()) {
                used.add(n.group(1));
            }
        }
        assertThat(used).contains("hotline_agi_sessions_active", "hotline_agi_sessions_started_total",
                "hotline_agi_sessions_ended_total", "hotline_agi_refused_total", "hotline_agi_command_seconds_bucket",
                "hotline_agi_protocol_errors_total");
        assertThat(Repo.metricNames()).as("series the engine exposes").containsAll(used);
        // The provisioned data source is the one the panels name.
        assertThat(Repo.read(Repo.DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml")))
                .contains("uid: hotline-prometheus").contains("url: http://127.0.0.1:9090");
        assertThat(dashboard).contains("\"uid\": \"hotline-prometheus\"");
    }

    // ------------------------------------------------------------------------------------------ helpers

    static int indexOfPrefix(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** A Dockerfile exec-form array: ["a", "b"] (no escapes inside the strings). */
    static List<String> jsonArray(String text) {
        String t = text.strip();
        assertThat(t).startsWith("[").endsWith("]");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(t);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
