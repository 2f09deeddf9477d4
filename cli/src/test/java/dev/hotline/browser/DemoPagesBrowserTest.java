package dev.hotline.browser;

import dev.hotline.e2e.RunningDemo;
import org.junit.jupiter.api.Tag;
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
@Tag("slow")
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
            // The demo says plainly that its simulated Asterisk cannot carry the browser phone.
            assertThat(b.textContent("#phoneModeNote")).contains("simulated Asterisk has no WebSocket");
            b.screenshot("agent-desktop");
            Axe.check(b, "demo-agent-desktop");
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
            Axe.check(b, "demo-wallboard");

            // Listen in, with the demo's simulated supervisor phone from the picker. A phone that does not exist is
            // refused in words; the error clears itself when a later attempt works.
            assertThat(b.script("return document.getElementById('myPhone').value").asText()).isEqualTo("PJSIP/2101");
            assertThat(b.count("#phoneList option")).isEqualTo(2);
            b.type("#myPhone", "PJSIP/2999");
            b.await("the unknown phone refused in words", Duration.ofSeconds(60), () -> {
                String error = b.text("#error");
                if (error.contains("PJSIP/2999 was not connected")) {
                    return error;
                }
                if (!b.text("#spyStatus").contains("ringing")) {
                    listenToSomeone(b);
                }
                return error;
            }, t -> t.contains("PJSIP/2999 was not connected") && t.contains("no such phone, or it is not registered"));
            b.screenshot("listen-refused");
            b.type("#myPhone", "PJSIP/2101");
            b.await("a listen that connects", Duration.ofSeconds(60), () -> {
                if (b.text("#spyStatus").contains("is connected to")) {
                    return true;
                }
                if (!b.text("#spyStatus").contains("ringing")) {
                    listenToSomeone(b);   // no agent on a call just then, or the simulated phone did not answer
                }
                return false;
            }, ok -> ok);
            assertThat(b.text("#error")).as("the earlier error is gone").isEmpty();
            b.screenshot("listening");

            // TV mode: large type, no controls, the queues two at a time, turning every 3 s.
            b.open(base + "/wallboard?tv&rotate=3&per=2");
            b.await("TV mode", () -> b.script("return document.body.classList.contains('tv')").asBoolean(), t -> t);
            b.awaitText("#tvPage", "the first page of queues", "(1 of 2)"::equals);
            assertThat(b.displayed("#agentsTitle")).as("no agent board in TV mode").isFalse();
            assertThat(b.count("#tiles .tile:not(.hidden-in-tv)")).isEqualTo(2);
            b.screenshot("tv-mode");
            Axe.check(b, "demo-wallboard-tv");
            b.awaitText("#tvPage", "the queues turning", "(2 of 2)"::equals);
            b.screenshot("tv-mode-next-page");
            b.open(base + "/wallboard");
            b.awaitDisplayed("#signout", true);
            signOut(b);

            // The admin page: the published IVR scripts and the users.
            signIn(b, base, admin.username(), admin.password(), "/admin");
            b.awaitText("#ivr", "the published scripts", t -> t.startsWith("Published version")
                    && t.contains("main-menu"));
            b.await("the users table", () -> b.text("#users"), t -> t.contains(agent.username())
                    && t.contains(supervisor.username()));
            b.screenshot("admin");
            Axe.check(b, "demo-admin");
            // The wallboard reopened just before signing out may still be loading its profile editor's catalogue
            // (skills, then queues): a request that lands after the sign-out is refused 401, which the page ignores.
            assertThat(PageApi.unexpectedErrors(b, PageApi.refusal("/listen", 502), PageApi.refusal("/listen", 409),
                    PageApi.refusal("/api/directory/queues", 401), PageApi.refusal("/api/directory/skills", 401)))
                    .as("errors in the browser console").isEmpty();

            demo.stop();
            assertThat(demo.awaitExit(Duration.ofSeconds(60))).as("stderr: %s", demo.errors()).isZero();
            assertThat(demo.output()).contains("queue       offered  answered");
        }
    }

    /** Clicks Listen on the first agent of the board who is on a call now (in one step: rows redraw). */
    private static void listenToSomeone(BrowserSession b) {
        b.script("const l = document.querySelector('#agents button.spy.listen'); if (l) l.click(); return !!l;");
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
