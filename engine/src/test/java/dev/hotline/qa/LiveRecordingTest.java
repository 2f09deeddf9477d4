package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static dev.hotline.qa.LiveRecording.Action.PAUSE;
import static dev.hotline.qa.LiveRecording.Action.RESUME;
import static dev.hotline.qa.LiveRecording.Action.START;
import static dev.hotline.qa.LiveRecording.Action.STOP;
import static dev.hotline.qa.RecordingPolicy.Actor.AGENT;
import static dev.hotline.qa.RecordingPolicy.Actor.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveRecordingTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final RecordingPolicy ALL = RecordingPolicy.fromQueueFlag("support", true);
    static final RecordingPolicy ON_DEMAND_BY_SUPERVISOR = RecordingPolicy.sample("support", 0,
            RecordingPolicy.OnDemand.SUPERVISOR);

    private static LiveRecording recording() {
        return LiveRecording.started("c1", "hotline/2026/11/23/c1-1001.wav", false, T0, "policy");
    }

    @Test
    void pauseAndResumeAreForAnyoneOnTheCallWhileItIsRecorded() {
        Optional<LiveRecording> rec = Optional.of(recording());
        assertThat(LiveRecording.check(PAUSE, AGENT, ALL, rec)).isEmpty();
        assertThat(LiveRecording.check(PAUSE, SUPERVISOR, ALL, rec)).isEmpty();
        LiveRecording paused = rec.get().apply(PAUSE, T0.plusSeconds(10), "alice");
        assertThat(paused.state()).isEqualTo(LiveRecording.State.PAUSED);
        assertThat(LiveRecording.check(PAUSE, AGENT, ALL, Optional.of(paused)))
                .contains(new LiveRecording.Refusal(false, "the recording is already paused"));
        assertThat(LiveRecording.check(RESUME, AGENT, ALL, Optional.of(paused))).isEmpty();
        assertThat(LiveRecording.check(RESUME, AGENT, ALL, rec))
                .contains(new LiveRecording.Refusal(false, "the recording is not paused (recording)"));
    }

    @Test
    void nothingCanBePausedOnACallThatIsNotRecorded() {
        assertThat(LiveRecording.check(PAUSE, AGENT, ALL, Optional.empty()))
                .contains(new LiveRecording.Refusal(false, "the call is not being recorded"));
        assertThat(LiveRecording.check(RESUME, SUPERVISOR, ALL, Optional.empty())).isPresent();
    }

    @Test
    void startAndStopOnlyForWhomThePolicyNames() {
        assertThat(LiveRecording.check(START, AGENT, ON_DEMAND_BY_SUPERVISOR, Optional.empty()))
                .contains(new LiveRecording.Refusal(true, "queue support does not let a agent start a recording"
                        + " (on demand: supervisor)"));
        assertThat(LiveRecording.check(START, SUPERVISOR, ON_DEMAND_BY_SUPERVISOR, Optional.empty())).isEmpty();
        assertThat(LiveRecording.check(STOP, AGENT, ALL, Optional.of(recording())).orElseThrow().forbidden()).isTrue();
        assertThat(LiveRecording.check(STOP, SUPERVISOR, ON_DEMAND_BY_SUPERVISOR, Optional.of(recording()))).isEmpty();
    }

    @Test
    void aCallIsRecordedIntoOneFileOnly() {
        LiveRecording stopped = recording().apply(STOP, T0.plusSeconds(5), "sam");
        assertThat(LiveRecording.check(START, SUPERVISOR, ON_DEMAND_BY_SUPERVISOR, Optional.of(recording())))
                .contains(new LiveRecording.Refusal(false, "the call is already recorded"
                        + " (hotline/2026/11/23/c1-1001.wav, recording)"));
        assertThat(LiveRecording.check(START, SUPERVISOR, ON_DEMAND_BY_SUPERVISOR, Optional.of(stopped)))
                .map(LiveRecording.Refusal::reason).contains("the call is already recorded"
                        + " (hotline/2026/11/23/c1-1001.wav, stopped)");
        assertThat(LiveRecording.check(STOP, SUPERVISOR, ON_DEMAND_BY_SUPERVISOR, Optional.of(stopped)))
                .map(LiveRecording.Refusal::reason).contains("the recording is already stopped");
        assertThat(LiveRecording.check(PAUSE, AGENT, ALL, Optional.of(stopped)))
                .map(LiveRecording.Refusal::reason).contains("the recording is stopped");
        assertThatThrownBy(() -> stopped.apply(PAUSE, T0, "x")).isInstanceOf(IllegalStateException.class)
                .hasMessage("call c1: cannot pause a recording that is stopped");
    }

    @Test
    void theTimeLeftSilentAddsEveryPause() {
        LiveRecording r = recording().apply(PAUSE, T0.plusSeconds(10), "alice")
                .apply(RESUME, T0.plusSeconds(25), "alice")
                .apply(PAUSE, T0.plusSeconds(40), "alice");
        // 10→25 s paused (15 s), and paused again since 40 s: at 50 s that is 10 s more.
        assertThat(r.pausedFor(T0.plusSeconds(50))).isEqualTo(Duration.ofSeconds(25));
        LiveRecording stopped = r.apply(STOP, T0.plusSeconds(45), "alice");
        assertThat(stopped.pausedFor(T0.plusSeconds(100))).isEqualTo(Duration.ofSeconds(20));
        assertThat(stopped.events()).extracting(LiveRecording.Event::action)
                .containsExactly(START, PAUSE, RESUME, PAUSE, STOP);
    }
}
