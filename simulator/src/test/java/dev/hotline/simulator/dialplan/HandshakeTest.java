package dev.hotline.simulator.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.simulator.dialplan.DialplanContext.AfterAgi;
import dev.hotline.simulator.dialplan.Handshake.Route;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The table of docs/SIMULATOR.md, row by row: what the simulated dialplan does after AGI. */
class HandshakeTest {

    private static final Handshake SHIPPED = Handshake.shipped();
    private static final Handshake MARKER = Handshake.marker("HOTLINE_HANDLED",
            Optional.of("agi://127.0.0.1:4573/resume?server=pbx1"));

    private static Route route(Handshake handshake, AfterAgi after, String... pairs) {
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return handshake.route(after, name -> Optional.ofNullable(vars.get(name)));
    }

    @Test
    void shippedDialplanSendsEveryFailureToTheFallbackEvenWhenHotlineServedTheCaller() {
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", "HOTLINE_HANDLED", "1"))
                .isEqualTo(new Route.Fallback("AGISTATUS=FAILURE"));
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "SUCCESS", "HOTLINE_ERROR", "unknown script"))
                .isEqualTo(new Route.Fallback("HOTLINE_ERROR=unknown script"));
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_CONNECT, "AGISTATUS", "SUCCESS", "HOTLINE_ERROR", "x"))
                .as("hotline-connect does not read HOTLINE_ERROR").isEqualTo(new Route.Hangup());
    }

    @Test
    void shippedDialplanHangsUpACallerWhoseEngineVanished() {
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "SUCCESS")).isEqualTo(new Route.Hangup());
    }

    @Test
    void outcomesGoToVoicemailAndTransfer() {
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "SUCCESS", "HOTLINE_OUTCOME", "voicemail",
                "HOTLINE_TARGET", "sales")).isEqualTo(new Route.Voicemail("sales@hotline"));
        assertThat(route(SHIPPED, AfterAgi.HOTLINE_CONNECT, "AGISTATUS", "SUCCESS", "HOTLINE_OUTCOME", "voicemail",
                "HOTLINE_TARGET", "100@other")).isEqualTo(new Route.Voicemail("100@other"));
        assertThat(route(MARKER, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", "HOTLINE_HANDLED", "1",
                "HOTLINE_OUTCOME", "transfer", "HOTLINE_TARGET", "1004")).isEqualTo(new Route.Transfer("1004"));
    }

    @Test
    void markerHandshakeIgnoresAStickyFailureWhenHotlineHandedTheCallBack() {
        assertThat(route(MARKER, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", "HOTLINE_HANDLED", "1"))
                .isEqualTo(new Route.Hangup());
    }

    @Test
    void markerHandshakeResumesALostCallOnceThenFallsBack() {
        assertThat(route(MARKER, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "SUCCESS"))
                .isEqualTo(new Route.Resume("agi://127.0.0.1:4573/resume?server=pbx1"));
        assertThat(route(MARKER, AfterAgi.HOTLINE_CONNECT, "AGISTATUS", "FAILURE", "HOTLINE_CALL_ID", "1.2"))
                .isEqualTo(new Route.Resume("agi://127.0.0.1:4573/resume?server=pbx1"));
        assertThat(route(MARKER, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "1"))
                .isEqualTo(new Route.Fallback("no HOTLINE_HANDLED (AGISTATUS=FAILURE)"));
        assertThat(route(Handshake.marker("HOTLINE_HANDLED", Optional.empty()), AfterAgi.HOTLINE_MAIN,
                "AGISTATUS", "SUCCESS")).isEqualTo(new Route.Fallback("no HOTLINE_HANDLED (AGISTATUS=SUCCESS)"));
    }

    @Test
    void markerHandshakeLetsAHungUpCallerGo() {
        assertThat(route(MARKER, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "HANGUP")).isEqualTo(new Route.Hangup());
    }

    @Test
    void badSettingsAreRefusedWithTheirValue() {
        assertThatThrownBy(() -> Handshake.marker("HOTLINE HANDLED", Optional.empty()))
                .hasMessageContaining("'HOTLINE HANDLED'");
        assertThatThrownBy(() -> Handshake.marker("HOTLINE_HANDLED", Optional.of("http://x/resume")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final Handshake HOTLINE = Handshake.hotline("agi://a:4573/resume",
            Optional.of("agi://b:4573/resume"), 2, java.time.Duration.ofSeconds(1));

    @Test
    void theShippedHandshakeResumesAtBothEnginesRoundAfterRoundWithHoldMusicBetweenThenFallsBack() {
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "SUCCESS"))
                .isEqualTo(new Route.Resume("agi://a:4573/resume", java.time.Duration.ZERO, 1));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "1"))
                .isEqualTo(new Route.Resume("agi://b:4573/resume", java.time.Duration.ZERO, 2));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "2"))
                .isEqualTo(new Route.Resume("agi://a:4573/resume", java.time.Duration.ofSeconds(1), 3));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CONNECT, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "4"))
                .isEqualTo(new Route.Fallback("no HOTLINE_HANDLED (AGISTATUS=FAILURE)"));
    }

    @Test
    void theShippedHandshakeSendsACallNoEngineEverHeldToTheOtherEngineThenBothRoundAfterRound() {
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE"))
                .isEqualTo(new Route.Resume("agi://b:4573/resume", java.time.Duration.ZERO, 2));
        // The standby taking over: the next round starts at the first engine after the pause, then the other.
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "2"))
                .isEqualTo(new Route.Resume("agi://a:4573/resume", java.time.Duration.ofSeconds(1), 3));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "4"))
                .isEqualTo(new Route.Fallback("no HOTLINE_HANDLED (AGISTATUS=FAILURE)"));
        assertThat(route(Handshake.hotline("agi://a:4573/resume", Optional.empty(), 15,
                java.time.Duration.ofSeconds(1)), AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE"))
                .isEqualTo(new Route.Fallback("unreachable (AGISTATUS=FAILURE)"));
    }

    @Test
    void aRefusalHandedBackOnPurposeGoesToTheFallbackAtOnce() {
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_MAIN, "AGISTATUS", "FAILURE", "HOTLINE_HANDLED", "1",
                "HOTLINE_OUTCOME", "fallback", "HOTLINE_TARGET", "unknown queue x"))
                .isEqualTo(new Route.Fallback("HOTLINE_OUTCOME=fallback unknown queue x"));
    }

    @Test
    void theCallbackContextOfAPairTellsTheOtherEngineThenTheFirstHowTheDialEndedRoundAfterRound() {
        // The engine vanished during the customer's Dial: its socket closed (SUCCESS), DIALSTATUS stays on the channel.
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "SUCCESS", "DIALSTATUS", "ANSWER"))
                .isEqualTo(new Route.Resume("agi://b:4573/callback?id=${EXTEN}&dialstatus=ANSWER",
                        java.time.Duration.ZERO, 1));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "FAILURE", "DIALSTATUS", "ANSWER",
                Handshake.RESUME_TRIED, "1"))
                .isEqualTo(new Route.Resume("agi://a:4573/callback?id=${EXTEN}&dialstatus=ANSWER",
                        java.time.Duration.ZERO, 2));
        // Neither answered (the standby still taking over): a second round after the pause, then Hangup.
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "2"))
                .isEqualTo(new Route.Resume("agi://b:4573/callback?id=${EXTEN}&dialstatus=",
                        java.time.Duration.ofSeconds(1), 3));
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "FAILURE", Handshake.RESUME_TRIED, "4"))
                .isEqualTo(new Route.Hangup());
    }

    @Test
    void theCallbackContextStopsAtARefusalAHangUpOrWithOneEngine() {
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "SUCCESS", "HOTLINE_ERROR",
                "no callback cb1 in doubt", "DIALSTATUS", "ANSWER")).isEqualTo(new Route.Hangup());
        assertThat(route(HOTLINE, AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "HANGUP")).isEqualTo(new Route.Hangup());
        assertThat(route(Handshake.hotline("agi://a:4573/resume", Optional.empty(), 15,
                java.time.Duration.ofSeconds(1)), AfterAgi.HOTLINE_CALLBACK, "AGISTATUS", "FAILURE"))
                .isEqualTo(new Route.Hangup());
    }
}
