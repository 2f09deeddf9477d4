package dev.hotline.handoff;

import dev.hotline.records.model.AgentState;
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

    private static AgentStateChange change(String agent, AgentState from, AgentState to, String reason, int s) {
        return AgentStateChange.of(agent, "", from, to, reason, T.plusSeconds(s));
    }

    @Test
    void theLastTransitionOfEachAgentDecides() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, AgentRestore.Restored> plan = AgentRestore.plan(List.of(
                change("1001", AgentState.LOGGED_OUT, AgentState.READY, "login", 0),
                change("1002", AgentState.LOGGED_OUT, AgentState.NOT_READY, "login", 0),
                change("1002", AgentState.NOT_READY, AgentState.READY, "ready", 1),
                change("1002", AgentState.READY, AgentState.NOT_READY, "lunch", 2),
                change("1003", AgentState.READY, AgentState.RESERVED, "offer", 3),
                change("1004", AgentState.RESERVED, AgentState.ON_CALL, "answered", 4),
                change("1005", AgentState.ON_CALL, AgentState.WRAP_UP, "call ended", 5),
                change("1006", AgentState.READY, AgentState.LOGGED_OUT, "logout", 6),
                change("1001", AgentState.READY, AgentState.NOT_READY, "", 7)), reasons);
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
