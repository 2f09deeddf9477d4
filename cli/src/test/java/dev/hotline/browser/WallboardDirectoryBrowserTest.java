package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
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

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static dev.hotline.browser.PageApi.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervisor's controls on the wallboard, driven as tara (team-b) would: the board shows her team's agents
 * only; she forces an agent ready and not ready; edits an agent's skills and queues in the "Skills / queues"
 * editor, sees refused edits explained (a level of 11, a skill disabled meanwhile, a level that is not a number);
 * re-prioritises a waiting call so it is served first, and sees a refused priority explained. Then daniel takes
 * that call on his desktop and, after it, schedules a callback from the "Schedule a callback" form and finds it
 * in "My callbacks". Screenshots in {@code cli/target/browser-artifacts/WallboardDirectoryBrowserTest/}.
 */
@Tag("slow")
class WallboardDirectoryBrowserTest {

    private static final Path HOME = Path.of("..");
    private static final String FIRST = "0611111111";
    private static final String SECOND = "0622222222";

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

    @Test
    void aSupervisorEditsProfilesForcesStatesAndReprioritisesWhileAnAgentSchedulesACallback() throws Exception {
        // 1001 is in team-a (sam's), 1004 and 1005 in team-b (tara's).
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> Set.of("1001", "1004", "1005").contains(a.id())).toList();
        world = DemoWorld.start(AgentDesktopAndWallboardBrowserTest.config(data), agents,
                new EndpointBehaviour(Distribution.fixed(Duration.ofSeconds(1)), 1.0,
                        Distribution.fixed(Duration.ofMinutes(5))), Media.everyFile(Duration.ofMillis(100)), 13, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                        .withAuditFile(data.resolve("audit.log")),
                UserStore.load(HOME.resolve("config/demo/users.yaml")), InstantSource.system());
        String base = gateway.url();
        var acd = world.engine().acd();
        acd.login("1005");

        BrowserSession board = BROWSERS.open("supervisor");
        signIn(board, base, "tara", "demo-supervisor", "/wallboard");
        board.awaitText("#who", "signed-in user", t -> t.startsWith("tara (supervisor, team-b"));

        // --- Her team only: 1004 and 1005 on the board and in the API, never team-a's 1001.
        awaitState(board, "1005", "not-ready (login)", "ready");
        board.await("1004's row", () -> board.exists("#agent-1004"), e -> e);
        assertThat(board.exists("#agent-1001")).as("team-a's agent 1001 on team-b's board").isFalse();
        List<String> visible = new ArrayList<>();
        PageApi.get(board, "/api/agents").path("agents").forEach(a -> visible.add(a.path("id").asText()));
        assertThat(visible).as("GET /api/agents as tara").containsExactlyInAnyOrder("1004", "1005");
        board.screenshot("team-b-only");
        assertStaysWhileTicking(board, "edit-1005", "agent-1005", "Time");

        // --- Force 1005 ready, then not ready (the board's reason: coaching).
        board.click("#ready-1005");
        awaitState(board, "1005", "ready");
        board.screenshot("forced-ready");
        board.click("#not-ready-1005");
        awaitState(board, "1005", "not-ready (coaching)");
        assertThat(acd.agentStates().get("1005").getClass().getSimpleName()).isEqualTo("NotReady");
        board.screenshot("forced-not-ready");
        assertThat(board.exists("#ready-1004")).as("no force buttons for logged-out 1004").isFalse();

        // --- The skills / queues editor on 1005 (support 8, billing 3 in agents.yaml).
        board.click("#edit-1005");
        board.awaitDisplayed("#profileEditor", true);
        board.awaitText("#profileAgent", "1005 Emma Rossi");
        assertThat(board.script("return document.getElementById('skill-support').value").asText()).isEqualTo("8");
        assertThat(board.script("return document.getElementById('skill-billing').value").asText()).isEqualTo("3");
        board.screenshot("editor-open");

        // A level of 11 is refused, with the server's message; nothing changes.
        board.type("#skill-support", "11");
        board.click("#saveSkills");
        String refused = board.awaitText("#profileError", "the refusal of level 11", t -> !t.isBlank());
        assertThat(refused).contains("support").contains("11");
        assertThat(world.engine().directory().agent("1005").orElseThrow().value().skills())
                .as("1005's skills after a refused edit").isEqualTo(Map.of("support", 8, "billing", 3));
        board.screenshot("level-11-refused");

        // A level that is not a number is not silently dropped.
        board.type("#skill-support", "e");
        board.click("#saveSkills");
        board.awaitText("#profileError", "the unreadable level", t -> t.contains("support: not a number"));
        board.screenshot("level-not-a-number");

        // A valid change: support 6, billing removed, sales 2 added; then only the support queue.
        board.type("#skill-support", "6");
        board.type("#skill-billing", "");
        board.type("#skill-sales", "2");
        board.click("#saveSkills");
        board.await("1005's row with the new skills", () -> rowTitle(board, "1005"),
                t -> t != null && t.startsWith("sales 2, support 6"));
        assertThat(board.text("#profileError")).isEmpty();
        assertThat(world.engine().directory().agent("1005").orElseThrow().value().skills())
                .isEqualTo(Map.of("support", 6, "sales", 2));
        board.click("#profileQueue-support");
        board.click("#saveQueues");
        board.await("1005's row with the support queue", () -> rowTitle(board, "1005"),
                t -> t.endsWith("| queues: support"));
        assertThat(world.engine().directory().agent("1005").orElseThrow().value().queues()).containsExactly("support");
        assertThat(board.cell("queue-support", "Queue")).as("the queue's row keeps its id").isEqualTo("support");
        board.screenshot("skills-and-queues-saved");

        // An admin disables the skill billing meanwhile: the open editor still offers it, the server refuses it.
        world.engine().directory().setSkillEnabled("billing", false, "root").get(10, TimeUnit.SECONDS);
        board.type("#skill-billing", "4");
        board.click("#saveSkills");
        board.awaitText("#profileError", "the refusal of a disabled skill",
                t -> t.contains("skill 'billing' is disabled"));
        board.screenshot("disabled-skill-refused");
        board.click("#closeProfile");
        board.awaitDisplayed("#profileEditor", false);

        // --- Two callers wait in support (1005 is not ready, 1004 logged out); the second is moved ahead.
        call(FIRST);
        String first = board.await("the first caller waiting", () -> waiting(board), w -> w.size() == 1).get(0);
        call(SECOND);
        List<String> order = board.await("both callers waiting", () -> waiting(board), w -> w.size() == 2);
        assertThat(order.get(0)).isEqualTo(first);
        String second = order.get(1);
        board.await("the waiting table", () -> board.cell("waiting-" + second, "Caller"), SECOND::equals);
        assertThat(board.cell("waiting-" + second, "Position")).isEqualTo("2");
        board.screenshot("two-waiting");
        assertStaysWhileTicking(board, "setPriority-" + second, "waiting-" + second, "Waited");

        board.type(id("priority-" + second), "50");
        board.click(id("setPriority-" + second));
        board.await("the second caller first in the table", () -> board.cell("waiting-" + second, "Position"),
                "1"::equals);
        assertThat(board.cell("waiting-" + second, "Priority")).isEqualTo("50");
        assertThat(board.cell("waiting-" + first, "Position")).isEqualTo("2");
        assertThat(waiting(board)).as("GET /api/calls/waiting in queue order").containsExactly(second, first);
        board.screenshot("reprioritised");

        board.type(id("priority-" + first), "101");
        board.click(id("setPriority-" + first));
        assertThat(board.awaitText("#waitingError", "the refusal of priority 101", t -> !t.isBlank()))
                .contains("101").contains("0 to 100");
        board.type(id("priority-" + first), "");
        board.click(id("setPriority-" + first));
        board.awaitText("#waitingError", "the empty priority", t -> t.contains("enter a priority"));
        assertThat(waiting(board)).as("order after the refusals").containsExactly(second, first);
        board.screenshot("priority-refused");

        // --- daniel (1004) logs in and goes ready: he is offered the re-prioritised call.
        BrowserSession desk = BROWSERS.open("agent");
        signIn(desk, base, "daniel", "demo-agent", "/agent");
        desk.awaitText("#state", "logged-out");
        desk.click("#login");
        String after = desk.awaitText("#state", "a state after logging in", s -> !s.equals("logged-out") && !s.equals("…"));
        if (!after.equals("ready")) {
            desk.click("#ready");
        }
        desk.awaitText("#popTitle", "Connected");
        assertThat(desk.text("#popCaller")).isEqualTo(SECOND);
        assertThat(desk.script("return document.getElementById('pop').dataset.callId").asText()).isEqualTo(second);
        desk.screenshot("connected-to-the-reprioritised-call");
        board.await("only the first caller left waiting", () -> waiting(board), w -> w.equals(List.of(first)));
        board.await("the table follows", () -> board.exists(id("waiting-" + second)), e -> !e);
        assertThat(board.cell("waiting-" + first, "Position")).isEqualTo("1");
        board.screenshot("first-caller-left");

        // --- After the call, a callback for this caller from the desktop's form (prefilled with caller and queue).
        desk.click("#hangup");
        desk.awaitText("#state", "wrap-up");
        assertThat(desk.script("return document.getElementById('cbNumber').value").asText()).isEqualTo(SECOND);
        assertThat(desk.script("return document.getElementById('cbQueue').value").asText()).isEqualTo("support");
        desk.type("#cbNote", "router replaced, check it works");
        desk.click("#cbSchedule");
        desk.awaitText("#cbStatus", "the scheduled callback", t -> t.startsWith("scheduled for"));
        desk.await("the callback in My callbacks", () -> desk.text("#cbList"),
                t -> t.contains(SECOND) && t.contains("support") && t.contains("router replaced, check it works"));
        desk.screenshot("callback-scheduled");
        JsonNode mine = PageApi.get(desk, "/api/agents/me/callbacks").path("callbacks");
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("number").asText()).isEqualTo(SECOND);
        assertThat(mine.get(0).path("queue").asText()).isEqualTo("support");

        assertThat(PageApi.unexpectedErrors(board, refusal("/api/agents/1005/skills", 400),
                refusal("/priority", 400))).as("errors in the wallboard's console").isEmpty();
        assertThat(desk.errors()).as("errors in the agent desktop's console").isEmpty();
    }

    private void call(String caller) {
        world.asterisk().placeCall("from-pstn", CallerScript.calling("5551234").from(caller, "Caller " + caller)
                .atPrompt("lang/choose", new Reaction.Press("1", Duration.ofMillis(50)))
                .atPrompt("en/main-menu", new Reaction.Press("2", Duration.ofMillis(50)))
                .hangUpAfter(Duration.ofMinutes(5)).build());
    }

    /**
     * The button {@code buttonId} is the same element after the clock in {@code rowId}'s {@code column} ticked: the
     * board does not swap buttons under a pointer about to click them.
     */
    private static void assertStaysWhileTicking(BrowserSession board, String buttonId, String rowId, String column) {
        board.script("window.heldButton = document.getElementById(arguments[0]);", buttonId);
        String before = board.cell(rowId, column);
        board.await(rowId + "'s " + column + " ticking", () -> board.cell(rowId, column), t -> !before.equals(t));
        assertThat(board.script("return window.heldButton !== null && window.heldButton.isConnected;").asBoolean())
                .as("button %s still on the page after a tick", buttonId).isTrue();
    }

    /** A selector for the element with id {@code id}; call ids hold dots, which {@code #id} would misread. */
    private static String id(String id) {
        return "[id='" + id + "']";
    }

    /** The waiting calls' ids in queue order, as GET /api/calls/waiting gives them to the supervisor. */
    private static List<String> waiting(BrowserSession board) {
        List<String> ids = new ArrayList<>();
        PageApi.get(board, "/api/calls/waiting").path("calls").forEach(c -> ids.add(c.path("callId").asText()));
        return ids;
    }

    /** The agent row's summary (skills, queues), its tooltip. */
    private static String rowTitle(BrowserSession board, String agent) {
        JsonNode t = board.script("const r = document.getElementById(arguments[0]); return r ? r.title : null;",
                "agent-" + agent);
        return t.isNull() ? null : t.asText();
    }

    private static void awaitState(BrowserSession board, String agent, String... states) {
        Set<String> ok = Set.of(states);
        board.await("agent " + agent + " " + String.join(" or ", states) + " on the wallboard",
                () -> board.cell("agent-" + agent, "State"), s -> s != null && ok.contains(s));
    }
}
