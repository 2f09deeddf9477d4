package dev.hotline.browser;

import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.CallbackConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import dev.hotline.simulator.load.OutboundContacts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound campaigns in headless Chromium against the engine, the simulated Asterisk and trunk, and the gateway with
 * the demo's users: a supervisor (sam) creates a progressive campaign on the campaigns page, imports a list (a bad
 * row is listed by its line), starts it; agent 1004's simulated phone takes the calls; the report on the page shows
 * them (two contacts reached, the busy one not). Screenshots in {@code cli/target/browser-artifacts/CampaignBrowserTest/}.
 */
@Tag("slow")
class CampaignBrowserTest {

    private static final Path HOME = Path.of("..");

    @RegisterExtension
    static final Browsers BROWSERS = new Browsers();

    @TempDir
    Path data;
    private DemoWorld world;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (world != null) {
            world.close();
        }
    }

    private HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofMillis(300),
                Duration.ofSeconds(3), q.strategy(), q.onTimeout(), Map.of(), List.of(), Optional.empty())).toList();
        CallbackConfig callback = new CallbackConfig("hotline-callback", "PJSIP/{number}", Duration.ofSeconds(2), 3,
                Duration.ofMillis(300), Optional.empty(), Duration.ofHours(1), "", CallbackConfig.Mode.AGENT_FIRST,
                Duration.ZERO, "names", Duration.ofMinutes(10));
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createDirectories(data.resolve("db"))), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), "", callback), c.agentsFile(),
                c.gateway(), c.qa());
    }

    private static void set(BrowserSession b, String id, String value) {
        b.script("document.getElementById(arguments[0]).value = arguments[1];", id, value);
    }

    @Test
    void aSupervisorImportsAListStartsAProgressiveCampaignTheAgentTakesTheCallsAndTheReportShowsThem()
            throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        world = DemoWorld.start(config(), agents, new EndpointBehaviour(Distribution.fixed(Duration.ofMillis(200)),
                1.0, Distribution.fixed(Duration.ofSeconds(1))), Media.everyFile(Duration.ofMillis(50)), 23, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        world.engine().acd().loginAllReady();
        var endpoints = world.asterisk().pbx().endpoints();
        OutboundContacts.add(endpoints, List.of("5550401", "5550403"), Map.of(OutboundContacts.Kind.PERSON, 1.0),
                Duration.ofMillis(200), Duration.ofSeconds(1), 1);
        OutboundContacts.add(endpoints, List.of("5550402"), Map.of(OutboundContacts.Kind.BUSY, 1.0),
                Duration.ofMillis(200), Duration.ofSeconds(1), 1);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (world.engine().outbound().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                        .withAuditFile(data.resolve("audit.log")),
                UserStore.load(HOME.resolve("config/demo/users.yaml")), InstantSource.system());
        String base = gateway.url();

        BrowserSession sam = BROWSERS.open("supervisor");
        signIn(sam, base, "sam", "demo-supervisor", "/wallboard");
        sam.open(base + "/campaigns");
        sam.awaitText("#who", "sam (supervisor)");
        sam.type("#cId", "renew");
        sam.type("#cName", "Renewals");
        sam.type("#cQueue", "support");
        set(sam, "cMode", "progressive");
        sam.type("#cHours", "00:00-23:59");
        sam.type("#cDays", "mon-sun");
        sam.type("#cZone", "UTC");
        sam.click("#cSave");
        sam.await("the campaign listed", () -> sam.exists("#campaign-renew"), shown -> shown);
        assertThat(sam.cell("campaign-renew", "Status")).isEqualTo("draft");
        sam.screenshot("campaign-saved");

        sam.type("#iCampaign", "renew");
        set(sam, "iCsv", "number,name\n5550401,Ann\nnot a phone,Bob\n5550402,Cid\n5550403,Dee\n");
        sam.click("#iImport");
        sam.awaitText("#importResult", "the import's summary", t -> t.startsWith("3 contact(s) imported"));
        assertThat(sam.text("#importError-3")).startsWith("line 3: number: 'not a phone'");
        sam.screenshot("list-imported");

        sam.click("#start-renew");
        sam.await("the campaign running", () -> sam.cell("campaign-renew", "Status"), "running"::equals);
        // Agent 1004's simulated phone answers each call the campaign puts through: Ann and Dee are reached, the
        // busy line is retried later.
        sam.await("two contacts done", Duration.ofSeconds(60), () -> sam.cell("campaign-renew", "Done"), "2"::equals);
        sam.click("#reportRefresh");
        sam.await("the report row", () -> sam.exists("#report-renew"), shown -> shown);
        assertThat(sam.cell("report-renew", "reached")).isEqualTo("2");
        assertThat(sam.cell("report-renew", "attempts")).isEqualTo("3");
        assertThat(sam.cell("report-renew", "mode")).isEqualTo("progressive");
        // The figures: list penetration (all three contacts attempted), the cap beside the abandon rate,
        // contacts per agent-hour, the agents' wait; the abandon rate hour by hour; the routing core's blending word.
        assertThat(sam.cell("report-renew", "penetration_pct")).isEqualTo("100");
        assertThat(sam.cell("report-renew", "abandon_pct")).isEqualTo("0");
        assertThat(sam.cell("report-renew", "cap_pct")).isEqualTo("3");
        assertThat(Double.parseDouble(sam.cell("report-renew", "contacts_per_agent_hour"))).isPositive();
        assertThat(Double.parseDouble(sam.cell("report-renew", "agent_wait_s"))).isNotNegative();
        assertThat(sam.exists("#hoursBody tr")).as("the abandon rate by hour").isTrue();
        assertThat(sam.text("#blending")).startsWith("Outbound running: support: ");
        sam.screenshot("report");
        assertThat(sam.errors()).isEmpty();
    }
}
