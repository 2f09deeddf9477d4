package dev.hotline.handoff;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** What a takeover makes of each agent's last stored transition. */
class AgentRestoreTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static AgentStateChange change(String agent, AgentPhase from, AgentPhase to, String reason, int s) {
        return AgentStateChange.of(agent, "", from, to, reason, T.plusSeconds(s));
    }

    @Test
    void theLastTransitionOfEachAgentDecides() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, AgentRestore.Restored> plan = AgentRestore.plan(List.of(
                change("1001", AgentPhase.LOGGED_OUT, AgentPhase.READY, "login", 0),
                change("1002", AgentPhase.LOGGED_OUT, AgentPhase.NOT_READY, "login", 0),
                change("1002", AgentPhase.NOT_READY, AgentPhase.READY, "ready", 1),
                change("1002", AgentPhase.READY, AgentPhase.NOT_READY, "lunch", 2),
                change("1003", AgentPhase.READY, AgentPhase.RESERVED, "offer", 3),
                change("1004", AgentPhase.RESERVED, AgentPhase.ON_CALL, "answered", 4),
                change("1005", AgentPhase.ON_CALL, AgentPhase.WRAP_UP, "call ended", 5),
                change("1006", AgentPhase.READY, AgentPhase.LOGGED_OUT, "logout", 6),
                change("1001", AgentPhase.READY, AgentPhase.NOT_READY, "", 7)), reasons);
        assertThat(plan).containsExactly(
                entry("1001", AgentRestore.Restored.NOT_READY),
                entry("1002", AgentRestore.Restored.NOT_READY),
                entry("1003", AgentRestore.Restored.READY),
                entry("1004", AgentRestore.Restored.ON_CALL),
                entry("1005", AgentRestore.Restored.ON_CALL));
        assertThat(reasons).containsExactly(entry("1001", "not ready"), entry("1002", "lunch"));
    }

    @Test
    void noHistoryRestoresNobody() {
        assertThat(AgentRestore.plan(List.of(), new LinkedHashMap<>())).isEmpty();
    }
}
