package dev.hotline.gateway;

import dev.hotline.app.HotlineEngine;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.audit.AuditEntry;
import dev.hotline.gateway.testing.GatewayClient;
import dev.hotline.gateway.testing.Reply;
import dev.hotline.gateway.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.hotline.gateway.testing.TestGateway.agent;
import static org.assertj.core.api.Assertions.assertThat;

/** Outbound campaigns over the API: roles, bad campaigns, CSV import by line, start/pause, audit, the agent side. */
@Tag("slow")
class CampaignsApiTest {

    @TempDir
    static Path dir;
    static TestGateway live;
    static HotlineEngine engine;
    static GatewayClient api;

    @BeforeAll
    static void start() throws Exception {
        live = TestGateway.in(dir)
                .queues(QueueConfig.simple("sales", Map.of("sales", 1)), QueueConfig.simple("renewals", Map.of("out", 1)))
                .agents(agent("1001", "team-a", Map.of("sales", 5, "out", 5)))
                .agentUser("alice", "1001", "team-a").supervisor("sam", "team-a").admin("root")
                .start();
        engine = live.engine();
        api = live.client();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (engine.outbound().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(engine.outbound()).as("outbound started on the embedded database").isPresent();
    }

    @AfterAll
    static void stop() {
        if (live != null) {
            live.close();
        }
    }

    private static final String CAMPAIGN = "{\"id\": \"renew\", \"name\": \"Renewals\", \"queue\": \"renewals\","
            + " \"mode\": \"preview\", \"hours\": \"09:00-20:00\", \"days\": \"mon-sat\", \"zone\": \"Europe/Paris\","
            + " \"retry\": \"busy=10m/3;max=4\", \"dispositions\": [\"sale*\", \"refused\"], \"script\": \"Hello\"}";

    @Test
    void agentsMayNotManageCampaignsAndBadDefinitionsAreRefusedNamingTheField() throws Exception {
        String alice = api.login("alice");
        assertThat(api.call("GET", "/api/campaigns", alice, null).status()).isEqualTo(403);
        assertThat(api.call("POST", "/api/campaigns", alice, CAMPAIGN).status()).isEqualTo(403);
        String sam = api.login("sam");
        Reply unknownQueue = api.call("POST", "/api/campaigns", sam, CAMPAIGN.replace("\"renewals\"", "\"nope\""));
        assertThat(unknownQueue.status()).isEqualTo(400);
        assertThat(unknownQueue.text()).contains("unknown queue 'nope'");
        Reply badHours = api.call("POST", "/api/campaigns", sam, CAMPAIGN.replace("09:00-20:00", "9h-20h"));
        assertThat(badHours.status()).isEqualTo(400);
        assertThat(badHours.json().get("field").asText()).isEqualTo("hours");
        Reply badRetry = api.call("POST", "/api/campaigns", sam, CAMPAIGN.replace("busy=10m/3", "busy=soon/3"));
        assertThat(badRetry.status()).isEqualTo(400);
        assertThat(badRetry.text()).contains("retry delay: 'soon'");
        assertThat(api.call("POST", "/api/campaigns/none/start", sam, "").status()).isEqualTo(404);
    }

    @Test
    void aSupervisorCreatesImportsStartsAndPausesACampaignAndEveryStepIsAudited() throws Exception {
        String sam = api.login("sam");
        Reply saved = api.call("POST", "/api/campaigns", sam, CAMPAIGN);
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.json().get("status").asText()).isEqualTo("draft");
        assertThat(saved.json().get("abandonCap").asDouble()).as("outbound.abandon_cap").isEqualTo(3.0);
        assertThat(saved.json().get("machineAction").asText()).as("outbound.machine_action").isEqualTo("retry");
        Reply imported = api.callText("POST", "/api/campaigns/renew/contacts?number=Phone&name=Name", sam, "text/csv",
                "Name,Phone,Plan\nAnn,+33 1 23 45 67 89,gold\nBob,12ab,silver\nAnn,+33123456789,gold\n");
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        assertThat(imported.json().get("imported").asInt()).isEqualTo(1);
        assertThat(imported.json().get("errors").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(imported.json().get("errors").get(0).get("message").asText()).startsWith("Phone: '12ab' has 'a'");
        assertThat(imported.json().get("duplicates").get(0).get("firstLine").asInt()).isEqualTo(2);
        Reply missingColumn = api.callText("POST", "/api/campaigns/renew/contacts?number=tel", sam, "text/csv",
                "Name,Phone\nAnn,555\n");
        assertThat(missingColumn.status()).isEqualTo(400);
        assertThat(missingColumn.text()).contains("column 'tel' is not in the header");

        assertThat(api.call("POST", "/api/campaigns/renew/start", sam, "").json().get("status").asText())
                .isEqualTo("running");
        Reply list = api.call("GET", "/api/campaigns", sam, null);
        assertThat(list.json().get("campaigns").get(0).get("contacts").get("pending").asInt()
                + list.json().get("campaigns").get(0).get("contacts").get("dialling").asInt()).isEqualTo(1);
        assertThat(list.json().get("blending").get("outboundAllowed").asBoolean()).isTrue();
        assertThat(api.call("POST", "/api/campaigns/renew/pause", sam, "").json().get("status").asText())
                .isEqualTo("paused");
        assertThat(api.call("POST", "/api/do-not-call", sam, "{\"number\": \"+33 9 99\"}").status()).isEqualTo(201);
        assertThat(api.call("POST", "/api/do-not-call", sam, "{\"number\": \"call me\"}").status()).isEqualTo(400);
        assertThat(api.call("POST", "/api/campaigns/renew/stop", sam, "").json().get("status").asText())
                .isEqualTo("stopped");
        assertThat(live.gateway().audit().recent()).extracting(AuditEntry::action)
                .contains("campaign.save", "campaign.import", "campaign.start", "campaign.pause", "campaign.stop",
                        "donotcall.add");
        Reply report = api.call("GET", "/api/campaigns/report", sam, null);
        assertThat(report.status()).as(report.text()).isEqualTo(200);
        assertThat(report.json().get("columns").get(0).asText()).isEqualTo("campaign");
    }

    @Test
    void anAgentWithNothingPreviewedIsToldSo() throws Exception {
        String alice = api.login("alice");
        assertThat(api.call("GET", "/api/agents/me/preview", alice, null).json().get("preview").asBoolean()).isFalse();
        assertThat(api.call("POST", "/api/agents/me/preview/dial", alice, "").status()).isEqualTo(409);
        assertThat(api.call("POST", "/api/agents/me/outbound-disposition", alice, "{\"code\": \"sale\"}").status())
                .isEqualTo(409);
        String sam = api.login("sam");
        assertThat(api.call("GET", "/api/agents/me/preview", sam, null).status()).isEqualTo(403);
    }
}
