package dev.hotline.handoff;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueuePlaceTest {

    private static final Instant JOINED = Instant.parse("2026-12-07T20:00:01.234Z");

    @Test
    void aPlaceIsStoredInOneRoundTripAndReadBackWithTheSameValues() {
        FakeChannel channel = new FakeChannel();
        channel.variables.put("DIALSTATUS", "ANSWER");   // from an earlier visit's conversation
        QueuePlace place = new QueuePlace("1796660136.11106", "support", OptionalInt.of(50), JOINED, 1);
        place.store(channel);
        assertThat(channel.log).containsExactly("EXEC MSet DIALSTATUS=,HOTLINE_CALL_ID=1796660136.11106,"
                + "HOTLINE_QUEUE=support,HOTLINE_PRIORITY=50,HOTLINE_JOINED=1796673601234,HOTLINE_CALLBACKS_OFFERED=1,"
                + "HOTLINE_LANGUAGE=,HOTLINE_SKILLS=");
        assertThat(channel.variables).containsEntry("DIALSTATUS", "");
        String read = channel.getFullVariable(QueuePlace.expression()).orElseThrow();
        assertThat(QueuePlace.parse(read.split("\\|", -1))).contains(place);
    }

    @Test
    void theCallersLanguageAndTheSkillsTheIvrAskedForAreKeptSoTheCallIsRoutedAsBefore() {
        FakeChannel channel = new FakeChannel();
        QueuePlace place = new QueuePlace("1.2", "support", OptionalInt.empty(), JOINED, 0, "fr",
                java.util.Map.of("vip", 5));
        place.store(channel);
        assertThat(channel.variables).containsEntry("HOTLINE_LANGUAGE", "fr").containsEntry("HOTLINE_SKILLS", "vip:5");
        String read = channel.getFullVariable(QueuePlace.expression()).orElseThrow();
        assertThat(QueuePlace.parse(read.split("\\|", -1))).contains(place);
        // A channel an earlier version queued has neither: the queue's own routing.
        assertThat(QueuePlace.parse(new String[] {"1.2", "sales", "", "1796673601234", "0"}).orElseThrow().skills())
                .isEmpty();
        assertThatThrownBy(() -> QueuePlace.parse(new String[] {"1.2", "sales", "", "1796673601234", "0", "",
                "vip"})).hasMessage("HOTLINE_SKILLS: 'vip' (expected: skill:level;…)");
        assertThatThrownBy(() -> new QueuePlace("1.2", "sales", OptionalInt.empty(), JOINED, 0, "",
                java.util.Map.of("a,b", 1))).hasMessageStartingWith("HOTLINE_SKILLS: 'a,b:1'");
    }

    @Test
    void noPriorityMeansTheQueuesDefault() {
        QueuePlace place = new QueuePlace("1.2", "sales", OptionalInt.empty(), JOINED, 0);
        assertThat(place.variables()).containsEntry("HOTLINE_PRIORITY", "");
        assertThat(QueuePlace.parse(new String[] {"1.2", "sales", "", "1796673601234", "0"})).contains(place);
    }

    @Test
    void aChannelThatNeverQueuedHasNoPlace() {
        assertThat(QueuePlace.parse(new String[] {"", "", "", "", ""})).isEmpty();
        assertThat(QueuePlace.parse(new String[] {"1.2"})).isEqualTo(Optional.empty());
    }

    @Test
    void aMalformedValueIsNamed() {
        assertThatThrownBy(() -> QueuePlace.parse(new String[] {"1.2", "sales", "", "yesterday", "0"}))
                .hasMessage("HOTLINE_JOINED: 'yesterday' (expected: a number)");
        assertThatThrownBy(() -> new QueuePlace("1.2", "sales", OptionalInt.of(101), JOINED, 0))
                .hasMessage("HOTLINE_PRIORITY: 101 (expected: 0-100)");
        assertThatThrownBy(() -> new QueuePlace("1 2", "sales", OptionalInt.empty(), JOINED, 0))
                .hasMessageStartingWith("HOTLINE_CALL_ID: '1 2'");
    }
}
