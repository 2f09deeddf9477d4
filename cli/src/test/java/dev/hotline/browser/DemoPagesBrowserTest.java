package dev.hotline.browser;

import dev.hotline.e2e.RunningDemo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./hotline demo} as a person meets it: the URL and demo users it prints work in a browser. The agent's
 * desktop shows their live state, the supervisor's wallboard fills with the demo's calls, the admin page lists
 * the published IVR scripts. Screenshots in {@code cli/target/browser-artifacts/DemoPagesBrowserTest/}.
 */
class DemoPagesBrowserTest {

    private static final List<String> QUEUES = List.of("sales", "support", "billing", "operator");
    private static final Set<String> WORKING = Set.of("ready", "not-ready", "ringing", "on-call", "wrap-up");

    @RegisterExtension
    static final Browsers BROWSERS = new Browsers();

    @Test
    void theUsersTheDemoPrintsSignInAndEachPageWorks() throws Exception {
        try (RunningDemo demo = RunningDemo.start("--duration", "5m", "--rate", "120", "--handle-time", "5s",
                "--every", "60s", "--seed", "9", "--gateway-port", "0")) {
            String base = demo.url();
            RunningDemo.DemoUser agent = demo.user("agent");
            RunningDemo.DemoUser supervisor = demo.user("supervisor");
            RunningDemo.DemoUser admin = demo.user("admin");
            BrowserSession b = BROWSERS.open("demo");

            // The agent desktop: the demo logs every agent in and ready, so the page shows a working state.
            signIn(b, base, agent.username(), agent.password(), "/agent");
            b.awaitText("#who", "the agent's name and number", t -> t.matches(agent.username() + " \\(\\d+\\)"));
            b.awaitText("#state", "a working state", WORKING::contains);
            b.await("not-ready reasons and disposition codes loaded",
                    () -> b.count("#reasons option") * b.count("#dispoCode option"), n -> n > 0);
            b.screenshot("agent-desktop");
            signOut(b);

            // The wallboard: every queue, the supervisor's team, and the demo's callers arriving.
            signIn(b, base, supervisor.username(), supervisor.password(), "/wallboard");
            b.await("a row per queue", () -> QUEUES.stream().filter(q -> b.exists("#queue-" + q)).count(),
                    n -> n == QUEUES.size());
            b.await("the team's agents on the board", () -> b.count("#agents tr"), n -> n > 0);
            int offered = offered(b);
            b.screenshot("wallboard");
            b.await("more calls offered than the " + offered + " at first", Duration.ofSeconds(45),
                    () -> offered(b), n -> n > offered);
            b.screenshot("wallboard-later");
            signOut(b);

            // The admin page: the published IVR scripts and the users.
            signIn(b, base, admin.username(), admin.password(), "/admin");
            b.awaitText("#ivr", "the published scripts", t -> t.startsWith("Published version")
                    && t.contains("main-menu"));
            b.await("the users table", () -> b.text("#users"), t -> t.contains(agent.username())
                    && t.contains(supervisor.username()));
            b.screenshot("admin");
            assertThat(b.errors()).as("errors in the browser console").isEmpty();

            demo.stop();
            assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("stderr: %s", demo.errors()).isZero();
            assertThat(demo.output()).contains("queue       offered  answered");
        }
    }

    private static void signOut(BrowserSession b) {
        b.click("#signout");
        b.await("back on the sign-in page", b::url, u -> URI.create(u).getPath().equals("/"));
        b.awaitDisplayed("#username", true);
    }

    /** Calls offered in all queues, as the wallboard shows them. */
    private static int offered(BrowserSession b) {
        int sum = 0;
        for (String q : QUEUES) {
            sum += Integer.parseInt(b.cell("queue-" + q, "Offered"));
        }
        return sum;
    }
}
