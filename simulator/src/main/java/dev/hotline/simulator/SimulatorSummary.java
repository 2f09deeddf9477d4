package dev.hotline.simulator;

/** A point-in-time view of the simulator for the periodic log line and load reports. */
public record SimulatorSummary(
        long callsStarted,
        long callsEnded,
        int activeChannels,
        long agiSessions,
        long agiConnectFailures,
        long agiCommands,
        long dialsAnswered,
        long abandons) {

    public String oneLine() {
        return "calls started=" + callsStarted + " ended=" + callsEnded + " active channels=" + activeChannels
                + " agi sessions=" + agiSessions + " connect failures=" + agiConnectFailures
                + " agi commands=" + agiCommands + " answered by agents=" + dialsAnswered + " abandons=" + abandons;
    }
}
