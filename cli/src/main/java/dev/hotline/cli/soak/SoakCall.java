package dev.hotline.cli.soak;

import dev.hotline.simulator.SimulatedCall;
import dev.hotline.simulator.model.CallTrace;

import java.util.List;
import java.util.Optional;

/**
 * One caller of the soak as the simulated Asterisk saw it (its ground truth), frozen at the end of the run.
 *
 * @param uniqueid       the caller channel's uniqueid, which is the call's linkedid: Hotline's call id
 * @param reachedHotline a FastAGI session of the call got at least one command from Hotline
 * @param talked         an agent answered
 * @param endedBy        who ended the call; empty while it is still up
 * @param routes         what the dialplan did after each AGI ({@code hangup}, {@code fallback}, {@code resume}…)
 * @param onHoldAtEnd    hold music was playing when the call's last FastAGI session ended
 */
public record SoakCall(String uniqueid, boolean reachedHotline, boolean talked, Optional<CallTrace.EndedBy> endedBy,
                       List<String> routes, boolean onHoldAtEnd) {

    public SoakCall {
        routes = List.copyOf(routes);
    }

    static SoakCall of(SimulatedCall call) {
        CallTrace trace = call.trace();
        return new SoakCall(call.uniqueid(), trace.reachedHotline(), trace.talkedToAgent(), trace.endedBy(),
                trace.routes(), trace.lastSession().map(CallTrace.Session::onHoldAtEnd).orElse(false));
    }

    /**
     * Hotline lost this caller: the dialplan hung up on a caller who was left on hold music and never talked to an
     * agent, or sent a caller Hotline had taken to the fallback queue ("Hotline unreachable").
     */
    boolean dropped() {
        if (endedBy.isEmpty() || endedBy.get() != CallTrace.EndedBy.DIALPLAN || talked) {
            return false;
        }
        if (routes.contains("fallback")) {
            return reachedHotline;
        }
        return !routes.isEmpty() && routes.get(routes.size() - 1).equals("hangup") && onHoldAtEnd;
    }
}
