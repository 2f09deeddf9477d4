package dev.hotline.browser;

import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.e2e.RunningDemo;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.simulator.CallerScript;
import dev.hotline.simulator.Reaction;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quality assurance in headless Chromium against the engine, the simulated Asterisk (which writes a short WAV per
 * recorded call) and the gateway with the demo's users: a support call is recorded; QA staff (quinn) find it, play
 * its recording in the page (the audio element fetches it with range requests and decodes it) and score it on the
 * seeded "standard" scorecard; the agent (daniel) sees the evaluation and acknowledges it; the monthly report shows
 * it. Screenshots in {@code cli/target/browser-artifacts/QaBrowserTest/}.
 */
@Tag("slow")
class QaBrowserTest {

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

    /** The shipped configuration (support records its calls, scorecards from config/qa-forms), no survey. */
    private HotlineConfig config() throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofSeconds(1),
                Duration.ofSeconds(15), q.strategy(), q.onTimeout(), q.exitKeys(), List.of(), Optional.empty(),
                q.record())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createDirectories(data.resolve("db"))), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile(), c.gateway(),
                c.qa());
    }

    @Test
    void qaFindsPlaysAndScoresACallTheAgentAcknowledgesAndTheReportShowsIt() throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        HotlineConfig config = config();
        // The agent answers after 200 ms and talks 3 s: the simulator writes a 3 s recording.
        world = DemoWorld.start(config, agents, new EndpointBehaviour(Distribution.fixed(Duration.ofMillis(200)),
                1.0, Distribution.fixed(Duration.ofSeconds(3))), Media.everyFile(Duration.ofMillis(100)), 21, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        assertThat(world.engine().qa().awaitReady(Duration.ofSeconds(10))).as("QA tables loaded").isTrue();
        world.engine().acd().loginAllReady();
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                        .withAuditFile(data.resolve("audit.log")),
                UserStore.load(HOME.resolve("config/demo/users.yaml")), InstantSource.system());
        String base = gateway.url();

        world.asterisk().placeCall("from-pstn", CallerScript.calling("5551234").from("0612345678", "Test Caller")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(1)).build());
        Path recordings = DemoWorld.recordingsOf(config);
        awaitWav(recordings);
        world.engine().records().writer().awaitStored(Duration.ofSeconds(10));

        // QA finds the call and plays its recording in the page.
        BrowserSession qa = BROWSERS.open("qa");
        signIn(qa, base, "quinn", "demo-qa", "/qa");
        qa.awaitText("#who", "quinn (qa)");
        qa.awaitDisplayed("#fRecorded", true);
        qa.click("#fRecorded");
        qa.type("#fQueue", "support");
        qa.click("#search");
        qa.await("the recorded support call listed", () -> qa.count("#callsBody tr .play"), n -> n == 1);
        assertThat(qa.text("#callsBody tr:first-child td:nth-child(3)")).isEqualTo("1004");
        assertThat(qa.text("#callsBody tr:first-child td:nth-child(9)")).isEqualTo("yes");
        qa.screenshot("calls-found");
        qa.click("#callsBody tr:first-child .play");
        String status = qa.awaitText("#playerStatus", "the recording loaded by the audio element",
                s -> s.startsWith("ready:") || s.startsWith("playing"));
        double duration = qa.script("return document.getElementById('player').duration;").asDouble();
        assertThat(duration).as("the browser decoded the WAV: " + status).isBetween(2.0, 4.5);
        qa.screenshot("recording-playing");

        // … and scores it on the seeded scorecard: 11.75 of 13 applicable weight (hold is N/A) = 90.4 %.
        qa.click("#callsBody tr:first-child .score");
        qa.awaitDisplayed("#scoreBox", true);
        qa.await("the standard form's questions", () -> qa.count("#scoreQuestions fieldset"), n -> n == 8);
        for (String answer : List.of("greet-yes", "verify-yes", "listen-4", "accurate-5", "hold-na", "solved-4",
                "recap-yes", "privacy-yes")) {
            qa.click("#a-" + answer);
        }
        qa.type("#c-solved", "set a technician visit for Tuesday");
        qa.type("#scoreComments", "Clear and polite; confirm the visit window next time.");
        qa.screenshot("scoring");
        qa.click("#scoreSubmit");
        String saved = qa.awaitText("#scoreResult", "the evaluation saved", s -> s.startsWith("saved "));
        assertThat(saved).endsWith("score 90.4%");
        Matcher m = Pattern.compile("saved (ev-[0-9a-f-]+)").matcher(saved);
        assertThat(m.find()).isTrue();
        String evaluation = m.group(1);
        qa.screenshot("scored");

        // The agent sees their evaluation from the desktop's link and acknowledges it.
        BrowserSession agent = BROWSERS.open("agent");
        signIn(agent, base, "daniel", "demo-agent", "/agent");
        agent.click("#navQa");
        agent.awaitText("#evalTitle", "My evaluations");
        agent.await("their evaluation listed", () -> agent.exists("[id='eval-" + evaluation + "']"), e -> e);
        assertThat(agent.cell("eval-" + evaluation, "Score")).isEqualTo("90.4%");
        assertThat(agent.cell("eval-" + evaluation, "Status")).isEqualTo("submitted");
        agent.click("[id='eval-" + evaluation + "'] .view");
        agent.awaitDisplayed("#agentAnswer", true);
        agent.screenshot("evaluation-seen");
        agent.type("#ackComment", "Thanks, noted.");
        agent.click("#ackButton");
        agent.awaitText("#evalStatus", "acknowledged");
        agent.await("the list shows it acknowledged", () -> agent.cell("eval-" + evaluation, "Status"),
                "acknowledged"::equals);
        agent.screenshot("acknowledged");

        // The monthly report shows it, for the agent and the team.
        qa.click("#navReport");
        qa.await("the agent's row in the report", () -> qa.cell("r-agent-1004", "Average"), "90.4"::equals);
        assertThat(qa.cell("r-agent-1004", "Done")).isEqualTo("1");
        assertThat(qa.cell("r-agent-1004", "Acknowledged")).isEqualTo("1");
        assertThat(qa.cell("r-team-team-b", "Average")).isEqualTo("90.4");
        assertThat(qa.cell("r-total", "Done")).isEqualTo("1");
        qa.screenshot("monthly-report");

        assertThat(PageApi.unexpectedErrors(qa)).as("QA page console errors").isEmpty();
        assertThat(PageApi.unexpectedErrors(agent)).as("agent page console errors").isEmpty();
    }

    private static void awaitWav(Path recordings) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            try (var files = Files.walk(recordings.resolve("hotline"))) {
                if (files.anyMatch(p -> p.toString().endsWith(".wav"))) {
                    return;
                }
            } catch (IOException notYet) {
                // the folder appears with the first recording
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no recording written under " + recordings + " within 30 s");
    }

    /** The URL and QA user {@code ./hotline demo} prints lead to the quality page. */
    @Test
    void theDemoPrintsTheQualityPageAndItsUser() throws Exception {
        try (RunningDemo demo = RunningDemo.start("--duration", "2m", "--rate", "60", "--handle-time", "3s",
                "--every", "60s", "--seed", "4", "--gateway-port", "0")) {
            String base = demo.url();
            Matcher line = demo.await(Pattern.compile("quality \\((http://\\S+)/qa\\): QA staff (\\w+) / (\\S+);"),
                    Duration.ofSeconds(60));
            assertThat(line.group(1)).isEqualTo(base);
            BrowserSession b = BROWSERS.open("demo-qa");
            signIn(b, base, line.group(2), line.group(3), "/qa");
            b.awaitText("#who", line.group(2) + " (qa)");
            b.awaitDisplayed("#fRecorded", true);   // the calls tab shows once the page has read the user
            b.click("#fRecorded");
            b.await("recorded calls of the demo, playable", Duration.ofSeconds(60), () -> {
                b.click("#search");   // the table shows the answer to the last search
                return b.count("#callsBody tr .play");
            }, n -> n > 0);
            b.screenshot("demo-quality-page");
            assertThat(PageApi.unexpectedErrors(b)).isEmpty();
        }
    }
}
