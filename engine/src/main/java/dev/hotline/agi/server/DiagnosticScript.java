package dev.hotline.agi.server;

import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;

import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * {@code agi://hotline/diag}: a check an admin (or a synthetic test call) can run from the dialplan without
 * touching the call: it sets {@code HOTLINE_DIAG=OK}, the engine name and version, the number of open sessions
 * and the measured AGI round trip, and logs one line on the Asterisk console. It never answers or plays audio.
 *
 * <pre>
 * exten => 999,1,AGI(agi://hotline:4573/diag)
 *  same => n,Verbose(1,Hotline says ${HOTLINE_DIAG} ${HOTLINE_VERSION} rtt=${HOTLINE_RTT_MS}ms)
 * </pre>
 */
public final class DiagnosticScript implements AgiScript {

    public static final String NAME = "diag";

    private final String engineName;
    private final String version;
    private final IntSupplier activeSessions;

    public DiagnosticScript(String engineName, String version, IntSupplier activeSessions) {
        this.engineName = engineName;
        this.version = version;
        this.activeSessions = activeSessions;
    }

    @Override
    public void run(AgiSession session) {
        long start = System.nanoTime();
        session.getVariable("HOTLINE_DIAG");
        Duration rtt = Duration.ofNanos(System.nanoTime() - start);
        String rttMs = String.format(java.util.Locale.ROOT, "%.3f", rtt.toNanos() / 1e6);
        session.setVariable("HOTLINE_DIAG", "OK");
        session.setVariable("HOTLINE_ENGINE", engineName);
        session.setVariable("HOTLINE_VERSION", version);
        session.setVariable("HOTLINE_SESSIONS", Integer.toString(activeSessions.getAsInt()));
        session.setVariable("HOTLINE_RTT_MS", rttMs);
        session.verbose("Hotline " + engineName + " " + version + ": FastAGI OK, " + activeSessions.getAsInt()
                + " session(s) open, round trip " + rttMs + " ms", 1);
    }
}
