package dev.hotline.handoff;

import dev.hotline.ami.AmiEvent;
import dev.hotline.routing.AgentState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class TakeoverHoldsTest {

    /** The ACD's side: states by agent, and the ready commands posted. */
    static final class Desk implements TakeoverHolds.Agents {
        final Map<String, AgentState> states = new ConcurrentHashMap<>();
        final List<String> readied = new ArrayList<>();

        @Override
        public Map<String, AgentState> agentStates() {
            return states;
        }

        @Override
        public void ready(String agentId) {
            readied.add(agentId);
            states.put(agentId, new AgentState.Ready());
        }
    }

    static final AgentState ON_CALL_AT_TAKEOVER = new AgentState.NotReady(AgentRestore.ON_CALL_REASON,
            Optional.empty());

    private static AmiEvent.ChannelHungUp hangUp(String channel) {
        return new AmiEvent.ChannelHungUp("pbx1", channel, "1.5", "1.4", 16, "Normal Clearing");
    }

    @Test
    void theHangUpOfAHeldAgentsPhoneMakesThemReadyOnce() {
        Desk desk = new Desk();
        TakeoverHolds holds = new TakeoverHolds(desk);
        desk.states.put("1009", ON_CALL_AT_TAKEOVER);
        desk.states.put("1010", ON_CALL_AT_TAKEOVER);
        holds.hold("1009", List.of("PJSIP/1009"));
        holds.hold("1010", List.of("PJSIP/1010"));

        holds.onAmiEvent(hangUp("PJSIP/10091-00000001"));   // another phone whose name starts the same
        holds.onAmiEvent(hangUp("PJSIP/pstn-00000002"));
        assertThat(desk.readied).isEmpty();

        holds.onAmiEvent(hangUp("PJSIP/1009-00000003"));
        holds.onAmiEvent(hangUp("PJSIP/1009-00000004"));
        assertThat(desk.readied).containsExactly("1009");
        assertThat(holds.held()).containsExactly("1010");
    }

    @Test
    void anAgentWhoseStateChangedSinceTheTakeoverIsLeftAsTheyAre() {
        Desk desk = new Desk();
        TakeoverHolds holds = new TakeoverHolds(desk);
        desk.states.put("1009", new AgentState.OnCall("1.4"));   // the reconciler adopted the call: it releases
        desk.states.put("1010", new AgentState.NotReady("lunch", Optional.empty()));   // chosen by the agent
        holds.hold("1009", List.of("PJSIP/1009"));
        holds.hold("1010", List.of("PJSIP/1010"));

        holds.onAmiEvent(hangUp("PJSIP/1009-00000003"));
        holds.onAmiEvent(hangUp("PJSIP/1010-00000004"));
        assertThat(desk.readied).isEmpty();
        assertThat(holds.held()).isEmpty();
    }

    @Test
    void aSweepReleasesTheAgentsWhosePhoneHasNoChannelLeft() {
        Desk desk = new Desk();
        TakeoverHolds holds = new TakeoverHolds(desk);
        desk.states.put("1009", ON_CALL_AT_TAKEOVER);
        desk.states.put("1010", ON_CALL_AT_TAKEOVER);
        holds.hold("1009", List.of("PJSIP/1009"));
        holds.hold("1010", List.of("PJSIP/1010", "PJSIP/1010b"));

        holds.sweep(Set.of("PJSIP/1010b-0000000a", "PJSIP/pstn-0000000b"));
        assertThat(desk.readied).containsExactly("1009");
        assertThat(holds.held()).containsExactly("1010");

        holds.sweep(Set.of());
        assertThat(desk.readied).containsExactly("1009", "1010");
        assertThat(holds.held()).isEmpty();
    }
}
