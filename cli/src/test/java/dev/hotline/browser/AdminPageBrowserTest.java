package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.config.HotlineConfig;
import dev.hotline.gateway.Gateway;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static dev.hotline.browser.PageApi.refusal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin page driven as root would: a new skill; a new agent written in the JSON definition editor (a
 * refused definition first), disabled and enabled again; a new user (a weak password refused next to its field
 * first), who signs in, is disabled and then refused at sign-in; a calendar with weekly hours and a holiday (a bad
 * time zone refused next to its field first); the main-menu script opened, an error found by Validate with its
 * line, a valid change published and rolled back. The engine runs on a copy of the IVR scripts, so publishing
 * never touches the repository. Screenshots in {@code cli/target/browser-artifacts/AdminPageBrowserTest/}.
 */
@Tag("slow")
class AdminPageBrowserTest {

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

    @Test
    void anAdminManagesSkillsAgentsUsersCalendarsAndScripts() throws Exception {
        Path scripts = Files.createDirectories(data.resolve("ivr-scripts"));
        for (String f : List.of("main-menu.yaml", "survey.yaml", "ivr.schema.json")) {
            Files.copy(HOME.resolve("ivr-scripts").resolve(f), scripts.resolve(f));
        }
        HotlineConfig c = AgentDesktopAndWallboardBrowserTest.config(data);
        HotlineConfig config = new HotlineConfig(c.source(), c.engineName(), c.agi(), c.amiServers(), c.database(),
                scripts, c.calendars(), c.queues(), c.acd(), c.agentsFile(), c.gateway());
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> Set.of("1001", "1004").contains(a.id())).toList();
        world = DemoWorld.start(config, agents, new EndpointBehaviour(Distribution.fixed(Duration.ofSeconds(1)), 1.0,
                Distribution.fixed(Duration.ofMinutes(1))), Media.everyFile(Duration.ofMillis(100)), 17, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        // Users in the database (seeded from the demo's file), as `hotline run` and `hotline demo` keep them.
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                .withUsersFile(HOME.resolve("config/demo/users.yaml")).withAuditFile(data.resolve("audit.log")));
        String base = gateway.url();

        BrowserSession admin = BROWSERS.open("admin");
        signIn(admin, base, "root", "demo-admin", "/admin");
        admin.awaitText("#ivr", "the published scripts", t -> t.startsWith("Published version")
                && t.contains("main-menu"));
        admin.await("the users table writable", () -> admin.text("#users"), t -> t.contains("daniel"));
        assertThat(admin.text("#usersReadOnly")).isEmpty();
        admin.screenshot("signed-in");
        Axe.check(admin, "admin");

        // --- A skill.
        admin.type("#skillName", "french");
        admin.type("#skillDescription", "speaks French with callers");
        admin.click("#skillCreate");
        admin.await("the new skill's row", () -> admin.cell("skill-row-french", "Description"),
                "speaks French with callers"::equals);
        assertThat(admin.cell("skill-row-french", "State")).isEqualTo("enabled");
        assertThat(admin.text("#skillError")).isEmpty();
        admin.screenshot("skill-created");

        // --- An agent through the JSON definition editor: an unknown skill is refused with its key, then created.
        admin.click("#agentNew");
        admin.awaitText("#definitionTitle", "New agent");
        // In the form: an unknown skill is refused, the problem shown beside the skills field.
        admin.type("#def-id", "2001");
        admin.type("#def-name", "Nora Petit");
        admin.type("#def-endpoints", "PJSIP/2001");
        admin.type("#def-skills", "french 7, suport 5");
        admin.type("#def-teams", "team-b");
        admin.type("#def-site", "lyon");
        admin.type("#def-languages", "fr, en");
        assertThat(PageJson.of(admin, "#definition").path("skills").toString()).as("the form kept in the JSON")
                .isEqualTo("{\"french\":7,\"suport\":5}");
        admin.click("#definitionSave");
        admin.awaitText("#definitionStatus", "not saved");
        assertThat(admin.text("#def-skills-error")).contains("skills.suport").contains("unknown skill 'suport'");
        admin.screenshot("agent-refused-in-the-form");
        Axe.check(admin, "admin-agent-form");
        // The advanced view: the whole definition as JSON, read back into the form.
        admin.click("#definitionAdvanced summary");
        String nora = """
                {
                  "id": "2001", "name": "Nora Petit", "endpoints": ["PJSIP/2001"],
                  "skills": {"french": 7, "suport": 5},
                  "teams": ["team-b"], "site": "lyon", "languages": ["fr", "en"], "queues": []
                }""";
        setValue(admin, "#definition", nora);
        assertThat(value(admin, "#def-skills")).isEqualTo("french 7, suport 5");
        admin.click("#definitionSave");
        admin.awaitText("#definitionStatus", "not saved");
        assertThat(admin.text("#definitionProblems")).contains("skills.suport").contains("unknown skill 'suport'");
        admin.screenshot("agent-refused");
        admin.type("#def-skills", "french 7, support 5");
        admin.click("#definitionSave");
        admin.awaitText("#definitionStatus", "saved, in effect now");
        admin.awaitText("#definitionTitle", "Edit agent 2001");
        admin.await("the new agent's row", () -> admin.cell("dir-agent-2001", "Skills"), "french 7, support 5"::equals);
        assertThat(admin.cell("dir-agent-2001", "State")).isEqualTo("enabled");
        assertThat(world.engine().acd().agents()).containsKey("2001");
        admin.screenshot("agent-created");

        admin.click("#toggle-agent-2001");
        admin.await("2001 disabled", () -> admin.cell("dir-agent-2001", "State"), "disabled"::equals);
        assertThat(world.engine().acd().disabledAgents()).contains("2001");
        admin.screenshot("agent-disabled");
        admin.click("#toggle-agent-2001");
        admin.await("2001 enabled", () -> admin.cell("dir-agent-2001", "State"), "enabled"::equals);
        assertThat(world.engine().acd().disabledAgents()).doesNotContain("2001");
        admin.screenshot("agent-enabled");

        // --- A user for her: a weak password is refused next to the field, then a good one creates her.
        admin.click("#userNew");
        admin.type("#userUsername", "nora");
        admin.type("#userPassword", "nora1");
        admin.click("#userRole option:nth-child(1)");
        assertThat(value(admin, "#userRole")).isEqualTo("agent");
        admin.type("#userAgentId", "2001");
        admin.type("#userTeams", "team-b");
        admin.click("#userSave");
        String weak = admin.awaitText("#userPasswordError", "the weak password's message", t -> !t.isBlank());
        assertThat(weak).contains("password").contains("at least 10");
        assertThat(admin.exists("#user-nora")).isFalse();
        admin.screenshot("weak-password-refused");
        admin.type("#userPassword", "Lyon-desk-2026");
        admin.click("#userSave");
        admin.awaitText("#userStatus", "created nora");
        assertThat(admin.text("#userPasswordError")).isEmpty();
        admin.await("nora's row", () -> admin.cell("user-nora", "Status"), "enabled"::equals);
        assertThat(admin.cell("user-nora", "Agent")).isEqualTo("2001");
        admin.screenshot("user-created");

        // She signs in; once disabled, her session ends and signing in is refused.
        BrowserSession desk = BROWSERS.open("nora");
        signIn(desk, base, "nora", "Lyon-desk-2026", "/agent");
        desk.awaitText("#who", "nora (2001)");
        desk.screenshot("nora-signed-in");
        admin.click("#user-toggle-nora");
        admin.awaitText("#userStatus", "nora disabled");
        admin.await("nora's row disabled", () -> admin.cell("user-nora", "Status"), "disabled"::equals);
        admin.screenshot("user-disabled");
        desk.await("nora's desktop back on the sign-in page", desk::url, u -> URI.create(u).getPath().equals("/"));
        desk.awaitDisplayed("#username", true);
        desk.type("#username", "nora");
        desk.type("#password", "Lyon-desk-2026");
        desk.click("#signin");
        // The same answer as for a wrong password: a sign-in page does not tell which accounts exist.
        desk.awaitText("#error", "unknown username or wrong password");
        assertThat(URI.create(desk.url()).getPath()).isEqualTo("/");
        desk.screenshot("nora-refused");

        // --- A calendar: a bad time zone is shown next to its field; then weekly hours and a holiday are saved.
        admin.click("#calendarNew");
        admin.type("#calendarName", "lyon-office");
        admin.type("#calendarTimeZone", "Europe/Lyon");
        for (String day : List.of("monday", "tuesday", "wednesday", "thursday", "friday")) {
            admin.type("#calendarDay-" + day, "08:30-12:00, 13:30-18:00");
        }
        admin.type("#calendarDay-saturday", "09:00-12:00");
        admin.type("#calendarDay-sunday", "closed");
        admin.type("#calendarHolidays", "2026-12-25 Christmas\n2027-08-09..2027-08-13 summer closure");
        admin.click("#calendarSave");
        String zone = admin.awaitText("#calendarTimeZoneError", "the bad time zone's message", t -> !t.isBlank());
        assertThat(zone).contains("Europe/Lyon");
        assertThat(admin.exists("#calendar-lyon-office")).isFalse();
        admin.screenshot("bad-time-zone");
        admin.type("#calendarTimeZone", "Europe/Paris");
        admin.click("#calendarSave");
        admin.awaitText("#calendarStatus", "saved; database version in effect");
        assertThat(admin.text("#calendarTimeZoneError")).isEmpty();
        admin.await("the calendar's row", () -> admin.cell("calendar-lyon-office", "Time zone"), "Europe/Paris"::equals);
        admin.screenshot("calendar-saved");
        JsonNode cal = PageApi.get(admin, "/api/calendars/lyon-office").path("definition");
        assertThat(cal.path("weekly").path("monday").toString()).isEqualTo("[\"08:30-12:00\",\"13:30-18:00\"]");
        assertThat(cal.path("weekly").path("sunday").asText()).isEqualTo("closed");
        List<String> holidays = new java.util.ArrayList<>();
        cal.path("holidays").forEach(h -> holidays.add(h.path("from").asText() + ".." + h.path("to").asText() + " "
                + h.path("name").asText()));
        assertThat(holidays).containsExactly("2026-12-25..2026-12-25 Christmas",
                "2027-08-09..2027-08-13 summer closure");
        // Opened again, the form shows what was saved.
        admin.click("#calendar-edit-lyon-office");
        admin.await("the saved calendar in the form", () -> value(admin, "#calendarHolidays"),
                v -> v.equals("2026-12-25 Christmas\n2027-08-09..2027-08-13 summer closure"));
        assertThat(value(admin, "#calendarDay-tuesday")).isEqualTo("08:30-12:00, 13:30-18:00");

        // --- The main-menu script: open, a broken reference found by Validate with its line, publish, roll back.
        String original = Files.readString(scripts.resolve("main-menu.yaml"));
        admin.await("the scripts to open from", () -> admin.exists("#script-main-menu") && admin.exists("#script-survey"),
                e -> e);
        admin.click("#script-main-menu");
        admin.awaitText("#scriptStatus", "published");
        assertThat(value(admin, "#scriptId")).isEqualTo("main-menu");
        // The flow diagram, from the validator's graph: every node, the entry marked.
        admin.await("the flow diagram", () -> admin.count("#flow g.flow-node"), n -> n >= 15);
        assertThat(admin.script("return document.getElementById('flow-node-welcome').getAttribute('aria-label')")
                .asText()).startsWith("welcome play, line 13, entry");
        admin.screenshot("script-opened-with-its-flow");
        Axe.check(admin, "admin-script-flow");
        admin.await("the script's source", () -> value(admin, "#source"), original::equals);
        String broken = original.replaceFirst("next: open-hours", "next: open-ours");
        int line = lineOf(broken, "next: open-ours");
        setValue(admin, "#source", broken);
        admin.click("#validate");
        admin.awaitText("#scriptStatus", "invalid");
        String problems = admin.text("#scriptProblems");
        assertThat(problems).contains("line " + line + ",").contains("open-ours")
                .contains("did you mean \"open-hours\"?");
        // On the diagram: the node with the problem is red, the name it points to is a missing box.
        admin.await("the problem marked on the flow", () -> admin.exists("#flow-node-open-ours.missing")
                && admin.count("#flow g.has-errors") == 1, ok -> ok);
        assertThat(admin.text("#gutter").lines().toList().get(line - 1)).as("gutter mark on line " + line)
                .startsWith("\u25B6");
        // The mark sits beside its line: the same row height in the editor and the gutter, no wrapped lines, and
        // the gutter follows the editor's scroll.
        JsonNode rows = admin.script("""
                const s = getComputedStyle(document.getElementById('source'));
                const g = getComputedStyle(document.getElementById('gutter'));
                return [s.fontSize + '/' + s.lineHeight, g.fontSize + '/' + g.lineHeight,
                        document.getElementById('source').scrollHeight, parseFloat(s.lineHeight)];""");
        assertThat(rows.get(0).asText()).as("editor font/row vs the gutter's").isEqualTo(rows.get(1).asText());
        assertThat((int) Math.round((rows.get(2).asDouble() - 4) / rows.get(3).asDouble()))
                .as("editor rows (a wrapped line would add some)").isBetween((int) broken.lines().count(),
                        (int) broken.lines().count() + 1);
        admin.click("#scriptProblems li");
        admin.script("const s = document.getElementById('source'); s.scrollTop = s.scrollHeight;");
        admin.await("the gutter scrolled with the editor", () -> admin.script(
                "const s = document.getElementById('source'), g = document.getElementById('gutter');"
                        + " return s.scrollTop > 0 && g.scrollTop === s.scrollTop;").asBoolean(), ok -> ok);
        admin.click("#scriptProblems li");
        assertThat(admin.script("const s = document.getElementById('source');"
                + " return s.value.substring(s.selectionStart, s.selectionEnd);").asText())
                .as("the line selected by clicking its problem").isEqualTo("    next: open-ours");
        admin.await("the gutter scrolled back with the editor", () -> admin.script(
                "const s = document.getElementById('source'), g = document.getElementById('gutter');"
                        + " return g.scrollTop === s.scrollTop && s.scrollTop < s.scrollHeight - s.clientHeight;")
                .asBoolean(), ok -> ok);
        admin.screenshot("script-invalid");
        // A YAML mistake is said in plain words where it was made: a tab in the indentation of line 15.
        String tabbed = String.join("\n", original.lines().toList().subList(0, 14)) + "\n\tprompt: welcome\n"
                + String.join("\n", original.lines().toList().subList(15, original.lines().toList().size())) + "\n";
        setValue(admin, "#source", tabbed);
        admin.click("#validate");
        assertThat(admin.awaitText("#scriptProblems", "the tab's problem", t -> t.contains("tab"))).isEqualTo("line 15, column 1: error YAML syntax error: a tab in the"
                + " indentation (YAML indents with spaces only: replace the tab with spaces)");
        admin.screenshot("yaml-tab");
        assertThat(Files.readString(scripts.resolve("main-menu.yaml"))).as("nothing published").isEqualTo(original);

        int before = version(admin);
        String changed = original.replaceFirst("(?m)^description: .*$",
                "description: Language choice, hours, queues; changed from the admin page.");
        setValue(admin, "#source", changed);
        admin.click("#validate");
        admin.awaitText("#scriptStatus", "valid");
        admin.click("#publish");
        admin.awaitText("#scriptStatus", "published version", t -> t.startsWith("published (previous version kept)"));
        assertThat(Files.readString(scripts.resolve("main-menu.yaml"))).isEqualTo(changed);
        admin.await("a new published version", () -> version(admin), v -> v > before);
        admin.screenshot("script-published");

        // Rolling back asks first; "keep" changes nothing.
        admin.click("#rollback");
        admin.awaitDisplayed("#rollbackConfirm", true);
        assertThat(admin.text("#rollbackQuestion")).contains("Put back the previous version of main-menu?");
        admin.screenshot("rollback-asked");
        Axe.check(admin, "admin-rollback-confirm");
        admin.click("#rollbackNo");
        admin.awaitText("#scriptStatus", "not rolled back");
        assertThat(Files.readString(scripts.resolve("main-menu.yaml"))).isEqualTo(changed);
        admin.click("#rollback");
        admin.click("#rollbackYes");
        admin.awaitText("#scriptStatus", "rolled back", t -> t.startsWith("rolled back"));
        admin.await("the previous source in the editor", () -> value(admin, "#source"), original::equals);
        assertThat(Files.readString(scripts.resolve("main-menu.yaml"))).isEqualTo(original);
        admin.screenshot("script-rolled-back");
        admin.await("the audit log", () -> admin.text("#audit"), t -> t.contains("ivr.rollback")
                && t.contains("user.disable") && t.contains("calendar.create") && t.contains("directory.agent.create"));

        assertThat(PageApi.unexpectedErrors(admin, refusal("/api/directory/agents", 400),
                refusal("/api/users", 400), refusal("/api/calendars/lyon-office", 400)))
                .as("errors in the admin page's console").isEmpty();
        assertThat(PageApi.unexpectedErrors(desk, refusal("/api/login", 401), refusal("/api/login", 403),
                refusal("/api/", 401))).as("errors in nora's browser console").isEmpty();
    }

    /** Sets a text field's whole content (a pasted document) and tells the page, as typing would. */
    private static void setValue(BrowserSession b, String css, String text) {
        b.script("const e = document.querySelector(arguments[0]); e.focus(); e.value = arguments[1];"
                + " e.dispatchEvent(new Event('input', {bubbles: true}));", css, text);
    }

    private static String value(BrowserSession b, String css) {
        return b.script("return document.querySelector(arguments[0]).value;", css).asText();
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + needle);
    }

    /** The published catalogue's version, as the page's header line shows it. */
    private static int version(BrowserSession b) {
        String t = b.text("#ivr");
        return Integer.parseInt(t.replaceFirst("^Published version (\\d+):.*$", "$1"));
    }
}
