package dev.hotline.handoff;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeScriptTest {

    private final List<QueuePlace> resumed = new ArrayList<>();
    private final List<String> ivrRuns = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResumeScript script = new ResumeScript((session, place) -> resumed.add(place),
            name -> name.equals("main-menu") ? Optional.of(session -> ivrRuns.add(name)) : Optional.empty(),
            InstantSource.fixed(Instant.parse("2026-12-07T20:01:00Z")), registry);

    private double count(String as) {
        return registry.get("hotline.resumed").tag("as", as).counter().count();
    }

    @Test
    void aWaitingCallerGoesBackToTheQueueWithTheirPlaceAfterOneRead() throws Exception {
        FakeChannel channel = new FakeChannel();
        channel.variables.put("HOTLINE_ENTRY", "main-menu");
        new QueuePlace("1.2", "support", OptionalInt.of(50), Instant.parse("2026-12-07T20:00:00Z"), 0).store(channel);
        channel.log.clear();
        script.run(channel);
        assertThat(channel.log).singleElement().asString().startsWith("GET FULL VARIABLE ${HOTLINE_ENTRY}|${DIALSTATUS}|");
        assertThat(resumed).containsExactly(new QueuePlace("1.2", "support", OptionalInt.of(50),
                Instant.parse("2026-12-07T20:00:00Z"), 0));
        assertThat(ivrRuns).isEmpty();
        assertThat(count("queue")).isEqualTo(1);
    }

    @Test
    void aConversationThatEndedWhileNoEngineHeldTheCallIsHungUp() throws Exception {
        FakeChannel channel = new FakeChannel();
        new QueuePlace("1.2", "support", OptionalInt.empty(), Instant.parse("2026-12-07T20:00:00Z"), 0).store(channel);
        channel.variables.put("DIALSTATUS", "ANSWER");
        script.run(channel);
        assertThat(resumed).isEmpty();
        assertThat(channel.variables).containsEntry("HOTLINE_OUTCOME", "hangup").containsEntry("HOTLINE_HANDLED", "1");
        assertThat(channel.log).last().isEqualTo("HANGUP");
        assertThat(count("ended")).isEqualTo(1);
    }

    @Test
    void anAgentWhoDidNotAnswerLeavesTheCallerWaitingAgain() throws Exception {
        FakeChannel channel = new FakeChannel();
        new QueuePlace("1.2", "support", OptionalInt.empty(), Instant.parse("2026-12-07T20:00:00Z"), 0).store(channel);
        channel.variables.put("DIALSTATUS", "NOANSWER");
        script.run(channel);
        assertThat(resumed).hasSize(1);
    }

    @Test
    void aCallerInTheIvrStartsTheScriptTheyEnteredWithAgain() throws Exception {
        FakeChannel channel = new FakeChannel();
        channel.variables.put("HOTLINE_ENTRY", "main-menu");
        script.run(channel);
        assertThat(ivrRuns).containsExactly("main-menu");
        assertThat(count("ivr")).isEqualTo(1);
    }

    @Test
    void aCallWithNothingToResumeGoesToTheFallbackQueue() throws Exception {
        FakeChannel channel = new FakeChannel();
        channel.variables.put("HOTLINE_ENTRY", "no-such-script");
        script.run(channel);
        assertThat(channel.variables).containsEntry("HOTLINE_OUTCOME", "fallback").containsEntry("HOTLINE_HANDLED", "1");
        assertThat(count("fallback")).isEqualTo(1);
    }

    @Test
    void anUnreadablePlaceGoesToTheFallbackQueueRatherThanGuess() throws Exception {
        FakeChannel channel = new FakeChannel();
        channel.variables.put("HOTLINE_CALL_ID", "1.2");
        channel.variables.put("HOTLINE_QUEUE", "support");
        channel.variables.put("HOTLINE_JOINED", "soon");
        script.run(channel);
        assertThat(resumed).isEmpty();
        assertThat(channel.variables).containsEntry("HOTLINE_OUTCOME", "fallback")
                .containsEntry("HOTLINE_TARGET", "unreadable place");
    }
}
