package dev.hotline.browser;

import dev.hotline.cli.demo.DemoWorld;
import dev.hotline.config.AgentConfig;
import dev.hotline.config.ConfigLoader;
import dev.hotline.config.GatewayConfig;
import dev.hotline.gateway.Gateway;
import dev.hotline.gateway.auth.UserStore;
import dev.hotline.simulator.dialplan.Media;
import dev.hotline.simulator.endpoint.EndpointBehaviour;
import dev.hotline.simulator.load.Distribution;
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

import static dev.hotline.browser.AgentDesktopAndWallboardBrowserTest.signIn;
import static dev.hotline.browser.SipWebSocketPeer.request;
import static dev.hotline.browser.SipWebSocketPeer.response;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent desktop's browser phone (JsSIP, served by the gateway from the npm package the build bundled) in
 * headless Chromium with a fake microphone, against a SIP-over-WebSocket peer standing in for Asterisk's PJSIP
 * WebSocket ({@link SipWebSocketPeer}): daniel chooses "This browser" as his phone, connects it (REGISTER), logs in;
 * a caller reaches the support queue and, as Asterisk would ring his endpoint, the peer sends an INVITE: the page
 * rings (sound, a browser notification, an assertive announcement) beside the call's screen pop; he answers (the
 * call reaches "confirmed" with the peer's ACK), sends a keypad tone (SIP INFO), mutes, puts the caller on hold and
 * back (re-INVITEs) and hangs up (BYE). Here the simulated Asterisk rings a simulated phone for the engine while the
 * peer rings the browser: with a real Asterisk these are one call. Screenshots in
 * {@code cli/target/browser-artifacts/SoftphoneBrowserTest/}.
 */
@Tag("slow")
class SoftphoneBrowserTest {

    private static final Path HOME = Path.of("..");
    private static final String CALLER = "0612345678";

    @RegisterExtension
    static final Browsers BROWSERS = new Browsers();

    @TempDir
    Path data;
    private DemoWorld world;
    private Gateway gateway;
    private SipWebSocketPeer peer;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (world != null) {
            world.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void anAgentAnswersHoldsSendsATonesAndHangsUpInTheBrowserWithTheScreenPopBeside() throws Exception {
        peer = SipWebSocketPeer.start();
        List<AgentConfig> agents = new ConfigLoader(Map.of()).loadAgents(HOME.resolve("config/agents.yaml")).stream()
                .filter(a -> a.id().equals("1004")).toList();
        // The engine's (simulated) phone for 1004 answers after 6 s: time for the browser to ring and be answered.
        world = DemoWorld.start(AgentDesktopAndWallboardBrowserTest.config(data), agents, new EndpointBehaviour(
                Distribution.fixed(Duration.ofSeconds(6)), 1.0, Distribution.fixed(Duration.ofMinutes(5))),
                Media.everyFile(Duration.ofMillis(100)), 21, "test");
        assertThat(world.awaitAmi(Duration.ofSeconds(10))).as("AMI up").isTrue();
        gateway = Gateway.start(world.engine().api(), GatewayConfig.DEFAULTS.withPort(0)
                        .withAuditFile(data.resolve("audit.log"))
                        .withPhones(new GatewayConfig.Phones(peer.url(), "hotline.test", List.of())),
                UserStore.load(HOME.resolve("config/demo/users.yaml")), InstantSource.system());

        BrowserSession desk = BROWSERS.open("agent");
        signIn(desk, gateway.url(), "daniel", "demo-agent", "/agent");
        desk.awaitText("#state", "logged-out");
        desk.click("#phoneMode option[value='browser']");
        desk.awaitDisplayed("#phoneBox", true);
        assertThat(desk.text("#phoneEndpoint")).isEqualTo("PJSIP/1004");
        desk.type("#sipPassword", "a-sip-secret");
        desk.screenshot("phone-setting");
        desk.click("#phoneRegister");
        desk.awaitText("#phoneStatus", "ready to ring");
        SipWebSocketPeer.Message register = peer.await("REGISTER", request("REGISTER"), Duration.ofSeconds(10));
        assertThat(register.header("From")).contains("sip:1004@hotline.test");
        assertThat(register.header("User-Agent")).contains("JsSIP");
        Axe.check(desk, "agent-desktop-phone-connected");
        desk.click("#login");
        String after = desk.awaitText("#state", "a state after logging in", s -> !s.equals("logged-out") && !s.equals("…"));
        if (!after.equals("ready")) {
            desk.click("#ready");
        }
        desk.awaitText("#state", "ready");

        // A caller reaches support; the engine offers the call to 1004, and "Asterisk" rings the browser.
        world.asterisk().placeCall("from-pstn", AgentDesktopAndWallboardBrowserTest.toSupport(CALLER).build());
        desk.awaitText("#popTitle", "Incoming call");
        peer.invite(CALLER, "Test Caller");
        desk.awaitText("#phoneCaller", "the ringing caller", t -> t.contains(CALLER));
        peer.await("180 Ringing", response("INVITE", 180), Duration.ofSeconds(10));
        assertThat(desk.script("return HotlinePhone.notified").toString()).contains("Incoming call from Test Caller");
        assertThat(desk.textContent("#alertAnnouncer")).contains("Incoming call");
        assertThat(desk.displayed("#pop")).as("the screen pop beside the ringing phone").isTrue();
        assertThat(desk.text("#popCaller")).contains(CALLER);
        desk.screenshot("ringing-with-the-screen-pop");
        Axe.check(desk, "agent-desktop-ringing");

        desk.altKey("a");   // Alt+A answers
        peer.await("200 OK to the INVITE", response("INVITE", 200), Duration.ofSeconds(15));
        peer.await("the peer's ACK", m -> !m.fromBrowser() && m.isRequest() && m.method().equals("ACK"),
                Duration.ofSeconds(5));
        desk.awaitText("#phoneStatus", "in a call");
        desk.screenshot("answered");

        desk.click("#dtmf-5");
        SipWebSocketPeer.Message info = peer.await("INFO with a tone", request("INFO"), Duration.ofSeconds(10));
        assertThat(info.header("Content-Type")).isEqualTo("application/dtmf-relay");
        assertThat(info.body()).contains("Signal=5");

        desk.click("#phoneMute");
        desk.await("muted", () -> desk.script("return document.getElementById('phoneMute').getAttribute('aria-pressed')")
                .asText(), "true"::equals);
        desk.click("#phoneHold");
        SipWebSocketPeer.Message hold = peer.await("re-INVITE to hold", m -> request("INVITE").test(m)
                && m.body().contains("a=sendonly"), Duration.ofSeconds(10));
        desk.awaitText("#phoneHold", "Resume");
        desk.screenshot("on-hold");
        desk.click("#phoneHold");
        peer.await("re-INVITE to resume", m -> request("INVITE").test(m) && m.body().contains("a=sendrecv")
                && m != hold, Duration.ofSeconds(10));
        desk.awaitText("#phoneHold", "Hold");

        // Meanwhile the engine connected the call: the pop says so.
        desk.awaitText("#popTitle", "Connected");
        desk.click("#phoneHangup");
        peer.await("BYE", request("BYE"), Duration.ofSeconds(10));
        desk.awaitDisplayed("#phoneCall", false);
        desk.awaitText("#phoneStatus", "ready to ring");
        desk.screenshot("hung-up");

        // A second call the caller ends first: the browser stops ringing when the peer hangs up after the answer.
        peer.invite("0698765432", "Second Caller");
        desk.awaitText("#phoneCaller", "the second caller", t -> t.contains("0698765432"));
        desk.click("#phoneAnswer");
        desk.awaitText("#phoneStatus", "in a call");
        peer.bye();
        peer.await("200 OK to the peer's BYE", response("BYE", 200), Duration.ofSeconds(10));
        desk.awaitDisplayed("#phoneCall", false);
        Files.writeString(BROWSERS.artifacts().next("sip", "exchange", "txt"),
                String.join("\n", peer.log().stream().map(Object::toString).toList()));
        assertThat(desk.errors()).as("errors in the agent desktop's console").isEmpty();
    }
}
