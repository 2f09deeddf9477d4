package dev.hotline.gateway.qa;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.config.QaConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.audit.AuditEntry;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.store.RecordStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static dev.hotline.gateway.testing.GatewayClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The QA API over HTTP against a real engine and gateway: finding calls, hearing recordings with range requests and
 * who may, scorecards and evaluations, the agent's answer, calibration, plans, progress, the report, policies and
 * retention. Calls are written straight into the call records; their recordings are small WAV files.
 */
@Tag("slow")
class QaApiTest {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String FORM = """
            name: Standard call review
            sections:
              - title: Opening
                questions:
                  - {id: greet, text: Greeted the caller, scale: yes-no, weight: 1}
                  - {id: verify, text: Checked the caller's identity, scale: yes-no, weight: 1, critical: true}
              - title: Resolution
                questions:
                  - {id: solved, text: Solved the problem, scale: 1-5, weight: 2}
            """;

    @TempDir
    Path dir;
    TestGateway t;
    GatewayClient api;
    Instant now;
    String c1;
    String c2;
    String c3;

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
    }

    private void start(UnaryOperator<QaConfig> qa) throws Exception {
        t = TestGateway.in(dir)
                .queues(QueueConfig.simple("support", Map.of("support", 1)), QueueConfig.simple("sales",
                        Map.of("sales", 1)))
                .agents(TestGateway.agent("1001", "team-a", Map.of("support", 5)),
                        TestGateway.agent("1002", "team-a", Map.of("support", 5)),
                        TestGateway.agent("1004", "team-b", Map.of("sales", 5)))
                .agentUser("alice", "1001", "team-a").agentUser("bruno", "1002", "team-a")
                .agentUser("daniel", "1004", "team-b")
                .supervisor("sam", "team-a").supervisor("tara", "team-b")
                .qaUser("quinn").admin("root")
                .qa(qa)
                .start();
        api = t.client();
        assertThat(t.engine().qa().awaitReady(Duration.ofSeconds(10))).isTrue();
        now = Instant.now();
        // c1: alice, support, 12 minutes, complaint, CSAT 1, recorded; c2: bruno, support, recorded;
        // c3: daniel, sales, not recorded.
        c1 = write("t1", now.minusSeconds(3600), "support", "1001", 720, "complaint", 1, true);
        c2 = write("t2", now.minusSeconds(1800), "support", "1002", 60, "inquiry", 5, true);
        c3 = write("t3", now.minusSeconds(900), "sales", "1004", 30, "inquiry", null, false);
    }

    private String write(String linked, Instant start, String queue, String agent, long talk, String disposition,
                         Integer csat, boolean recorded) throws Exception {
        Instant q = start.plusSeconds(5);
        String file = "hotline/" + LocalDate.ofInstant(start, ZoneId.systemDefault()).toString().replace('-', '/')
                + "/" + linked + "-" + agent + ".wav";
        var b = CallRecord.builder(new CallId("pbx1", linked), start).caller("0612345678", "Ann").dialled("100")
                .visit(QueueVisit.answered(queue, q, q.plusSeconds(3), agent, Duration.ofSeconds(talk),
                        Duration.ZERO, Duration.ZERO))
                .disposition(disposition, "").hangup(HangupParty.CALLER, 16);
        if (csat != null) {
            b.survey(csat);
        }
        if (recorded) {
            b.recording(file);
            Path p = dir.resolve("recordings").resolve(file);
            Files.createDirectories(p.getParent());
            Files.write(p, wav(8000));
        }
        new RecordStore(t.engine().records().database()).write(List.of(b.ended(q.plusSeconds(3 + talk),
                CallOutcome.ANSWERED).build()));
        return "pbx1/" + linked;
    }

    /** A valid 8 kHz 16-bit mono WAV of {@code samples} samples of a rising ramp (so byte ranges can be told apart). */
    static byte[] wav(int samples) {
        int data = samples * 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(data);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) (i * 7));
        }
        return b.array();
    }

    private static String body(String callId) {
        return "{\"callId\":\"" + callId + "\"}";
    }

    private HttpResponse<byte[]> fetch(String url, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + url));
        if (range != null) {
            b.header("Range", range);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<AuditEntry> audit(String action) {
        return t.gateway().audit().recent().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void qaFindsCallsByEveryFilterAndHearsThemWithRangeRequests() throws Exception {
        start(UnaryOperator.identity());
        String quinn = api.login("quinn");
        JsonNode all = api.call("GET", "/api/qa/calls", quinn, null).json();
        assertThat(all.get("calls")).extracting(c -> c.get("callId").asText()).containsExactly(c3, c2, c1);
        JsonNode first = all.get("calls").get(2);
        assertThat(first.get("agentId").asText()).isEqualTo("1001");
        assertThat(first.get("talkSeconds").asInt()).isEqualTo(720);
        assertThat(first.get("csat").asInt()).isEqualTo(1);
        assertThat(first.get("recording").get("available").asBoolean()).isTrue();
        assertThat(first.get("canPlay").asBoolean()).isTrue();
        assertThat(first.get("canDownload").asBoolean()).isTrue();
        assertThat(ids(quinn, "?queue=support&minTalk=600")).containsExactly(c1);
        assertThat(ids(quinn, "?disposition=inquiry&recorded=true")).containsExactly(c2);
        assertThat(ids(quinn, "?agent=1004&outcome=answered")).containsExactly(c3);
        assertThat(ids(quinn, "?maxCsat=2")).containsExactly(c1);
        assertError(api.call("GET", "/api/qa/calls?minTalk=long", quinn, null), 400, "query 'minTalk'");
        assertError(api.call("GET", "/api/qa/calls?from=yesterday", quinn, null), 400, "query 'from'");

        Reply play = api.call("POST", "/api/qa/recordings/play", quinn, body(c1));
        assertThat(play.status()).as(play.text()).isEqualTo(200);
        assertThat(play.json().get("contentType").asText()).isEqualTo("audio/wav");
        String url = play.json().get("url").asText();
        byte[] whole = wav(8000);
        HttpResponse<byte[]> full = fetch(url, null);
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).isEqualTo(whole);
        assertThat(full.headers().firstValue("Accept-Ranges")).contains("bytes");
        assertThat(full.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline");
        HttpResponse<byte[]> part = fetch(url, "bytes=100-199");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-199/" + whole.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole, 100, 200));
        HttpResponse<byte[]> tail = fetch(url, "bytes=" + (whole.length - 10) + "-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(whole, whole.length - 10, whole.length));
        assertThat(fetch(url, "bytes=" + whole.length + "-").statusCode()).isEqualTo(416);
        assertThat(fetch("/api/qa/recordings/file/0123456789abcdef0123456789abcdef", null).statusCode())
                .isEqualTo(404);
        assertThat(audit("recording.play")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("quinn");
            assertThat(e.target()).isEqualTo(c1);
            assertThat(e.detail()).contains("file=hotline/").contains("agent=1001");
        });

        Reply download = api.call("POST", "/api/qa/recordings/download", quinn, body(c1));
        assertThat(download.status()).isEqualTo(200);
        HttpResponse<byte[]> file = fetch(download.json().get("url").asText(), null);
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
        assertThat(audit("recording.download")).hasSize(1);

        assertError(api.call("POST", "/api/qa/recordings/play", quinn, body(c3)), 404, "has no recording");
        assertError(api.call("POST", "/api/qa/recordings/play", quinn, body("pbx1/none")), 404, "no call");

        // Signing out ends the links the session got.
        api.call("POST", "/api/logout", quinn, null);
        assertThat(fetch(url, null).statusCode()).isEqualTo(404);
    }

    private List<String> ids(String token, String query) throws Exception {
        Reply r = api.call("GET", "/api/qa/calls" + query, token, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("calls").findValuesAsText("callId");
    }

    @Test
    void whoMayHearWhichCallAndEveryRefusalIsAuditedAs403() throws Exception {
        start(UnaryOperator.identity());
        String sam = api.login("sam");
        String tara = api.login("tara");
        String alice = api.login("alice");
        assertThat(api.call("POST", "/api/qa/recordings/play", sam, body(c2)).status()).isEqualTo(200);
        assertError(api.call("POST", "/api/qa/recordings/play", tara, body(c1)), 403, "not by an agent of your teams");
        assertError(api.call("POST", "/api/qa/recordings/download", sam, body(c2)), 403, "may listen but not download");
        assertThat(api.call("POST", "/api/qa/recordings/play", alice, body(c1)).status()).isEqualTo(200);
        assertError(api.call("POST", "/api/qa/recordings/play", alice, body(c2)), 403,
                "may hear only their own calls");
        assertThat(audit("recording.play.refused")).extracting(AuditEntry::actor)
                .containsExactlyInAnyOrder("tara", "alice");
        assertThat(audit("recording.download.refused")).extracting(AuditEntry::actor).containsExactly("sam");
        assertThat(audit("recording.play")).extracting(AuditEntry::actor).containsExactlyInAnyOrder("sam", "alice");

        // The search is scoped the same way.
        assertThat(ids(sam, "")).containsExactly(c2, c1);
        assertThat(ids(tara, "")).containsExactly(c3);
        assertThat(ids(alice, "")).containsExactly(c1);
        assertThat(ids(alice, "?agent=1002")).isEmpty();
    }

    @Test
    void agentsHearNothingWhenTheSiteSaysSoAndSupervisorsMayBeAllowedDownloads() throws Exception {
        start(qa -> qa.withAgentsHearOwn(false).withDownloadRoles(Set.of("qa", "supervisor")));
        String alice = api.login("alice");
        assertError(api.call("POST", "/api/qa/recordings/play", alice, body(c1)), 403, "qa.agents_hear_own: false");
        assertError(api.call("GET", "/api/qa/calls", alice, null), 403, "qa.agents_hear_own");
        assertThat(api.call("POST", "/api/qa/recordings/download", api.login("sam"), body(c2)).status())
                .isEqualTo(200);
        assertError(api.call("POST", "/api/qa/recordings/download", api.login("root"), body(c2)), 403,
                "may listen but not download");
    }

    private String evaluate(String token, String callId, String greet, String verify, String solved,
                            boolean calibration) throws Exception {
        Reply r = api.call("POST", "/api/qa/evaluations", token, "{\"callId\":\"" + callId + "\",\"formId\":"
                + "\"standard\",\"comments\":\"good call\",\"calibration\":" + calibration + ",\"answers\":["
                + "{\"question\":\"greet\",\"value\":\"" + greet + "\"},{\"question\":\"verify\",\"value\":\""
                + verify + "\",\"comment\":\"asked for the PIN\"},{\"question\":\"solved\",\"value\":\"" + solved
                + "\"}]}");
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    @Test
    void scorecardsAreVersionedEvaluatedAnsweredAndCalibrated() throws Exception {
        start(UnaryOperator.identity());
        String root = api.login("root");
        String quinn = api.login("quinn");
        String sam = api.login("sam");
        String alice = api.login("alice");
        String bruno = api.login("bruno");

        Reply bad = api.callText("PUT", "/api/qa/forms/standard", root, "text/yaml",
                FORM.replace("scale: 1-5", "scale: 1-10"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("problems").get(0).get("line").asInt()).isEqualTo(9);
        assertThat(bad.json().get("problems").get(0).get("message").asText())
                .contains("\"1-10\" (expected: yes-no or 1-5)");
        assertThat(api.callText("PUT", "/api/qa/forms/standard", quinn, "text/yaml", FORM).status()).isEqualTo(403);
        Reply v1 = api.callText("PUT", "/api/qa/forms/standard", root, "text/yaml", FORM);
        assertThat(v1.status()).as(v1.text()).isEqualTo(201);
        assertThat(v1.json().get("form").get("version").asInt()).isEqualTo(1);

        // QA scores alice's call: (1 + 1 + 2·¾) / 4 = 87.5.
        String e1 = evaluate(quinn, c1, "yes", "yes", "4", false);
        JsonNode ev = api.call("GET", "/api/qa/evaluations/" + e1, quinn, null).json();
        assertThat(ev.get("score").asDouble()).isEqualTo(87.5);
        assertThat(ev.get("sections").get("Opening").asDouble()).isEqualTo(100.0);
        assertThat(ev.get("answers").get(1).get("comment").asText()).isEqualTo("asked for the PIN");
        assertThat(audit("qa.evaluate")).singleElement().satisfies(a -> assertThat(a.detail())
                .contains("score=87.5").contains("form=standard v1"));
        assertError(api.call("POST", "/api/qa/evaluations", quinn, "{\"callId\":\"" + c1 + "\",\"formId\":\"standard\","
                + "\"answers\":[{\"question\":\"greet\",\"value\":\"yes\"}]}"), 409, "already evaluated");
        assertError(api.call("POST", "/api/qa/evaluations", quinn, "{\"callId\":\"" + c2 + "\",\"formId\":\"standard\","
                + "\"answers\":[{\"question\":\"greet\",\"value\":\"nope\"}]}"), 400, "question greet: 'nope'");

        // The team lead scores the same call in calibration mode; the comparison shows where they differ.
        String e2 = evaluate(sam, c1, "yes", "no", "3", true);
        assertError(api.call("POST", "/api/qa/evaluations", api.login("tara"), "{\"callId\":\"" + c1 + "\","
                + "\"formId\":\"standard\",\"calibration\":true,\"answers\":[]}"), 403, "not in your teams");
        JsonNode cal = api.call("GET", "/api/qa/calibration?call=" + c1, quinn, null).json();
        assertThat(cal.get("differing").asInt()).isEqualTo(2);
        assertThat(cal.get("spread").asDouble()).isEqualTo(87.5);
        assertThat(cal.get("rows").get(1).get("answers").get("sam").asText()).isEqualTo("no");
        assertThat(cal.get("rows").get(1).get("differs").asBoolean()).isTrue();

        // A new version never changes the first evaluation's score.
        api.callText("PUT", "/api/qa/forms/standard", root, "text/yaml", FORM.replace("weight: 2}", "weight: 6}"));
        assertThat(api.call("GET", "/api/qa/evaluations/" + e1, quinn, null).json().get("score").asDouble())
                .isEqualTo(87.5);
        assertThat(api.call("GET", "/api/qa/forms/standard", quinn, null).json().get("form").get("version").asInt())
                .isEqualTo(2);

        // The agent sees their own evaluation, never the calibration, and acknowledges it once.
        JsonNode mine = api.call("GET", "/api/qa/evaluations", alice, null).json().get("evaluations");
        assertThat(mine).extracting(e -> e.get("id").asText()).containsExactly(e1);
        assertError(api.call("GET", "/api/qa/evaluations/" + e2, alice, null), 404, "no evaluation");
        assertError(api.call("GET", "/api/qa/evaluations/" + e1, bruno, null), 403, "only their own");
        assertError(api.call("POST", "/api/qa/evaluations/" + e1 + "/acknowledge", quinn, "{}"), 403, "role qa");
        Reply ack = api.call("POST", "/api/qa/evaluations/" + e1 + "/acknowledge", alice, "{\"comment\":\"thanks\"}");
        assertThat(ack.json().get("status").asText()).as(ack.text()).isEqualTo("acknowledged");
        assertError(api.call("POST", "/api/qa/evaluations/" + e1 + "/dispute", alice, "{\"comment\":\"no\"}"), 409,
                "already acknowledged");

        // bruno disputes his (scored on v2, where solved weighs 6: (0 + 1 + 6) / 8 = 87.5); QA resolves it.
        String e3 = evaluate(quinn, c2, "no", "yes", "5", false);
        assertThat(api.call("GET", "/api/qa/evaluations/" + e3, quinn, null).json().get("formVersion").asInt())
                .isEqualTo(2);
        assertError(api.call("POST", "/api/qa/evaluations/" + e3 + "/dispute", bruno, "{}"), 400, "comment");
        assertThat(api.call("POST", "/api/qa/evaluations/" + e3 + "/dispute", bruno,
                "{\"comment\":\"I did greet\"}").json().get("status").asText()).isEqualTo("disputed");
        Reply resolved = api.call("POST", "/api/qa/evaluations/" + e3 + "/resolve", quinn,
                "{\"comment\":\"the recording shows no greeting\"}");
        assertThat(resolved.json().get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.json().get("resolvedBy").asText()).isEqualTo("quinn");
        assertThat(audit("qa.acknowledge")).hasSize(1);
        assertThat(audit("qa.dispute")).hasSize(1);
        assertThat(audit("qa.resolve")).hasSize(1);
        assertThat(audit("qa.form.save")).hasSize(2);
        assertThat(audit("qa.calibrate")).hasSize(1);

        // The month's report has it: alice 87.5 (v1), bruno 87.5 (v2) with a dispute.
        JsonNode report = api.call("GET", "/api/qa/report", quinn, null).json();
        JsonNode a = report.get("agents").get(0);
        assertThat(a.get("key").asText()).isEqualTo("1001");
        assertThat(a.get("done").asInt()).isEqualTo(1);
        assertThat(a.get("averageScore").asDouble()).isEqualTo(87.5);
        assertThat(a.get("acknowledged").asInt()).isEqualTo(1);
        assertThat(a.get("calibrations").asInt()).isEqualTo(1);
        assertThat(report.get("agents").get(1).get("disputes").asInt()).isEqualTo(1);
        assertThat(report.get("agents").get(1).get("averageScore").asDouble()).isEqualTo(87.5);
        assertThat(report.get("total").get("done").asInt()).isEqualTo(2);
        assertThat(report.get("total").get("averageScore").asDouble()).isEqualTo(87.5);
        Reply csv = api.call("GET", "/api/qa/report.csv", quinn, null);
        assertThat(csv.text()).startsWith("level,id,teams,").contains("agent,1001,team-a,1,1,1,87.5,");
        JsonNode samsReport = api.call("GET", "/api/qa/report", sam, null).json();
        assertThat(samsReport.get("agents")).extracting(r -> r.get("key").asText()).containsExactly("1001", "1002");
        assertThat(samsReport.get("total").isNull()).isTrue();
        assertError(api.call("GET", "/api/qa/report", alice, null), 403, "role agent");
    }

    @Test
    void plansProposalsAndProgress() throws Exception {
        start(UnaryOperator.identity());
        String quinn = api.login("quinn");
        Reply plan = api.call("PUT", "/api/qa/plans/default", quinn,
                "{\"minCalls\":1,\"maxCalls\":3,\"rules\":\"disposition:complaint, long:10m\"}");
        assertThat(plan.status()).as(plan.text()).isEqualTo(200);
        assertError(api.call("PUT", "/api/qa/plans/1001", quinn, "{\"minCalls\":3,\"maxCalls\":2}"), 400,
                "maxCalls: 2");
        assertError(api.call("PUT", "/api/qa/plans/1001", quinn, "{\"minCalls\":1,\"maxCalls\":2,\"rules\":\"angry\"}"),
                400, "sampling rule 'angry'");
        assertThat(api.call("PUT", "/api/qa/plans/1002", quinn, "{\"minCalls\":2,\"maxCalls\":4,\"evaluator\":"
                + "\"quinn\"}").status()).isEqualTo(200);
        assertError(api.call("PUT", "/api/qa/plans/1002", api.login("sam"), "{\"minCalls\":1,\"maxCalls\":1}"), 403,
                "role supervisor");
        JsonNode plans = api.call("GET", "/api/qa/plans", quinn, null).json();
        assertThat(plans.get("default").get("rules").asText()).isEqualTo("disposition:complaint, long:10m");
        assertThat(plans.get("agents").get(1).get("own").asBoolean()).isTrue();

        // alice's complaint call is 12 minutes long: it is proposed for both rules.
        JsonNode p = api.call("GET", "/api/qa/proposals?agent=1001", quinn, null).json();
        assertThat(p.get("proposals")).singleElement().satisfies(x -> {
            assertThat(x.get("callId").asText()).isEqualTo(c1);
            assertThat(x.get("reasons")).extracting(JsonNode::asText)
                    .containsExactly("disposition:complaint", "long:10m");
        });

        JsonNode progress = api.call("GET", "/api/qa/progress", quinn, null).json();
        assertThat(progress.get("agents")).extracting(a -> a.get("agentId").asText() + ":" + a.get("state").asText())
                .containsExactly("1001:behind", "1002:behind", "1004:behind");
        assertThat(progress.get("evaluators")).singleElement().satisfies(e -> {
            assertThat(e.get("evaluator").asText()).isEqualTo("quinn");
            assertThat(e.get("planned").asInt()).isEqualTo(2);
        });
        assertThat(progress.get("due").get("message").asText()).contains("behind plan");
        assertError(api.call("GET", "/api/qa/progress?month=11-2026", quinn, null), 400, "expected: YYYY-MM");
        assertThat(audit("qa.plan")).hasSize(2);
    }

    @Test
    void policiesAreTheAdminsAndRetentionDeletesWithAReport() throws Exception {
        start(qa -> qa.withRetentionDays(30));
        String root = api.login("root");
        String quinn = api.login("quinn");
        JsonNode before = api.call("GET", "/api/qa/policies", quinn, null).json();
        assertThat(before.get("policies")).extracting(x -> x.get("queue").asText() + ":" + x.get("describe").asText())
                .containsExactly("sales:none", "support:none");
        Reply set = api.call("PUT", "/api/qa/policies/support", root,
                "{\"mode\":\"sample\",\"percent\":30,\"onDemand\":\"both\"}");
        assertThat(set.status()).as(set.text()).isEqualTo(200);
        assertThat(t.engine().qa().policyFor("support").samplePercent()).isEqualTo(30);
        assertError(api.call("PUT", "/api/qa/policies/support", quinn, "{\"mode\":\"all\"}"), 403, "role qa");
        assertError(api.call("PUT", "/api/qa/policies/support", root, "{\"mode\":\"sample\"}"), 400, "percent");
        assertError(api.call("PUT", "/api/qa/policies/support", root, "{\"mode\":\"some\"}"), 400,
                "expected one of: all, sample, none");
        assertError(api.call("PUT", "/api/qa/policies/nowhere", root, "{\"mode\":\"all\"}"), 404, "unknown queue");
        assertThat(audit("qa.policy")).singleElement().satisfies(e -> assertThat(e.detail())
                .isEqualTo("30%, on demand by both"));
        assertThat(api.call("DELETE", "/api/qa/policies/support", root, null).json().get("describe").asText())
                .isEqualTo("none");

        Path old = dir.resolve("recordings/hotline/2020/01/01/old-1001.wav");
        Files.createDirectories(old.getParent());
        Files.write(old, wav(10));
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
        assertError(api.call("POST", "/api/qa/recordings/retention", quinn, null), 403, "role qa");
        JsonNode run = api.call("POST", "/api/qa/recordings/retention", root, null).json();
        assertThat(run.get("deleted")).extracting(JsonNode::asText).containsExactly("hotline/2020/01/01/old-1001.wav");
        assertThat(old).doesNotExist();
        JsonNode report = api.call("GET", "/api/qa/recordings/deleted", quinn, null).json();
        assertThat(report.get("deleted")).singleElement().satisfies(d -> assertThat(d.get("reason").asText())
                .isEqualTo("retention 30 days"));
        assertThat(audit("recording.retention")).hasSize(1);
    }

    @Test
    void liveRecordingControlNeedsTheAgentOnACallAndIsNotQas() throws Exception {
        start(UnaryOperator.identity());
        assertError(api.call("POST", "/api/agents/me/recording", api.login("alice"), "{\"action\":\"pause\"}"), 409,
                "not on a call");
        assertError(api.call("POST", "/api/agents/1001/recording", api.login("quinn"), "{\"action\":\"pause\"}"), 403,
                "QA staff do not act on live calls");
        assertError(api.call("POST", "/api/agents/me/recording", api.login("alice"), "{\"action\":\"mute\"}"), 400,
                "expected: start, stop, pause or resume");
        JsonNode state = api.call("GET", "/api/agents/me/recording", api.login("alice"), null).json();
        assertThat(state.get("onCall").asBoolean()).isFalse();
        assertThat(audit("recording.pause.refused")).hasSize(1);
    }
}
