package dev.hotline.cli.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.routing.AgentState;
import dev.hotline.simulator.model.CallTrace.EndedBy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of docs/SOAK.md on hand-made ground truth and engine state. */
class SoakChecksTest {

    private static final Instant NOW = Instant.parse("2026-12-07T21:00:00Z");
    private static final SoakChecks.EngineEnd QUIET = new SoakChecks.EngineEnd(0, 0,
            Map.of("1001", new AgentState.Ready()), NOW);

    private static SoakCall call(String id, boolean reached, boolean talked, EndedBy by, List<String> routes,
                                 boolean onHold) {
        return new SoakCall(id, reached, talked, Optional.ofNullable(by), routes, onHold);
    }

    @Test
    void aCleanRunCountsNothing() {
        List<SoakCall> calls = List.of(
                call("1.1", true, true, EndedBy.AGENT, List.of(), false),
                call("1.2", true, false, EndedBy.CALLER, List.of(), true),
                call("1.3", true, false, EndedBy.DIALPLAN, List.of("hangup"), false),
                call("1.4", true, false, EndedBy.DIALPLAN, List.of("voicemail:sales@hotline"), false),
                call("1.5", false, false, EndedBy.DIALPLAN, List.of("fallback"), false),
                call("1.6", true, false, EndedBy.ASTERISK_GONE, List.of(), true));
        SoakResult r = SoakChecks.count(calls, List.of("1.1", "1.2", "1.3", "1.4", "1.6"), Set.of(), QUIET);
        assertThat(r.oneLine()).isEqualTo("soak: calls=6 dropped=0 phantom=0 stuck_agents=0 leaked=0"
                + " records_missing=0 duplicates=0 watch_repairs=0");
        assertThat(r.violations()).isZero();
    }

    @Test
    void aWaitingCallerHungUpByTheDialplanOrSentToTheFallbackAfterHotlineTookTheCallIsDropped() {
        List<SoakCall> calls = List.of(
                call("2.1", true, false, EndedBy.DIALPLAN, List.of("hangup"), true),
                call("2.2", true, false, EndedBy.DIALPLAN, List.of("fallback"), false),
                call("2.3", true, true, EndedBy.DIALPLAN, List.of("hangup"), true));
        SoakResult r = SoakChecks.count(calls, List.of("2.1", "2.2", "2.3"), Set.of(), QUIET);
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.details()).anyMatch(d -> d.startsWith("dropped: call 2.1") && d.contains("hold music"));
    }

    @Test
    void phantomsAreTheCallIdsSeenWhileRunning() {
        SoakResult r = SoakChecks.count(List.of(), List.of(), Set.of("9.1", "9.2"), QUIET);
        assertThat(r.phantom()).isEqualTo(2);
    }

    @Test
    void agentsReservedTalkingNotReadyOrPastWrapUpAreStuck() {
        SoakChecks.EngineEnd end = new SoakChecks.EngineEnd(0, 0, Map.of(
                "1001", new AgentState.Reserved("3.1"),
                "1002", new AgentState.OnCall("3.2"),
                "1003", new AgentState.NotReady("no answer"),
                "1004", new AgentState.WrapUp(Optional.of(NOW.minusSeconds(1))),
                "1005", new AgentState.WrapUp(Optional.of(NOW.plusSeconds(5))),
                "1006", new AgentState.Ready(),
                "1007", new AgentState.LoggedOut()), NOW);
        SoakResult r = SoakChecks.count(List.of(), List.of(), Set.of(), end);
        assertThat(r.stuckAgents()).isEqualTo(4);
        assertThat(r.details()).contains("stuck agent: 1003 NotReady[reason=no answer]");
    }

    @Test
    void engineCallsAndSessionsLeftAfterTheSettleLeak() {
        SoakResult r = SoakChecks.count(List.of(), List.of(), Set.of(),
                new SoakChecks.EngineEnd(4, 1, Map.of(), NOW));
        assertThat(r.leaked()).isEqualTo(5);
    }

    @Test
    void aCallThatReachedHotlineWithoutARecordIsMissingAndStrayOrRepeatedRecordsAreDuplicates() {
        List<SoakCall> calls = List.of(
                call("4.1", true, false, EndedBy.ASTERISK_GONE, List.of(), true),
                call("4.2", false, false, EndedBy.CALLER, List.of(), false),
                call("4.3", true, true, EndedBy.AGENT, List.of(), false));
        SoakResult r = SoakChecks.count(calls, List.of("4.3", "4.3", "4.9"), Set.of(), QUIET);
        assertThat(r.recordsMissing()).as("4.1 only: 4.2 never reached Hotline").isEqualTo(1);
        assertThat(r.duplicates()).as("a second record of 4.3, and 4.9 of no caller").isEqualTo(2);
    }
}
