package dev.hotline.browser;

import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AcdConfig;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.config.QueueConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.records.model.CallRecord;
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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent desktop and the supervisor wallboard in headless Chromium, against the engine, the simulated
 * Asterisk and the gateway with the demo's users: daniel signs in, logs in and goes ready; a caller goes
 * through the IVR into the support queue; the desktop pops the offer with the IVR's data, shows the call
 * connected, the agent hangs up from the page, files a disposition and ends wrap-up; tara's wallboard follows
 * the agent's state and the queue's figures all along. Screenshots of every step land in
 * {@code cli/target/browser-artifacts/AgentDesktopAndWallboardBrowserTest/}.
 */
@Tag("slow")
class AgentDesktopAndWallboardBrowserTest {

    private static final Path HOME = Path.of("..");
    private static final String CALLER = "0612345678";

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
        return config(data);
    }

    /**
     * The shipped configuration, with an open calendar, a long wrap-up (ended from the page) and no survey; the
     * embedded database in {@code data/db}.
     */
    static HotlineConfig config(Path data) throws Exception {
        HotlineConfig c = new ConfigLoader(Map.of()).load(HOME.resolve("config/hotline.yaml")).resolvedAgainst(HOME);
        List<QueueConfig> queues = c.queues().stream().map(q -> new QueueConfig(q.name(), q.skills(), q.priority(),
                q.serviceLevelPct(), q.serviceLevelTime(), Duration.ofMinutes(3), q.maxLength(), Duration.ofMinutes(2),
                Duration.ofSeconds(15), q.strategy(), q.onTimeout(), q.exitKeys(), List.of())).toList();
        return new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(),
                DemoWorld.embeddedDatabase(Files.createDirectories(data.resolve("db"))), c.ivrScripts(),
                HOME.resolve("config/demo/calendars"), queues,
                new AcdConfig(c.acd().connectContext(), "", Duration.ofSeconds(30), ""), c.agentsFile());
    }

    /** Signs in on the login page and waits for the page the role lands on. */
    static void signIn(BrowserSession b, String base, String user, String password, String landing) {
        b.open(base + "/");
        b.type("#username", user);
        b.type("#password", password);
        b.click("#signin");
        b.await("landing on " + landing + " after signing in as " + user, b::url,
                u -> URI.create(u).getPath().equals(landing));
    }

    /** A caller who chooses English (1), then support (2), and stays on the line 5 minutes. */
    static CallerScript.Builder toSupport(String from) {
        return CallerScript.calling("5551234").from(from, "Test Caller")
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(5));
    }

    @Test
    void anAgentTakesACallOnTheDesktopWhileTheSupervisorWatchesTheWallboard() throws Exception {
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        // The phone rings 2 s (long enough to see the offer), then the call lasts until the agent hangs up.
        world = DemoWorld.start(config(), agents, new EndpointBehaviour(Distribution.fixed(Duration.ofSeconds(2)),
                1.0, Distribution.fixed(Duration.ofMinutes(5))), Media.everyFile(Duration.ofMillis(100)), 11, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                        .withAuditFile(data.resolve("audit.log")),
                UserStore.load(HOME.resolve("config/demo/users.yaml")), InstantSource.system());
        String base = gateway.url();

        BrowserSession board = BROWSERS.open("supervisor");
        BrowserSession desk = BROWSERS.open("agent");

        // The supervisor of team-b sees agent 1004 logged out and nothing offered yet; a tile per queue.
        signIn(board, base, "tara", "demo-supervisor", "/wallboard");
        board.awaitText("#who", "signed-in user", t -> t.startsWith("tara (supervisor, team-b"));
        awaitAgent(board, "logged-out");
        board.await("support queue row", () -> board.cell("queue-support", "Offered"), "0"::equals);
        board.awaitDisplayed("#tile-support", true);
        assertThat(board.text("#summary-logged-out")).isEqualTo("1logged out");
        board.screenshot("wallboard-at-start");
        Axe.check(board, "wallboard");

        // The agent signs in (the user name has the focus), logs in with a desk phone and goes ready.
        desk.open(base + "/");
        assertThat(desk.script("return document.activeElement.id").asText()).as("focus on the sign-in page")
                .isEqualTo("username");
        Axe.check(desk, "sign-in");
        signIn(desk, base, "daniel", "demo-agent", "/agent");
        desk.awaitText("#who", "daniel (1004)");
        desk.awaitText("#state", "logged-out");
        assertThat(desk.displayed("#loginBox")).as("login box while logged out").isTrue();
        assertThat(desk.text("#phoneModeNote")).as("the browser phone is off without Asterisk's WebSocket")
                .contains("gateway.phones.webrtc_websocket");
        desk.screenshot("signed-in");
        Axe.check(desk, "agent-desktop-logged-out");
        desk.click("#login");
        String after = desk.awaitText("#state", "a state after logging in",
                s -> !s.equals("logged-out") && !s.equals("…"));
        if (!after.equals("ready")) {
            desk.altKey("r");   // Alt+R: ready
        }
        desk.awaitText("#state", "ready");
        assertThat(desk.displayed("#loginBox")).as("login box once logged in").isFalse();
        assertThat(desk.count("#reasons option")).as("not-ready reasons offered").isGreaterThan(0);
        desk.screenshot("ready");
        awaitAgent(board, "ready");
        board.await("the summary counts her ready", () -> board.text("#summary-ready"), "1ready"::equals);
        board.screenshot("agent-ready");

        // A caller chooses English, then support.
        long slotOfCall = System.currentTimeMillis() / 900_000;   // its 15-minute interval
        world.asterisk().placeCall("from-pstn", toSupport(CALLER).build());

        // The offer: the screen pop with the caller, the queue and what the IVR collected, in words.
        desk.awaitText("#popTitle", "Incoming call");
        assertThat(desk.text("#popCaller")).isEqualTo(CALLER);
        assertThat(desk.text("#popQueue")).isEqualTo("support");
        assertThat(desk.text("[data-key='language']")).isEqualTo("English");
        assertThat(desk.text("#popChoices")).contains("pressed 1: english").contains("pressed 2: support");
        String callId = desk.script("return document.getElementById('pop').dataset.callId").asText();
        assertThat(callId).isNotBlank();
        assertThat(desk.text("#pop")).as("no raw ids or internal keys shown").doesNotContain(callId)
                .doesNotContain("ivr_path").doesNotContain("main-menu/");
        assertThat(desk.textContent("#alertAnnouncer")).as("the offer announced").contains("Incoming call from " + CALLER);
        desk.screenshot("offer");
        Axe.check(desk, "agent-desktop-offer");

        // Connected: the call controls appear; the wallboard shows the agent on this call.
        desk.awaitText("#popTitle", "Connected");
        desk.awaitText("#state", "on-call");
        desk.awaitDisplayed("#callBox", true);
        assertThat(desk.script("return document.getElementById('pop').dataset.callId").asText()).isEqualTo(callId);
        desk.screenshot("connected");
        awaitAgent(board, "on-call");
        assertThat(board.cell("agent-1004", "Call")).contains(CALLER).contains("support");
        board.await("support: 1 offered, 1 answered",
                () -> board.cell("queue-support", "Offered") + "/" + board.cell("queue-support", "Answered"),
                "1/1"::equals);
        board.screenshot("agent-on-call");

        // Not ready during the call: shown as what comes next, on the desktop and the board.
        desk.click("#reasons option[value='lunch']");
        desk.click("#notReady");
        desk.awaitText("#next", "Next: not ready (lunch) after this call");
        desk.await("the next state announced", () -> desk.textContent("#announcer"),
                t -> t.contains("Not ready (lunch) after this call"));
        board.await("the board says what comes next", () -> board.cell("agent-1004", "State"),
                s -> s != null && s.contains("then not ready (lunch)"));
        desk.screenshot("next-not-ready");

        // A reload mid-call (or a sign-in elsewhere) shows the call, its pop and what comes next again.
        desk.open(base + "/agent");
        desk.awaitText("#state", "on-call");
        desk.awaitText("#popTitle", "Connected");
        assertThat(desk.text("#popCaller")).isEqualTo(CALLER);
        assertThat(desk.text("#popQueue")).isEqualTo("support");
        assertThat(desk.text("#popChoices")).contains("pressed 2: support");
        desk.awaitText("#next", "Next: not ready (lunch) after this call");
        desk.awaitDisplayed("#callBox", true);
        desk.screenshot("reloaded-mid-call");

        // The agent hangs up from the page: call ended, wrap-up, the disposition of this call.
        desk.click("#hangup");
        desk.awaitText("#popTitle", "Call ended");
        desk.awaitText("#state", "wrap-up");
        desk.awaitDisplayed("#dispoBox", true);
        desk.awaitDisplayed("#callBox", false);
        assertThat(desk.text("#dispoCall")).contains(CALLER).contains("support");
        assertThat(desk.script("return document.getElementById('dispoBox').dataset.callId").asText()).isEqualTo(callId);
        desk.awaitText("#events", "the call's end in the event list", t -> t.contains("call ended after"));
        desk.screenshot("ended");
        awaitAgent(board, "wrap-up");
        board.screenshot("agent-wrap-up");

        // Reloaded in wrap-up: the call's pop and its disposition form come back.
        desk.open(base + "/agent");
        desk.awaitText("#state", "wrap-up");
        desk.awaitDisplayed("#dispoBox", true);
        assertThat(desk.text("#dispoCall")).contains(CALLER);
        assertThat(desk.text("#popTitle")).isEqualTo("Call ended");
        Axe.check(desk, "agent-desktop-wrap-up");

        desk.click("#dispoCode option[value='repair']");
        desk.type("#dispoNotes", "replaced the router");
        desk.click("#dispoSave");
        desk.awaitText("#dispoStatus", "saved: repair");
        desk.screenshot("disposition");
        assertThat(storedCall(callId)).satisfies(r -> {
            assertThat(r.disposition()).contains("repair");
            assertThat(r.notes()).isEqualTo("replaced the router");
            assertThat(r.callerNumber()).isEqualTo(CALLER);
        });

        // The end of the wrap-up brings the not ready asked for during the call.
        desk.altKey("w");   // Alt+W: end wrap-up
        desk.awaitText("#state", "not-ready");
        assertThat(desk.text("#reason")).isEqualTo("(lunch)");
        desk.awaitDisplayed("#next", false);
        awaitAgent(board, "not-ready");
        board.await("the summary counts the lunch break", () -> board.text("#summary-not-ready-lunch"),
                "1not ready: lunch"::equals);
        desk.click("#ready");
        desk.awaitText("#state", "ready");
        awaitAgent(board, "ready");
        desk.screenshot("ready-again");

        // The next call: the last call's disposition form is gone, empty for this one.
        world.asterisk().placeCall("from-pstn", toSupport("0699999999").build());
        desk.awaitText("#popTitle", "Incoming call");
        desk.awaitDisplayed("#dispoBox", false);
        assertThat(desk.script("return document.getElementById('dispoNotes').value").asText()).isEmpty();
        desk.screenshot("next-call");

        // A page the role may not open says so and keeps the session.
        desk.open(base + "/admin");
        desk.awaitText("#refused h2", "This page is not for your role");
        assertThat(desk.text("#refused")).contains("You are signed in as daniel (agent)");
        desk.screenshot("admin-refused");
        Axe.check(desk, "refused-page");
        desk.click("#goHome");
        desk.await("back on the desktop", desk::url, u -> URI.create(u).getPath().equals("/agent"));
        desk.awaitText("#who", "daniel (1004)");

        // Today's interval chart comes from the stored records: the call shows up once it is written.
        board.awaitText("#intervalNote", "today's chart with the call", String::isEmpty);
        assertThat(board.exists("#intervalQueue option[value='support']")).as("support in the chart's queues")
                .isTrue();
        // The call was answered at once: support's service level in the running interval is 100 % (unless a new
        // 15-minute interval began since the call, which then has no call yet).
        board.await("support's SL this interval", () -> board.cell("queue-support", "SL interval"),
                v -> "100%".equals(v) || System.currentTimeMillis() / 900_000 != slotOfCall && "–".equals(v));
        board.screenshot("after-the-call");

        assertThat(desk.errors()).as("errors in the agent desktop's console").isEmpty();
        assertThat(board.errors()).as("errors in the wallboard's console").isEmpty();
    }

    private static void awaitAgent(BrowserSession board, String state) {
        board.await("agent 1004 " + state + " on the wallboard", () -> board.cell("agent-1004", "State"),
                s -> s != null && (s.equals(state) || s.startsWith(state + " (") || s.startsWith(state + ",")));
    }

    /** The call's record once its disposition is stored (the writer is asynchronous). */
    private CallRecord storedCall(String callId) throws Exception {
        var records = world.engine().records();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<CallRecord> stored = List.of();
        while (System.nanoTime() < end) {
            records.writer().awaitStored(Duration.ofSeconds(5));
            stored = records.store().calls(Instant.now().minusSeconds(600), Instant.now().plusSeconds(60),
                    Duration.ofHours(1)).stream().filter(r -> r.callId().linkedId().equals(callId)).toList();
            if (!stored.isEmpty() && stored.get(0).disposition().isPresent()) {
                return stored.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no record of call " + callId + " with a disposition within 20 s: " + stored);
    }
}
