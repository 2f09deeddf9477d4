package dev.hotline.handoff;

import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.AgentStatus;
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

    private static AgentStateChange change(String agent, AgentStatus from, AgentStatus to, String reason, int s) {
        return AgentStateChange.of(agent, "", from, to, reason, T.plusSeconds(s));
    }

    @Test
    void theLastTransitionOfEachAgentDecides() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, AgentRestore.Restored> plan = AgentRestore.plan(List.of(
                change("1001", AgentStatus.LOGGED_OUT, AgentStatus.READY, "login", 0),
                change("1002", AgentStatus.LOGGED_OUT, AgentStatus.NOT_READY, "login", 0),
                change("1002", AgentStatus.NOT_READY, AgentStatus.READY, "ready", 1),
                change("1002", AgentStatus.READY, AgentStatus.NOT_READY, "lunch", 2),
                change("1003", AgentStatus.READY, AgentStatus.RESERVED, "offer", 3),
                change("1004", AgentStatus.RESERVED, AgentStatus.ON_CALL, "answered", 4),
                change("1005", AgentStatus.ON_CALL, AgentStatus.WRAP_UP, "call ended", 5),
                change("1006", AgentStatus.READY, AgentStatus.LOGGED_OUT, "logout", 6),
                change("1001", AgentStatus.READY, AgentStatus.NOT_READY, "", 7)), reasons);
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
