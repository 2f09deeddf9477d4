package dev.hotline.acd;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ACD's invariants as {@link CallWatch} last counted them: {@code activeCalls} held now; {@code callsWithoutSession} held with
 * no FastAGI session (and not being redirected); {@code agentsOnMissingCalls} agents reserved, ringing or talking
 * for a call not held; {@code phantomWaiting} calls the routing core has waiting that are not held. All but the
 * first should be 0.
 */
public record Invariants(int activeCalls, int callsWithoutSession, int agentsOnMissingCalls, int phantomWaiting) {

    public boolean ok() {
        return callsWithoutSession == 0 && agentsOnMissingCalls == 0 && phantomWaiting == 0;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", ok() ? "OK" : "VIOLATED");
        m.put("activeCalls", activeCalls);
        m.put("callsWithoutSession", callsWithoutSession);
        m.put("agentsOnMissingCalls", agentsOnMissingCalls);
        m.put("phantomWaiting", phantomWaiting);
        return m;
    }
}
