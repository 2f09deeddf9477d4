package dev.hotline.config;

import dev.hotline.yaml.YamlProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("hotline.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private List<String> problems(String yaml, Map<String, String> env) throws IOException {
        Path f = write(yaml);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(env).load(f));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.problems().stream().map(YamlProblem::toString).map(s -> s.replace(f.toString(), "F")).toList();
    }

    private List<String> problems(String yaml) throws IOException {
        return problems(yaml, Map.of());
    }

    @Test
    void shippedConfigFileIsValid() throws Exception {
        Path shipped = Path.of("..", "config", "hotline.yaml");
        HotlineConfig c = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cr3t")).load(shipped);
        assertThat(c.agi().port()).isEqualTo(4573);
        assertThat(c.amiServers()).singleElement().satisfies(s -> assertThat(s.secret().reveal()).isEqualTo("s3cr3t"));
        assertThat(c.database().kind()).isEqualTo(DatabaseConfig.Kind.EMBEDDED);
    }

    @Test
    void readsEveryAgiKey() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                agi:
                  bind: 0.0.0.0
                  port: 14573
                  allow: [10.1.0.0/16]
                  max_sessions: 500
                  idle_timeout: 2m
                  command_timeout: 1500ms
                  shutdown_grace: 0s
                  max_line_length: 4096
                  max_environment_size: 2048
                """));
        AgiConfig a = c.agi();
        assertThat(a.bind()).isEqualTo("0.0.0.0");
        assertThat(a.port()).isEqualTo(14573);
        assertThat(a.allow()).extracting(Object::toString).containsExactly("10.1.0.0/16");
        assertThat(a.maxSessions()).isEqualTo(500);
        assertThat(a.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(a.commandTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(a.shutdownGrace()).isZero();
        assertThat(a.maxLineLength()).isEqualTo(4096);
        assertThat(a.maxEnvironmentSize()).isEqualTo(2048);
    }

    @Test
    void wrongTypeNamesFileLinePathValueAndExpectation() throws Exception {
        assertThat(problems("""
                agi:
                  port: "four"
                """)).containsExactly("F:2:9: error: agi.port: \"four\" (expected: an integer from 1 to 65535)");
    }

    @Test
    void outOfRangeValueIsRejected() throws Exception {
        assertThat(problems("""
                agi:
                  max_sessions: 0
                """)).containsExactly("F:2:17: error: agi.max_sessions: 0 (expected: an integer from 1 to 1000000)");
    }

    @Test
    void unknownKeyIsRejectedWithSuggestion() throws Exception {
        assertThat(problems("""
                agi:
                  prot: 4573
                """)).singleElement().asString()
                .startsWith("F:2:3: error: agi.prot: unknown key, did you mean 'port'? (expected one of: allow, bind,");
        assertThat(problems("colour: blue\n")).singleElement().asString().startsWith("F:1:1: error: colour: unknown key");
    }

    @Test
    void durationsNeedAUnit() throws Exception {
        assertThat(problems("agi:\n  idle_timeout: 30\n")).containsExactly(
                "F:2:17: error: agi.idle_timeout: 30 (expected: a duration from 1s to 1d, such as 500ms, 30s, 5m, 1h)");
    }

    @Test
    void reportsEveryProblemInFileOrder() throws Exception {
        List<String> p = problems("""
                agi:
                  port: 0
                  allow: [300.1.1.1/8, 10.0.0.0/8]
                database:
                  kind: oracle
                """);
        assertThat(p).hasSize(3);
        assertThat(p.get(0)).startsWith("F:2:9: error: agi.port: 0");
        assertThat(p.get(1)).startsWith("F:3:11: error: agi.allow[0]: \"300.1.1.1/8\"");
        assertThat(p.get(2)).isEqualTo("F:5:9: error: database.kind: \"oracle\" (expected: one of embedded, mariadb)");
    }

    @Test
    void secretsComeFromTheEnvironmentAndNeverAppearInMessages() throws Exception {
        String yaml = """
                ami:
                  servers:
                    - id: pbx1
                      host: 127.0.0.1
                      username: hotline
                      secret: ${AMI_SECRET}
                      port: 99999
                """;
        List<String> p = problems(yaml, Map.of("AMI_SECRET", "hunter2"));
        assertThat(p).singleElement().asString().contains("ami.servers[0].port: 99999");
        assertThat(String.join("\n", p)).doesNotContain("hunter2");

        Path f = write(yaml.replace("port: 99999", "port: 5038"));
        HotlineConfig c = new ConfigLoader(Map.of("AMI_SECRET", "hunter2")).load(f);
        assertThat(c.amiServers().get(0).secret().reveal()).isEqualTo("hunter2");
        assertThat(c.toString()).doesNotContain("hunter2").contains("****");
    }

    @Test
    void missingEnvironmentVariableIsNamed() throws Exception {
        assertThat(problems("""
                database:
                  kind: mariadb
                  url: jdbc:mariadb://db:3306/hotline
                  password: ${DB_PW}
                """)).containsExactly(
                "F:4:13: error: database.password: environment variable DB_PW is not set (expected: the secret in that variable)");
    }

    @Test
    void mariadbNeedsAMariadbUrl() throws Exception {
        assertThat(problems("database:\n  kind: mariadb\n  url: jdbc:h2:mem:x\n")).singleElement().asString()
                .contains("database.url: \"jdbc:h2:mem:x\" (expected: jdbc:mariadb://host:port/database when kind is mariadb)");
    }

    @Test
    void duplicateAmiServerIdsAreRejected() throws Exception {
        assertThat(problems("""
                ami:
                  servers:
                    - {id: a, host: h1, username: u}
                    - {id: a, host: h2, username: u}
                """)).singleElement().asString().contains("ami.servers[1].id: \"a\" is used by two servers");
    }

    @Test
    void yamlSyntaxErrorsCarryTheirLocation() throws Exception {
        assertThat(problems("agi:\n  port: [1, 2\n")).singleElement().asString().startsWith("F:").contains("YAML syntax error");
        assertThat(problems("agi:\n  port: 1\n  port: 2\n")).containsExactly(
                "F:3:3: error: agi.port: duplicate key (first defined at line 2)");
    }

    @Test
    void missingFileIsReportedNotThrownAsIoError() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.yaml:1:1: error: file not found");
    }

    @Test
    void recordsRejectBadValuesWhenBuiltInCode() {
        assertThatThrownBy(() -> AgiConfig.DEFAULTS.withPort(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port: -1 (expected: 0..65535)");
    }

    @Test
    void readsQueues() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: support
                    skills: {support: 3, english: 1}
                    priority: 5
                    service_level: {percent: 90, within: 15s}
                    max_wait: 2m
                    max_length: 40
                    wrap_up: 0s
                    ring_timeout: 12s
                    strategy: most-skilled
                    record: true
                  - name: sales
                """));
        assertThat(c.queue("sales").orElseThrow().record()).as("not recorded unless asked").isFalse();
        QueueConfig q = c.queue("support").orElseThrow();
        assertThat(q.record()).isTrue();
        assertThat(q.skills()).containsEntry("support", 3).containsEntry("english", 1);
        assertThat(q.skills().keySet()).as("in the order written: support is the primary skill")
                .containsExactly("support", "english");
        assertThat(q.priority()).isEqualTo(5);
        assertThat(q.serviceLevelPct()).isEqualTo(90);
        assertThat(q.serviceLevelTime()).isEqualTo(Duration.ofSeconds(15));
        assertThat(q.maxWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(q.maxLength()).isEqualTo(40);
        assertThat(q.wrapUp()).isZero();
        assertThat(q.ringTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(q.strategy()).isEqualTo(QueueConfig.Strategy.MOST_SKILLED);
    }

    @Test
    void badQueueValuesAreReportedAtTheirLines() throws Exception {
        assertThat(problems("""
                queues:
                  - name: sales
                    skills: {sales: 11}
                    strategy: random
                    record: sometimes
                  - name: sales
                """)).containsExactly(
                "F:3:21: error: queues[0].skills.sales: 11 (expected: an integer from 1 to 10)",
                "F:4:15: error: queues[0].strategy: \"random\" (expected: one of longest-idle, most-skilled, "
                        + "least-occupied, round-robin, preferred-agent)",
                "F:5:13: error: queues[0].record: \"sometimes\" (expected: true or false)",
                "F:6:11: error: queues[1].name: \"sales\" is used by two queues (expected: a unique name)");
    }

    @Test
    void readsQueueTreatmentsAndEscalation() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: support
                    on_timeout: voicemail:200
                    exit_keys: {"1": "voicemail:200", "0": "queue:operator"}
                    escalation:
                      - {after: 30s, lower_min_level: {skill: support, level: 2}}
                      - {after: 60s, raise_priority: 5}
                      - {after: 90s, move_to: operator}
                  - name: operator
                acd:
                  connect_context: my-connect
                  announce_interval: 0s
                """));
        QueueConfig q = c.queue("support").orElseThrow();
        assertThat(q.onTimeout()).isEqualTo(new QueueTarget(QueueTarget.Kind.VOICEMAIL, "200"));
        assertThat(q.exitKeys()).containsEntry('1', new QueueTarget(QueueTarget.Kind.VOICEMAIL, "200"))
                .containsEntry('0', new QueueTarget(QueueTarget.Kind.QUEUE, "operator"));
        assertThat(q.escalation()).containsExactly(
                new dev.hotline.routing.EscalationStep.LowerMinLevel(Duration.ofSeconds(30), "support", 2),
                new dev.hotline.routing.EscalationStep.RaisePriority(Duration.ofSeconds(60), 5),
                new dev.hotline.routing.EscalationStep.MoveToQueue(Duration.ofSeconds(90), "operator"));
        assertThat(c.acd().connectContext()).isEqualTo("my-connect");
        assertThat(c.acd().announceInterval()).isZero();
    }

    @Test
    void readsTheRingNoAnswerPolicyGloballyAndPerQueue() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: sales
                    ring_no_answer: skip 20s
                  - name: support
                acd:
                  ring_no_answer: until_agent
                """));
        assertThat(c.queue("sales").orElseThrow().ringNoAnswer())
                .contains(new dev.hotline.routing.RingNoAnswer.Skip(Duration.ofSeconds(20)));
        assertThat(c.queue("support").orElseThrow().ringNoAnswer()).isEmpty();
        assertThat(c.acd().ringNoAnswer()).isEqualTo(new dev.hotline.routing.RingNoAnswer.UntilAgent());

        HotlineConfig defaults = new ConfigLoader(Map.of()).load(write("queues:\n  - name: sales\n"));
        assertThat(defaults.acd().ringNoAnswer()).as("the default keeps a centre running")
                .isEqualTo(new dev.hotline.routing.RingNoAnswer.Pause(Duration.ofSeconds(30)));
    }

    @Test
    void aWrongRingNoAnswerPolicyIsReportedInWords() throws Exception {
        assertThat(problems("""
                queues:
                  - name: sales
                    ring_no_answer: pause
                  - name: support
                    ring_no_answer: skip forever
                acd:
                  ring_no_answer: autopause
                """)).containsExactly(
                "F:3:21: error: queues[0].ring_no_answer: \"pause\": pause needs how long, from 1s to 1h (expected:"
                        + " skip <time>, pause <time> or until_agent, e.g. pause 30s)",
                "F:5:21: error: queues[1].ring_no_answer: \"skip forever\": \"forever\" is not a time from 1s to 1h"
                        + " (expected: skip <time>, pause <time> or until_agent, e.g. pause 30s)",
                "F:7:19: error: acd.ring_no_answer: \"autopause\" (expected: skip <time>, pause <time> or"
                        + " until_agent, e.g. pause 30s)");
    }

    @Test
    void readsTheOfferWaitAndRefusesOneOutOfRange() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: sales
                acd:
                  offer_wait: 20ms
                """));
        assertThat(c.acd().offerWait()).isEqualTo(Duration.ofMillis(20));
        HotlineConfig defaults = new ConfigLoader(Map.of()).load(write("queues:\n  - name: sales\n"));
        assertThat(defaults.acd().offerWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(problems("""
                queues:
                  - name: sales
                acd:
                  offer_wait: 2s
                """)).singleElement().asString().startsWith("F:4:15: error: acd.offer_wait:");
    }

    @Test
    void readsEveryCallbackKeyAndDefaultsTheMissingOnes() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: support
                    exit_keys: {"2": callback}
                acd:
                  callback:
                    context: cb-ctx
                    trunk: "SIP/{number}@provider"
                    customer_ring: 25s
                    max_attempts: 5
                    retry_delay: 2m
                    calendar: business
                    overdue_after: 30m
                    caller_id: "+33100000000"
                """));
        assertThat(c.queue("support").orElseThrow().exitKeys())
                .containsEntry('2', new QueueTarget(QueueTarget.Kind.CALLBACK, ""));
        assertThat(c.acd().callback()).isEqualTo(new CallbackConfig("cb-ctx", "SIP/{number}@provider",
                Duration.ofSeconds(25), 5, Duration.ofMinutes(2), java.util.Optional.of("business"),
                Duration.ofMinutes(30), "+33100000000"));
        assertThat(c.acd().callback().dialString("0612")).isEqualTo("SIP/0612@provider");

        HotlineConfig d = new ConfigLoader(Map.of()).load(write("acd:\n  callback: {max_attempts: 1}\n"));
        assertThat(d.acd().callback()).isEqualTo(new CallbackConfig("hotline-callback", "PJSIP/{number}@trunk",
                Duration.ofSeconds(30), 1, Duration.ofMinutes(10), java.util.Optional.empty(), Duration.ofHours(1), ""));
        assertThat(new ConfigLoader(Map.of()).load(write("agi: {port: 4573}\n")).acd().callback())
                .isEqualTo(CallbackConfig.DEFAULTS);
    }

    @Test
    void eachBadCallbackValueIsReportedAtItsLineAndColumn() throws Exception {
        List<String> p = problems("""
                acd:
                  callback:
                    context: "bad context"
                    trunk: "PJSIP/trunk"
                    customer_ring: 0s
                    max_attempts: 21
                    retry_delay: 2d
                    calendar: "../etc/passwd"
                    overdue_after: 8d
                    caller_id: "abc"
                    ring: 5s
                """);
        assertThat(p).containsExactlyInAnyOrder(
                "F:3:14: error: acd.callback.context: \"bad context\" (expected: an Asterisk context name: letters,"
                        + " digits, '-', '_')",
                "F:4:12: error: acd.callback.trunk: \"PJSIP/trunk\" (expected: a dial string containing {number},"
                        + " e.g. PJSIP/{number}@trunk)",
                "F:5:20: error: acd.callback.customer_ring: \"0s\" (expected: a duration from 1s to 5m, such as 500ms,"
                        + " 30s, 5m, 1h)",
                "F:6:19: error: acd.callback.max_attempts: 21 (expected: an integer from 1 to 20)",
                "F:7:18: error: acd.callback.retry_delay: \"2d\" (expected: a duration from 0s to 1d, such as 500ms,"
                        + " 30s, 5m, 1h)",
                "F:8:15: error: acd.callback.calendar: \"../etc/passwd\" (expected: the name of a calendar file"
                        + " without .yaml)",
                "F:9:20: error: acd.callback.overdue_after: \"8d\" (expected: a duration from 0s to 7d, such as 500ms,"
                        + " 30s, 5m, 1h)",
                "F:10:16: error: acd.callback.caller_id: \"abc\" (expected: digits, optionally starting with +)",
                "F:11:5: error: acd.callback.ring: unknown key (expected one of: calendar, caller_id, context,"
                        + " customer_ring, max_attempts, mode, name_folder, overdue_after, owner_first_for,"
                        + " record_name, retry_delay, trunk)");
    }

    @Test
    void readsTheCallbackModeNameRecordingAndOwnerWindow() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                acd:
                  callback:
                    mode: customer-first
                    record_name: 6s
                    name_folder: /var/spool/hotline/names
                    owner_first_for: 30m
                """));
        CallbackConfig cb = c.acd().callback();
        assertThat(cb.mode()).isEqualTo(CallbackConfig.Mode.CUSTOMER_FIRST);
        assertThat(cb.recordName()).isEqualTo(Duration.ofSeconds(6));
        assertThat(cb.recordsName()).isTrue();
        assertThat(cb.nameFolder()).isEqualTo("/var/spool/hotline/names");
        assertThat(cb.nameFile("1700000000.42")).isEqualTo("/var/spool/hotline/names/callback-1700000000_42");
        assertThat(cb.ownerFirstFor()).isEqualTo(Duration.ofMinutes(30));
        CallbackConfig d = CallbackConfig.DEFAULTS;
        assertThat(d.mode()).isEqualTo(CallbackConfig.Mode.AGENT_FIRST);
        assertThat(d.recordsName()).isFalse();
        assertThat(d.ownerFirstFor()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badModeRecordingAndOwnerWindowValuesAreReportedAtTheirLine() throws Exception {
        List<String> p = problems("""
                acd:
                  callback:
                    mode: customer_first
                    record_name: 31s
                    name_folder: "names; rm -rf"
                    owner_first_for: 2d
                """);
        assertThat(p).containsExactlyInAnyOrder(
                "F:3:11: error: acd.callback.mode: \"customer_first\" (expected: one of agent-first, customer-first)",
                "F:4:18: error: acd.callback.record_name: \"31s\" (expected: a duration from 0s to 30s, such as"
                        + " 500ms, 30s, 5m, 1h)",
                "F:5:18: error: acd.callback.name_folder: \"names; rm -rf\" (expected: a folder path of letters,"
                        + " digits, '-', '_', '.', '/', e.g. hotline-callback-names)",
                "F:6:22: error: acd.callback.owner_first_for: \"2d\" (expected: a duration from 0s to 1d, such as"
                        + " 500ms, 30s, 5m, 1h)");
    }

    @Test
    void readsAQueueCallbackOffer() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: support
                    callback_offer: {after_ewt: 120s, key: "3"}
                  - name: sales
                    exit_keys: {"2": callback}
                    callback_offer: {after_ewt: 0s, key: 2, prompt: custom/offer}
                  - name: billing
                """));
        QueueConfig support = c.queue("support").orElseThrow();
        assertThat(support.callbackOffer()).contains(new QueueConfig.CallbackOffer(Duration.ofSeconds(120), '3',
                "hotline/callback-offer"));
        assertThat(support.isCallbackKey('3')).isTrue();
        assertThat(support.isCallbackKey('2')).isFalse();
        assertThat(c.queue("sales").orElseThrow().callbackOffer()).contains(new QueueConfig.CallbackOffer(
                Duration.ZERO, '2', "custom/offer"));
        assertThat(c.queue("billing").orElseThrow().callbackOffer()).isEmpty();
    }

    @Test
    void readsWallboardThresholdsWithDefaultsForWhatIsLeftOut() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: support
                    service_level: {percent: 90, within: 15s}
                    wallboard:
                      waiting: {warn: 2, alert: 4}
                      abandoned_percent: {alert: 20}
                  - name: sales
                """));
        QueueConfig.Thresholds t = c.queue("support").orElseThrow().thresholds();
        assertThat(t).isEqualTo(new QueueConfig.Thresholds(2, 4, Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(15), Duration.ofSeconds(30), 5, 20, 70));
        assertThat(c.queue("sales").orElseThrow().wallboard()).isEmpty();
        assertThat(c.queue("sales").orElseThrow().thresholds().waitingAlert()).isEqualTo(6);
        assertThat(dev.hotline.directory.Documents.queue(c.queue("support").orElseThrow()).get("wallboard"))
                .hasToString("{waiting={warn=2, alert=4}, longest_wait={warn=15s, alert=30s}, asa={warn=15s,"
                        + " alert=30s}, abandoned_percent={warn=5, alert=20}, service_level_percent={alert=70}}");
    }

    @Test
    void wallboardThresholdsOutOfOrderAreReportedAtTheAlert() throws Exception {
        assertThat(problems("""
                queues:
                  - name: support
                    wallboard:
                      longest_wait: {warn: 60s, alert: 30s}
                      colour: red
                """)).containsExactly(
                "F:4:40: error: queues[0].wallboard.longest_wait.alert: below warn (expected: warn <= alert: amber"
                        + " first, then red)",
                "F:5:7: error: queues[0].wallboard.colour: unknown key (expected one of: abandoned_percent, asa,"
                        + " longest_wait, service_level_percent, waiting)");
    }

    @Test
    void badCallbackOffersAreReportedAtTheirLine() throws Exception {
        List<String> p = problems("""
                queues:
                  - name: support
                    exit_keys: {"1": "voicemail:200"}
                    callback_offer: {after_ewt: 2 minutes, key: "1"}
                  - name: sales
                    callback_offer: {key: "22", prompt: "../x y", when: always}
                """);
        assertThat(p).containsExactlyInAnyOrder(
                "F:4:33: error: queues[0].callback_offer.after_ewt: \"2 minutes\" (expected: a duration from 0s to 4h,"
                        + " such as 500ms, 30s, 5m, 1h)",
                "F:4:49: error: queues[0].callback_offer.key: \"1\" is already the exit key to voicemail:200"
                        + " (expected: a free key, or the queue's callback exit key)",
                "F:6:21: error: queues[1].callback_offer.after_ewt: missing (expected: a duration such as 120s)",
                "F:6:27: error: queues[1].callback_offer.key: \"22\" (expected: one of 0-9, * or #)",
                "F:6:41: error: queues[1].callback_offer.prompt: \"../x y\" (expected: a sound file name without"
                        + " extension, e.g. hotline/callback-offer)",
                "F:6:51: error: queues[1].callback_offer.when: unknown key (expected one of: after_ewt, key, prompt)");
    }

    @Test
    void callbackIsRefusedAsOnTimeoutAndAsAnEscalationExit() throws Exception {
        List<String> p = problems("""
                queues:
                  - name: support
                    on_timeout: callback
                    escalation:
                      - {after: 30s, exit: callback}
                """);
        assertThat(p).hasSize(2);
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("F:3:17: error: queues[0].on_timeout: \"callback\" is"
                + " only allowed as an exit_keys target"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("exit: \"callback\" is only allowed as an exit_keys"
                + " target"));
    }

    @Test
    void badTreatmentsAndUnknownQueueReferencesAreRejected() throws Exception {
        List<String> p = problems("""
                queues:
                  - name: support
                    on_timeout: voicemail
                    exit_keys: {"x": "hangup", "2": "queue:nowhere"}
                    escalation:
                      - {after: 30s}
                """);
        assertThat(p).anySatisfy(s -> assertThat(s).startsWith("F:3:17: error: queues[0].on_timeout: 'voicemail' (expected:"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("queues[0].exit_keys.x: key \"x\" (expected: one of 0-9, * or #)"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("no action (expected: exactly one of lower_min_level"));
        assertThat(p).anySatisfy(s -> assertThat(s).contains("queue support sends callers to unknown queue 'nowhere'"));
    }

    @Test
    void agentsFileIsReadAndCheckedWithLines() throws Exception {
        Path f = dir.resolve("agents.yaml");
        Files.writeString(f, """
                agents:
                  - {id: "1001", name: Alice, endpoint: PJSIP/1001, skills: {sales: 9}, teams: [a], languages: [en]}
                  - {id: "1002", endpoints: [PJSIP/1002, PJSIP/0612@trunk]}
                """);
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(f);
        assertThat(agents).hasSize(2);
        assertThat(agents.get(0).skills()).containsEntry("sales", 9);
        assertThat(agents.get(1).endpoints()).containsExactly("PJSIP/1002", "PJSIP/0612@trunk");

        Files.writeString(f, """
                agents:
                  - {id: "1001", endpoint: PJSIP/1001, skills: {sales: 12}}
                  - {id: "1001", endpoint: "not an endpoint"}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).loadAgents(f));
        assertThat(e.problems()).extracting(YamlProblem::toString).anySatisfy(s -> assertThat(s)
                .isEqualTo(f + ":2:56: error: agents[0].skills.sales: 12 (expected: an integer from 1 to 10)"));
        assertThat(e.getMessage()).contains("\"1001\" is used by two agents").contains("\"not an endpoint\"");
    }

    @Test
    void anAgentMayNameTheQueuesTheyServe() throws Exception {
        Path f = dir.resolve("agents-queues.yaml");
        Files.writeString(f, """
                agents:
                  - {id: "1001", endpoint: PJSIP/1001, skills: {sales: 9}, queues: [sales, vip]}
                  - {id: "1002", endpoint: PJSIP/1002}
                """);
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(f);
        assertThat(agents.get(0).queues()).containsExactlyInAnyOrder("sales", "vip");
        assertThat(agents.get(1).queues()).as("empty: every queue their skills meet").isEmpty();
        Files.writeString(f, """
                agents:
                  - {id: "1001", endpoint: PJSIP/1001, queues: [Sales Team]}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).loadAgents(f));
        assertThat(e.getMessage()).contains("agents[0].queues[0]: \"Sales Team\" (expected: a queue name");
    }

    @Test
    void oneAgentOrQueueDefinitionIsValidatedLikeTheFiles() throws Exception {
        ConfigLoader loader = new ConfigLoader(Map.of());
        AgentConfig a = loader.parseAgent("{\"id\": \"1001\", \"endpoint\": \"PJSIP/1001\", \"skills\": {\"sales\": 4}}",
                "body");
        assertThat(a.skills()).containsEntry("sales", 4);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parseAgent(
                "{\"id\": \"1001\", \"endpoint\": \"PJSIP/1001\", \"skills\": {\"sales\": 0}}", "body"));
        assertThat(e.problems()).extracting(YamlProblem::toString)
                .containsExactly("body:1:62: error: skills.sales: 0 (expected: an integer from 1 to 10)");

        QueueConfig q = loader.parseQueue("name: vip\nskills: {sales: 5}\nmax_wait: 2m\nescalation:\n"
                + "  - {after: 30s, move_to: sales}\n", "body", Set.of("sales"));
        assertThat(q.maxWait()).isEqualTo(java.time.Duration.ofMinutes(2));
        e = catchThrowableOfType(ConfigException.class, () -> loader.parseQueue(
                "{\"name\": \"vip\", \"exit_keys\": {\"0\": \"queue:nowhere\"}}", "body", Set.of("sales")));
        assertThat(e.getMessage()).contains("exit_keys").contains("unknown queue 'nowhere' (expected one of: sales, vip)");
    }

    @Test
    void aQueueTheRoutingCoreWouldRefuseIsRejectedAtTheFieldThatMakesIt() throws Exception {
        assertThat(problems("""
                queues:
                  - name: vip
                    strategy: most-skilled
                  - name: sales
                    escalation:
                      - {after: 30s, move_to: sales}
                """)).containsExactly(
                "F:3:15: error: queues[0].strategy: most-skilled with no skills (expected: at least one skill under"
                        + " skills: to rank agents on, or another strategy)",
                "F:6:31: error: queues[1].escalation[0].move_to: \"sales\" is this queue (expected: another queue"
                        + " to move waiting calls to)");

        ConfigLoader loader = new ConfigLoader(Map.of());
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parseQueue(
                "{\"name\": \"vip\", \"strategy\": \"most-skilled\"}", "body", Set.of("sales")));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(YamlProblem::path).containsExactly("strategy");
        e = catchThrowableOfType(ConfigException.class, () -> loader.parseQueue(
                "{\"name\": \"vip\", \"escalation\": [{\"after\": \"1m\", \"move_to\": \"vip\"}]}", "body",
                Set.of("sales")));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(YamlProblem::path).containsExactly("escalation[0].move_to");
        e = catchThrowableOfType(ConfigException.class, () -> loader.parseQueue(
                "{\"name\": \"vip\", \"escalation\": [{\"after\": \"1m\", \"add_skill\": {\"skill\": \"\"}}]}", "body",
                Set.of()));
        assertThat(e).as("a blank skill is a problem, not a crash").isNotNull();
        assertThat(e.problems()).extracting(YamlProblem::path).containsExactly("escalation[0].add_skill.skill");
        assertThat(loader.parseQueue("{\"name\": \"vip\", \"strategy\": \"most-skilled\", \"skills\": {\"sales\": 3}}",
                "body", Set.of()).strategy()).isEqualTo(QueueConfig.Strategy.MOST_SKILLED);
    }

    @Test
    void escalationMovesThatLeadBackToTheirQueueAreRejected() throws Exception {
        assertThat(problems("""
                queues:
                  - name: first
                    escalation:
                      - {after: 30s, move_to: second}
                  - name: second
                    escalation:
                      - {after: 60s, move_to: third}
                  - name: third
                    escalation:
                      - {after: 10s, raise_priority: 2}
                      - {after: 90s, move_to: first}
                  - name: fourth
                    escalation:
                      - {after: 30s, move_to: first}
                """)).containsExactly("F:4:31: error: queues[0].escalation[0].move_to: \"second\" leads back to"
                + " first (first → second → third → first; expected: moves that never return to a queue they left)");

        // A later queue in the file may be a move target: the engine defines targets first.
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                queues:
                  - name: main
                    escalation:
                      - {after: 30s, move_to: overflow}
                  - name: overflow
                """));
        assertThat(c.queues()).extracting(QueueConfig::name).containsExactly("main", "overflow");

        ConfigLoader loader = new ConfigLoader(Map.of());
        Map<String, QueueConfig> known = Map.of(
                "sales", loader.parseQueue("{\"name\": \"sales\", \"escalation\": [{\"after\": \"1m\","
                        + " \"move_to\": \"vip\"}]}", "body", Set.of("vip")),
                "vip", QueueConfig.simple("vip", Map.of()));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parseQueue(
                "{\"name\": \"vip\", \"escalation\": [{\"after\": \"2m\", \"move_to\": \"sales\"}]}", "body",
                known));
        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(YamlProblem::path).containsExactly("escalation[0].move_to");
        assertThat(e.getMessage()).contains("\"sales\" leads back to vip (vip → sales → vip;");
        assertThat(loader.parseQueue("{\"name\": \"sales\", \"escalation\": [{\"after\": \"2m\", \"move_to\":"
                + " \"vip\"}]}", "body", known).name()).as("the same move again is no cycle").isEqualTo("sales");
    }

    @Test
    void shippedAgentsFileIsValid() throws Exception {
        assertThat(new ConfigLoader(Map.of()).loadAgents(Path.of("..", "config", "agents.yaml"))).hasSize(12);
    }

    @Test
    void readsTheGatewaySection() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                gateway:
                  bind: 0.0.0.0
                  port: 9443
                  token_ttl: 8h
                  tls_cert: tls/cert.pem
                  tls_key: tls/key.pem
                  users: etc/users.yaml
                  audit_log: var/audit.log
                  not_ready_reasons: [break, lunch]
                """));
        GatewayConfig g = c.gateway();
        assertThat(g.bind()).isEqualTo("0.0.0.0");
        assertThat(g.port()).isEqualTo(9443);
        assertThat(g.tokenTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(g.tlsCert()).contains(Path.of("tls/cert.pem"));
        assertThat(g.tlsKey()).contains(Path.of("tls/key.pem"));
        assertThat(g.usersFile()).isEqualTo(Path.of("etc/users.yaml"));
        assertThat(g.auditFile()).isEqualTo(Path.of("var/audit.log"));
        assertThat(g.notReadyReasons()).containsExactly("break", "lunch");
        assertThat(c.resolvedAgainst(dir).gateway().usersFile()).isEqualTo(dir.resolve("etc/users.yaml"));
    }

    @Test
    void gatewayDefaultsWhenTheSectionIsAbsent() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("engine: {name: x}\n"));
        assertThat(c.gateway()).isEqualTo(GatewayConfig.DEFAULTS);
        assertThat(c.gateway().port()).isEqualTo(8080);
        assertThat(c.gateway().tls()).isFalse();
    }

    @Test
    void badGatewayValuesAreReportedAtTheirLines() throws Exception {
        assertThat(problems("""
                gateway:
                  bind: nowhere
                  port: 70000
                  token_ttl: 10s
                  tls_cert: cert.pem
                  not_ready_reasons: [break, "Bad Reason"]
                """)).containsExactly(
                "F:2:9: error: gateway.bind: \"nowhere\" (expected: an IP address to listen on, e.g. 127.0.0.1 or"
                        + " 0.0.0.0)",
                "F:3:9: error: gateway.port: 70000 (expected: an integer from 1 to 65535)",
                "F:4:14: error: gateway.token_ttl: \"10s\" (expected: a duration from 1m to 7d, such as 500ms, 30s, 5m,"
                        + " 1h)",
                "F:5:13: error: gateway.tls_cert: given alone (expected: tls_cert and tls_key together, or neither"
                        + " for plain HTTP)",
                "F:6:30: error: gateway.not_ready_reasons[1]: \"Bad Reason\" (expected: a reason code: 1-32 of a-z,"
                        + " 0-9, '-', '_')");
    }

    @Test
    void readsConnectionLimitsLoginProtectionAndOrigins() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                agi:
                  environment_timeout: 2s
                gateway:
                  allowed_origins: [https://wallboard.example.com, "http://10.0.0.5:8080"]
                  limits:
                    max_connections: 500
                    max_connections_per_address: 50
                    reserved_files: 256
                    request_head_timeout: 3s
                    keep_alive_timeout: 20s
                    websocket_ping_interval: 10s
                    websocket_pong_timeout: 5s
                  login:
                    hash_threads: 2
                    hash_queue: 16
                    per_address: {burst: 5, per_minute: 30}
                    global: {burst: 50}
                    spraying: {usernames: 4, within: 1m, lockout: 10m}
                    max_failures: 3
                    lockout: 2m
                """));
        assertThat(c.agi().environmentTimeout()).isEqualTo(Duration.ofSeconds(2));
        GatewayConfig g = c.gateway();
        assertThat(g.allowedOrigins()).containsExactly("https://wallboard.example.com", "http://10.0.0.5:8080");
        assertThat(g.limits()).isEqualTo(new GatewayLimits(500, 50, 256, Duration.ofSeconds(3),
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertThat(g.login()).isEqualTo(new LoginLimits(2, 16, new LoginLimits.Rate(5, 30),
                new LoginLimits.Rate(50, LoginLimits.DEFAULTS.global().perMinute()), 4, Duration.ofMinutes(1),
                Duration.ofMinutes(10), 3, Duration.ofMinutes(2)));
        HotlineConfig defaults = new ConfigLoader(Map.of()).load(write("gateway: {port: 8081}\n"));
        assertThat(defaults.gateway().limits()).isEqualTo(GatewayLimits.DEFAULTS);
        assertThat(defaults.gateway().login()).isEqualTo(LoginLimits.DEFAULTS);
        assertThat(defaults.agi().environmentTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badLimitsAreReportedAtTheirLines() throws Exception {
        assertThat(problems("""
                agi:
                  environment_timeout: 0s
                gateway:
                  allowed_origins: [https://ok.example.com/, "*"]
                  limits:
                    max_connections: 100
                    max_connections_per_address: 200
                    request_head_timeout: forever
                    websocket_ping: 10s
                  login:
                    hash_queue: 0
                    per_address: {burst: 0, per_minute: 60}
                    spraying: {usernames: 1}
                """)).containsExactly(
                "F:2:24: error: agi.environment_timeout: \"0s\" (expected: a duration from 100ms to 10m, such as"
                        + " 500ms, 30s, 5m, 1h)",
                "F:4:21: error: gateway.allowed_origins[0]: \"https://ok.example.com/\" (expected: an origin such as"
                        + " https://wallboard.example.com or http://10.0.0.5:8080 (scheme, host and port only, no path"
                        + " or trailing slash))",
                "F:4:46: error: gateway.allowed_origins[1]: \"*\" (expected: an origin such as"
                        + " https://wallboard.example.com or http://10.0.0.5:8080 (scheme, host and port only, no path"
                        + " or trailing slash))",
                "F:7:34: error: gateway.limits.max_connections_per_address: 200 (expected: at most max_connections,"
                        + " 100)",
                "F:8:27: error: gateway.limits.request_head_timeout: \"forever\" (expected: a duration from 100ms to"
                        + " 10m, such as 500ms, 30s, 5m, 1h)",
                "F:9:5: error: gateway.limits.websocket_ping: unknown key (expected"
                        + " one of: keep_alive_timeout, max_connections, max_connections_per_address,"
                        + " request_head_timeout, reserved_files, websocket_ping_interval, websocket_pong_timeout)",
                "F:11:17: error: gateway.login.hash_queue: 0 (expected: an integer from 1 to 100000)",
                "F:12:26: error: gateway.login.per_address.burst: 0 (expected: an integer from 1 to 1000000)",
                "F:13:27: error: gateway.login.spraying.usernames: 1 (expected: an integer from 2 to 10000)");
    }

    @Test
    void dispositionCodesAreReadWithDefaultsAndCheckedAtTheirLines() throws Exception {
        assertThat(GatewayConfig.DEFAULTS.dispositionCodes()).contains("inquiry", "repair", "other");
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                gateway:
                  disposition_codes: [sale, no-sale, call-back]
                """));
        assertThat(c.gateway().dispositionCodes()).containsExactly("sale", "no-sale", "call-back");
        assertThat(problems("""
                gateway:
                  disposition_codes: [sale, "No Sale"]
                """)).containsExactly("F:2:29: error: gateway.disposition_codes[1]: \"No Sale\" (expected: a"
                + " disposition code: 1-32 of a-z, 0-9, '-', '_')");
        assertThat(problems("""
                gateway:
                  disposition_codes: []
                """)).containsExactly("F:2:22: error: gateway.disposition_codes: an empty list (expected: at least"
                + " one code, e.g. inquiry)");
        assertThat(problems("""
                gateway:
                  disposition_codes: [sale, sale]
                """)).containsExactly("F:2:22: error: gateway.disposition_codes: \"sale\" is listed twice"
                + " (expected: each code once)");
    }

    @Test
    void shippedConfigurationListsTheDefaultDispositionCodes() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of("HOTLINE_AMI_SECRET", "s3cr3t"))
                .load(Path.of("..", "config", "hotline.yaml"));
        assertThat(c.gateway().dispositionCodes()).isEqualTo(GatewayConfig.DEFAULT_DISPOSITIONS);
    }

    @Test
    void readsCallControlSurveyAndPeriodicMessage() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(write("""
                acd:
                  transfer_context: my-transfer
                  spy_context: my-spy
                  survey_script: survey
                  periodic_message: {prompt: queue-periodic-announce, every: 45s}
                """));
        assertThat(c.acd().transferContext()).isEqualTo("my-transfer");
        assertThat(c.acd().spyContext()).isEqualTo("my-spy");
        assertThat(c.acd().experience()).isEqualTo(
                new CallerExperience("survey", "queue-periodic-announce", Duration.ofSeconds(45)));
        assertThat(problems("""
                acd:
                  spy_context: "bad context"
                  periodic_message: {every: 1s}
                """)).containsExactly(
                "F:2:16: error: acd.spy_context: \"bad context\" (expected: an Asterisk context name: letters, digits,"
                        + " '-', '_')",
                "F:3:21: error: acd.periodic_message.prompt: missing (expected: text)",
                "F:3:29: error: acd.periodic_message.every: \"1s\" (expected: a duration from 5s to 1h, such as 500ms,"
                        + " 30s, 5m, 1h)");
    }
}
