package dev.hotline.qa;

import dev.hotline.qa.RecordingPolicy.Mode;
import dev.hotline.qa.RecordingPolicy.OnDemand;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingPolicyTest {

    private static String callId(int n) {
        return "pbx1-17329" + String.format("%05d", n / 10) + "." + n;
    }

    @Test
    void allRecordsEveryCallAndNoneNoCall() {
        RecordingPolicy all = new RecordingPolicy("support", Mode.ALL, 100, OnDemand.NONE);
        RecordingPolicy none = new RecordingPolicy("support", Mode.NONE, 0, OnDemand.NONE);
        assertThat(IntStream.range(0, 1000).allMatch(i -> all.records(callId(i)))).isTrue();
        assertThat(IntStream.range(0, 1000).noneMatch(i -> none.records(callId(i)))).isTrue();
    }

    @Test
    void aSampleRecordsItsShareOfCallsAndAlwaysTheSameCalls() {
        RecordingPolicy thirty = RecordingPolicy.sample("support", 30, OnDemand.NONE);
        long recorded = IntStream.range(0, 10_000).filter(i -> thirty.records(callId(i))).count();
        // 30 % of 10,000 with a binomial spread of about ±46 (one standard deviation): well inside 28–32 %.
        assertThat(recorded).isBetween(2_800L, 3_200L);
        assertThat(IntStream.range(0, 1000).allMatch(i -> thirty.records(callId(i)) == thirty.records(callId(i))))
                .as("the same call, the same answer").isTrue();
        RecordingPolicy five = RecordingPolicy.sample("support", 5, OnDemand.NONE);
        long few = IntStream.range(0, 10_000).filter(i -> five.records(callId(i))).count();
        assertThat(few).isBetween(400L, 600L);
        // A call sampled at 5 % is also sampled at 30 %: the share grows by adding calls, not by re-drawing.
        assertThat(IntStream.range(0, 10_000).filter(i -> five.records(callId(i)))
                .allMatch(i -> thirty.records(callId(i)))).isTrue();
    }

    @Test
    void sampleOfZeroOrHundredPercentIsNoneOrAll() {
        assertThat(RecordingPolicy.sample("q", 0, OnDemand.NONE).mode()).isEqualTo(Mode.NONE);
        assertThat(RecordingPolicy.sample("q", 100, OnDemand.NONE).mode()).isEqualTo(Mode.ALL);
        assertThat(RecordingPolicy.sample("q", 100, OnDemand.NONE).samplePercent()).isEqualTo(100);
    }

    @Test
    void aPercentageThatDoesNotFitTheModeIsRefused() {
        assertThatThrownBy(() -> new RecordingPolicy("q", Mode.SAMPLE, 100, OnDemand.NONE))
                .hasMessage("samplePercent: 100 (expected: 1-99 in mode sample)");
        assertThatThrownBy(() -> new RecordingPolicy("q", Mode.ALL, 50, OnDemand.NONE))
                .hasMessage("samplePercent: 50 (expected: 100 in mode all)");
        assertThatThrownBy(() -> new RecordingPolicy("Support!", Mode.NONE, 0, OnDemand.NONE))
                .hasMessageStartingWith("queue: 'Support!'");
    }

    @Test
    void withoutAStoredPolicyAQueueFollowsItsRecordFlag() {
        assertThat(RecordingPolicy.fromQueueFlag("support", true).describe()).isEqualTo("all");
        assertThat(RecordingPolicy.fromQueueFlag("sales", false).describe()).isEqualTo("none");
        assertThat(RecordingPolicy.sample("q", 30, OnDemand.BOTH).describe())
                .isEqualTo("30%, on demand by both");
    }

    @Test
    void onDemandNamesWhoMayStartAndStop() {
        assertThat(OnDemand.NONE.allows(RecordingPolicy.Actor.AGENT)).isFalse();
        assertThat(OnDemand.NONE.allows(RecordingPolicy.Actor.SUPERVISOR)).isFalse();
        assertThat(OnDemand.AGENT.allows(RecordingPolicy.Actor.AGENT)).isTrue();
        assertThat(OnDemand.AGENT.allows(RecordingPolicy.Actor.SUPERVISOR)).isFalse();
        assertThat(OnDemand.SUPERVISOR.allows(RecordingPolicy.Actor.AGENT)).isFalse();
        assertThat(OnDemand.SUPERVISOR.allows(RecordingPolicy.Actor.SUPERVISOR)).isTrue();
        assertThat(OnDemand.BOTH.allows(RecordingPolicy.Actor.AGENT)).isTrue();
        assertThat(OnDemand.BOTH.allows(RecordingPolicy.Actor.SUPERVISOR)).isTrue();
    }
}
