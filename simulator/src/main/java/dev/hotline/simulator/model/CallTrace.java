package dev.hotline.simulator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened to one call, as the simulated Asterisk saw it: its ground truth, which a test or the soak compares
 * with what Hotline says happened. Written on the channel's event loop, read from any thread.
 *
 * <p>{@link #endedBy()} tells who ended the call: the caller (patience, a hang-up), the agent (Dial returned after
 * the agent hung up), the dialplan (a {@code Hangup()} after Hotline handed the call back or let go of it, or the
 * end of the fallback queue or of a voicemail), or Asterisk itself going away ({@link dev.hotline.simulator.AsteriskSimulator#kill}).
 */
public final class CallTrace {

    /** Who ended the call. */
    public enum EndedBy { CALLER, AGENT, DIALPLAN, ASTERISK_GONE }

    /**
     * One FastAGI session of the call.
     *
     * @param script      the script requested ({@code main-menu}, {@code connect}…)
     * @param commands    commands the server sent (0: it never took the call)
     * @param agiStatus   AGISTATUS when the session ended
     * @param onHoldAtEnd whether hold music was playing when it ended (the caller was left waiting)
     */
    public record Session(String script, int commands, String agiStatus, boolean onHoldAtEnd) {
    }

    private final List<Session> sessions = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();
    private boolean waited;
    private boolean talked;
    private EndedBy endedBy;

    /** A FastAGI session of the call ended (the simulator's AGI code writes this). */
    public synchronized void session(Session session) {
        sessions.add(session);
    }

    /** The dialplan took a route after AGI: {@code hangup}, {@code fallback}, {@code resume}, {@code voicemail:BOX}… */
    public synchronized void route(String route) {
        routes.add(route);
    }

    /** The caller was put on hold music (queue wait) at least once. */
    synchronized void holdMusic(boolean on) {
        if (on) {
            waited = true;
        }
    }

    synchronized void talked() {
        talked = true;
    }

    synchronized void ended(EndedBy by) {
        if (endedBy == null) {
            endedBy = by;
        }
    }

    public synchronized List<Session> sessions() {
        return List.copyOf(sessions);
    }

    public synchronized List<String> routes() {
        return List.copyOf(routes);
    }

    /** Whether any session's server took the call (sent at least one command): the call reached Hotline. */
    public synchronized boolean reachedHotline() {
        return sessions.stream().anyMatch(s -> s.commands() > 0);
    }

    public synchronized boolean waited() {
        return waited;
    }

    public synchronized boolean talkedToAgent() {
        return talked;
    }

    /** The last FastAGI session, if any. */
    public synchronized Optional<Session> lastSession() {
        return sessions.isEmpty() ? Optional.empty() : Optional.of(sessions.get(sessions.size() - 1));
    }

    public synchronized Optional<EndedBy> endedBy() {
        return Optional.ofNullable(endedBy);
    }

    @Override
    public synchronized String toString() {
        return "CallTrace[sessions=" + sessions + ", routes=" + routes + ", waited=" + waited + ", talked=" + talked
                + ", endedBy=" + endedBy + "]";
    }
}
