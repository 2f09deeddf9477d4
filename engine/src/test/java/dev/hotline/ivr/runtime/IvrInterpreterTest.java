package dev.hotline.ivr.runtime;

import dev.hotline.ivr.lookup.StubLookupClient;
import dev.hotline.ivr.metrics.MicrometerIvrMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class IvrInterpreterTest {

    private static final Instant MONDAY_10H_PARIS = Instant.parse("2026-03-02T09:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final IvrInterpreter interpreter = new IvrInterpreter(InstantSource.fixed(MONDAY_10H_PARIS),
            StubLookupClient.none(), new MicrometerIvrMetrics(registry));

    private static final String MENU = """
            id: main
            entry: hello
            languages: [en, fr]
            nodes:
              hello:
                type: play
                prompt: [welcome, "promo/{lang}/spring"]
                interruptible: true
                next: menu
              menu:
                type: menu
                prompt: menu
                options: {"1": sales, "2": french, "9": bye}
                timeout: 3s
                retries: 2
                invalid_prompt: invalid
                timeout_prompt: no-input
                on_failure: operator
              french:
                type: language
                language: fr
                next: menu
              sales:
                type: queue
                queue: sales
                skills: {spanish: 5}
                priority: 20
                data: {caller: "{caller}", lang: "{lang}", dialled: "{dnis}"}
              operator:
                type: transfer
                to: "1000"
              bye:
                type: hangup
                prompt: goodbye
            """;

    private IvrCallResult run(IvrCatalog catalog, ScriptedSession s) {
        return interpreter.run(catalog, "main", s);
    }

    @Test
    void aMenuChoiceLeadsToTheQueueWithOverridesAndAgentData() {
        ScriptedSession s = ScriptedSession.caller("0612345678").keys("1");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Queue("sales", Map.of("spanish", 5), OptionalInt.of(20),
                Map.of("caller", "0612345678", "lang", "en", "dialled", "5551000")));
        assertThat(s.log()).containsExactly("ANSWER", "STREAM FILE en/welcome \"0123456789*#\"",
                "STREAM FILE promo/en/spring \"0123456789*#\"", "STREAM FILE en/menu \"0123456789*#\"",
                "WAIT FOR DIGIT 3000");
        assertThat(r.path().nodes()).containsExactly("main/hello", "main/menu", "main/sales");
        assertThat(r.path().keys()).isEqualTo("1");
        assertThat(r.path().steps()).extracting(IvrEvent::toString).contains("main/menu decision option 1 -> sales",
                "main/sales outcome queue sales");
        assertThat(r.summary()).isEqualTo("outcome: queue sales vars={}");
    }

    @Test
    void aKeyPressedDuringAnInterruptiblePromptStopsItAndAnswersTheMenu() {
        ScriptedSession s = ScriptedSession.caller("1").bargeIn('9');
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Hangup(IvrOutcome.Cause.SCRIPT, "hangup node bye"));
        assertThat(s.log()).containsExactly("ANSWER", "STREAM FILE en/welcome \"0123456789*#\"",
                "STREAM FILE en/goodbye \"\"", "HANGUP");
    }

    @Test
    void timeoutsAndInvalidKeysRetryWithTheirPromptsThenGoToOnFailure() {
        ScriptedSession s = ScriptedSession.caller("1").silence().keys("7").silence();
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Transfer("1000"));
        assertThat(s.log()).containsExactly("ANSWER", "STREAM FILE en/welcome \"0123456789*#\"",
                "STREAM FILE promo/en/spring \"0123456789*#\"",
                "STREAM FILE en/menu \"0123456789*#\"", "WAIT FOR DIGIT 3000", "STREAM FILE en/no-input \"\"",
                "STREAM FILE en/menu \"0123456789*#\"", "WAIT FOR DIGIT 3000", "STREAM FILE en/invalid \"\"",
                "STREAM FILE en/menu \"0123456789*#\"", "WAIT FOR DIGIT 3000");
        assertThat(r.path().steps()).extracting(IvrEvent::kind).containsSubsequence(IvrEvent.Kind.TIMEOUT,
                IvrEvent.Kind.KEY, IvrEvent.Kind.INVALID, IvrEvent.Kind.TIMEOUT, IvrEvent.Kind.DECISION);
        assertThat(r.path().steps()).filteredOn(st -> st.kind() == IvrEvent.Kind.DECISION).extracting(IvrEvent::detail)
                .containsExactly("no valid choice after 3 attempt(s) -> operator");
    }

    @Test
    void theLanguageNodeSwitchesPromptsAndTheChannelLanguage() {
        ScriptedSession s = ScriptedSession.caller("1").keys("2").keys("1");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(s.log()).contains("SET VARIABLE CHANNEL(language) fr", "STREAM FILE fr/menu \"0123456789*#\"");
        assertThat(r.language()).isEqualTo("fr");
        assertThat(((IvrOutcome.Queue) r.outcome()).data()).containsEntry("lang", "fr");
    }

    @Test
    void aChannelLanguageTheScriptHasIsUsedFromTheStart() {
        ScriptedSession s = new ScriptedSession("main", "1", "2", "fr").keys("9");
        run(Scripts.catalog(MENU), s);
        assertThat(s.log()).contains("STREAM FILE fr/welcome \"0123456789*#\"");
    }

    @Test
    void aCallerHangingUpMidNodeEndsTheCallWithThePathRecorded() {
        ScriptedSession s = ScriptedSession.caller("1").silence().hangUpAt("STREAM FILE en/no-input");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Hangup(IvrOutcome.Cause.CALLER,
                "caller hung up at main/menu"));
        assertThat(s.log()).last().isEqualTo("STREAM FILE en/no-input \"\"");
        assertThat(r.path().steps()).extracting(IvrEvent::toString).endsWith("main/menu caller_hangup",
                "main/menu outcome hangup");
    }

    @Test
    void anAsteriskErrorEndsTheCallAsAnErrorWithoutThrowing() {
        ScriptedSession s = ScriptedSession.caller("1").failAt("WAIT FOR DIGIT");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isInstanceOfSatisfying(IvrOutcome.Hangup.class,
                h -> assertThat(h.cause()).isEqualTo(IvrOutcome.Cause.ERROR));
        assertThat(r.path().steps()).extracting(IvrEvent::kind).contains(IvrEvent.Kind.ERROR);
    }

    @Test
    void aMissingPromptIsSkippedCountedAndTheCallGoesOn() {
        ScriptedSession s = ScriptedSession.caller("0612345678").missingFile("en/welcome").missingFile("en/menu")
                .keys("1");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        // The caller still reaches the menu, chooses, and is queued: no prompt costs them the call.
        assertThat(r.outcome()).isInstanceOf(IvrOutcome.Queue.class);
        assertThat(s.log()).containsExactly("ANSWER", "STREAM FILE en/welcome \"0123456789*#\"",
                "STREAM FILE promo/en/spring \"0123456789*#\"", "STREAM FILE en/menu \"0123456789*#\"",
                "WAIT FOR DIGIT 3000");
        assertThat(r.path().steps()).extracting(IvrEvent::toString)
                .contains("main/hello error prompt en/welcome not played (missing file?), skipped",
                        "main/menu error prompt en/menu not played (missing file?), skipped");
        assertThat(registry.get("hotline.ivr.prompt.failures").tags("script", "main", "file", "en/welcome").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("hotline.ivr.prompt.failures").tags("file", "en/menu").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aMissingPromptOnEveryMenuAttemptStillLetsTheCallerChoose() {
        ScriptedSession s = ScriptedSession.caller("1").missingFile("en/menu").missingFile("en/no-input").silence()
                .keys("9");
        IvrCallResult r = run(Scripts.catalog(MENU), s);

        assertThat(r.outcome()).isInstanceOfSatisfying(IvrOutcome.Hangup.class,
                h -> assertThat(h.cause()).isEqualTo(IvrOutcome.Cause.SCRIPT));
        assertThat(registry.get("hotline.ivr.prompt.failures").tags("file", "en/menu").counter().count())
                .isEqualTo(2);
    }

    @Test
    void everyNodeVisitAndOutcomeIsCounted() {
        run(Scripts.catalog(MENU), ScriptedSession.caller("1").keys("2").keys("1"));
        run(Scripts.catalog(MENU), ScriptedSession.caller("1").keys("1"));

        assertThat(registry.get("hotline.ivr.node.visits").tags("script", "main", "node", "menu").counter().count())
                .isEqualTo(3);
        assertThat(registry.get("hotline.ivr.node.visits").tags("node", "french", "type", "language").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("hotline.ivr.outcomes").tags("outcome", "queue").counter().count()).isEqualTo(2);
    }

    private static final String INPUT = """
            id: main
            entry: account
            nodes:
              account:
                type: input
                prompt: enter-account
                variable: account
                min_length: 4
                max_length: 6
                pattern: "[0-9]+"
                timeout: 4s
                retries: 1
                invalid_prompt: invalid
                timeout_prompt: no-input
                next: pin
                on_failure: operator
              pin:
                type: input
                prompt: enter-pin
                variable: pin
                min_length: 4
                max_length: 4
                mask: true
                terminator: none
                next: done
                on_failure: operator
              done:
                type: queue
                queue: billing
                data: {account: "{vars.account}"}
              operator:
                type: queue
                queue: operator
            """;

    @Test
    void inputCollectsDigitsUntilTheTerminatorAndMasksSecretEntries() {
        ScriptedSession s = ScriptedSession.caller("1").keys("12345#").keys("9876");
        IvrCallResult r = run(Scripts.catalog(INPUT), s);

        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Queue("billing", Map.of(), OptionalInt.empty(),
                Map.of("account", "12345")));
        assertThat(r.vars()).containsEntry("account", "12345").containsEntry("pin", "9876");
        assertThat(r.path().keys()).isEqualTo("12345#****");
        assertThat(r.path().steps()).extracting(IvrEvent::detail).contains("vars.pin = **** -> done")
                .noneMatch(d -> d.contains("9876"));
    }

    @Test
    void inputStopsAtMaxLengthWithoutWaitingForTheTerminator() {
        ScriptedSession s = ScriptedSession.caller("1").keys("123456").keys("1111");
        IvrCallResult r = run(Scripts.catalog(INPUT), s);
        assertThat(r.vars()).containsEntry("account", "123456");
        assertThat(s.log().stream().filter(c -> c.startsWith("WAIT FOR DIGIT 4000")).count()).isEqualTo(6);
    }

    @Test
    void inputTooShortOrNotMatchingIsRetriedThenFails() {
        ScriptedSession s = ScriptedSession.caller("1").keys("12#").keys("12*4#");
        IvrCallResult r = run(Scripts.catalog(INPUT), s);

        assertThat(r.outcome()).isInstanceOfSatisfying(IvrOutcome.Queue.class,
                q -> assertThat(q.queue()).isEqualTo("operator"));
        assertThat(r.path().steps()).filteredOn(st -> st.kind() == IvrEvent.Kind.INVALID).extracting(IvrEvent::detail)
                .containsExactly("\"12\" 2 digit(s), expected at least 4 (attempt 1 of 2)",
                        "\"12*4\" does not match [0-9]+ (attempt 2 of 2)");
        assertThat(s.log()).containsOnlyOnce("STREAM FILE en/invalid \"\"");
        assertThat(r.vars()).doesNotContainKey("account");
    }

    @Test
    void inputTimeoutPlaysTheTimeoutPromptAndRetries() {
        ScriptedSession s = ScriptedSession.caller("1").silence().keys("4321#").keys("0000");
        IvrCallResult r = run(Scripts.catalog(INPUT), s);
        assertThat(r.vars()).containsEntry("account", "4321");
        assertThat(s.log()).contains("STREAM FILE en/no-input \"\"");
    }

    @Test
    void aCallerHangingUpDuringInputKeepsTheDigitsSoFarInThePath() {
        ScriptedSession s = ScriptedSession.caller("1").keys("12");
        IvrCallResult r = run(Scripts.catalog(INPUT), s);
        assertThat(r.outcome()).isInstanceOfSatisfying(IvrOutcome.Hangup.class,
                h -> assertThat(h.cause()).isEqualTo(IvrOutcome.Cause.CALLER));
        assertThat(r.path().keys()).isEqualTo("12");
        assertThat(r.path().steps()).last().extracting(IvrEvent::node).isEqualTo("account");
    }

    private static final String ROUTING = """
            id: main
            entry: init
            languages: [en, fr]
            nodes:
              init:
                type: set
                vars: {tier: "silver", greeting: "hello {caller}"}
                next: route
              route:
                type: branch
                rules:
                  - if: caller starts with "06" and lang == "en"
                    then: mobile
                  - if: vars.account matches "[0-9]{8}" or dnis in ["5552000", "5553000"]
                    then: vip
                  - if: not (vars.tier == "gold") and vars.missing is empty and caller > 100
                    then: hours
                else: bye
              hours:
                type: hours
                calendar: office
                open: open
                closed: closed
                holiday: holiday
              mobile: {type: voicemail, box: "mobile@{lang}"}
              vip: {type: transfer, to: "SIP/{dnis}"}
              open: {type: queue, queue: sales}
              closed: {type: voicemail, box: "100"}
              holiday: {type: hangup, prompt: holiday}
              bye: {type: hangup}
            """;

    @Test
    void setAndBranchRouteOnCallerDialledNumberLanguageAndVariables() {
        IvrCatalog c = Scripts.catalog(ROUTING);
        assertThat(run(c, ScriptedSession.caller("0612")).outcome()).isEqualTo(new IvrOutcome.Voicemail("mobile@en"));
        assertThat(run(c, new ScriptedSession("main?account=12345678", "333", "1", "en")).outcome())
                .isEqualTo(new IvrOutcome.Transfer("SIP/1"));
        assertThat(run(c, new ScriptedSession("main", "333", "5553000", "en")).outcome())
                .isEqualTo(new IvrOutcome.Transfer("SIP/5553000"));
        assertThat(run(c, ScriptedSession.caller("99")).outcome())
                .isEqualTo(new IvrOutcome.Hangup(IvrOutcome.Cause.SCRIPT, "hangup node bye"));
        IvrCallResult r = run(c, ScriptedSession.caller("333"));
        assertThat(r.vars()).containsEntry("greeting", "hello 333");
        // The shipped dialplan's own parameters are not caller data (they would show in the agent's screen pop).
        IvrCallResult given = run(c, new ScriptedSession("main?account=12345678&server=pbx1&call=1796683406.0", "333",
                "1", "en"));
        assertThat(given.vars()).containsEntry("account", "12345678").doesNotContainKeys("server", "call");
        assertThat(r.path().steps()).extracting(IvrEvent::detail)
                .contains("if not (vars.tier == \"gold\") and vars.missing is empty and caller > 100 -> hours");
    }

    @Test
    void hoursFollowTheCalendarWeeklyHoursHolidaysAndSpecialOpenings() {
        IvrCatalog c = Scripts.catalog(ROUTING);
        assertThat(at("2026-03-02T09:00:00Z", c).outcome()).isEqualTo(
                new IvrOutcome.Queue("sales", Map.of(), OptionalInt.empty(), Map.of()));
        assertThat(at("2026-03-02T11:45:00Z", c).outcome()).isEqualTo(new IvrOutcome.Voicemail("100"));
        assertThat(at("2026-03-08T10:00:00Z", c).outcome()).isEqualTo(new IvrOutcome.Voicemail("100"));
        IvrCallResult xmas = at("2026-12-25T10:00:00Z", c);
        assertThat(xmas.outcome()).isEqualTo(new IvrOutcome.Hangup(IvrOutcome.Cause.SCRIPT, "hangup node holiday"));
        assertThat(xmas.path().steps()).extracting(IvrEvent::detail)
                .contains("calendar office 2026-12-25T11:00 Europe/Paris: holiday holiday -> holiday");
        assertThat(at("2026-12-26T09:30:00Z", c).outcome()).isInstanceOf(IvrOutcome.Queue.class);
    }

    private static IvrCallResult at(String instant, IvrCatalog c) {
        return new IvrInterpreter(InstantSource.fixed(Instant.parse(instant)), StubLookupClient.none(),
                IvrMetrics.NONE).run(c, "main", ScriptedSession.caller("333"));
    }

    @Test
    void gotoContinuesInTheOtherScriptWithTheSameVariablesAndPath() {
        IvrCatalog c = Scripts.catalog("""
                id: main
                entry: a
                nodes:
                  a: {type: set, vars: {from: main}, next: b}
                  b: {type: goto, script: survey}
                """, """
                id: survey
                entry: rate
                nodes:
                  rate:
                    type: survey
                    question: agent
                    prompt: rate
                    retries: 1
                    invalid_prompt: invalid
                    thanks_prompt: thanks
                    next: bye
                  bye: {type: hangup, prompt: goodbye}
                """);
        ScriptedSession s = ScriptedSession.caller("1").keys("8").keys("4");
        IvrCallResult r = interpreter.run(c, "main", s);

        assertThat(r.survey()).containsExactly(new IvrCallResult.SurveyAnswer("agent", 4));
        assertThat(r.vars()).containsEntry("from", "main").containsEntry("survey_score", "4");
        assertThat(r.path().nodes()).containsExactly("main/a", "main/b", "survey/rate", "survey/bye");
        assertThat(s.log()).containsSubsequence("STREAM FILE en/invalid \"\"", "STREAM FILE en/thanks \"\"",
                "STREAM FILE en/goodbye \"\"", "HANGUP");
    }

    @Test
    void anUnansweredSurveyStoresNoScoreAndGoesOn() {
        IvrCatalog c = Scripts.catalog("""
                id: main
                entry: rate
                nodes:
                  rate: {type: survey, prompt: rate, retries: 1, next: bye}
                  bye: {type: hangup}
                """);
        IvrCallResult r = interpreter.run(c, "main", ScriptedSession.caller("1").silence().keys("0"));
        assertThat(r.survey()).isEmpty();
        assertThat(r.path().steps()).extracting(IvrEvent::kind).containsSubsequence(IvrEvent.Kind.TIMEOUT,
                IvrEvent.Kind.INVALID);
        assertThat(r.outcome()).isEqualTo(new IvrOutcome.Hangup(IvrOutcome.Cause.SCRIPT, "hangup node bye"));
    }

    @Test
    void playSaysDigitsNumbersAndDatesAndReportsValuesThatCannotBeSaid() {
        IvrCatalog c = Scripts.catalog("""
                id: main
                entry: a
                nodes:
                  a: {type: set, vars: {acct: "0042", n: "17", day: "2026-03-02", bad: "abc"}, next: p}
                  p:
                    type: play
                    prompt: [{say_digits: vars.acct}, {say_number: vars.n}, {say_date: vars.day},
                             {say_number: vars.bad}]
                    next: bye
                  bye: {type: hangup}
                """);
        ScriptedSession s = ScriptedSession.caller("1");
        IvrCallResult r = interpreter.run(c, "main", s);
        assertThat(s.log()).containsSubsequence("SAY DIGITS 0042 \"\"", "SAY NUMBER 17 \"\"",
                "EXEC SayUnixTime 1772409600,UTC,ABdY", "HANGUP");
        assertThat(r.path().steps()).extracting(IvrEvent::detail)
                .contains("say_number vars.bad: \"abc\" is not a number");
    }

    @Test
    void theOutcomeHandlerGetsEveryResultFromTheAgiScript() throws Exception {
        IvrCatalog c = Scripts.catalog(MENU);
        List<IvrCallResult> got = new java.util.ArrayList<>();
        ScriptedSession s = ScriptedSession.caller("1").keys("1");
        IvrScriptHandler.byScriptName(() -> c, interpreter, (res, session) -> {
            got.add(res);
            IvrOutcomeHandler.CHANNEL_VARIABLES.handle(res, session);
        }).run(s);
        assertThat(got).singleElement().extracting(IvrCallResult::outcome).isInstanceOf(IvrOutcome.Queue.class);
        assertThat(s.variables()).containsEntry("HOTLINE_OUTCOME", "queue").containsEntry("HOTLINE_TARGET", "sales")
                .containsEntry("HOTLINE_IVR_PATH", "main/hello,main/menu,main/sales");
    }
}
