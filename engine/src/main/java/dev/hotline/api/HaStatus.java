package dev.hotline.api;

import java.time.Instant;
import java.util.Optional;

/** The engine's role: a single engine is always active; a pair's engine is active while it holds the lease. */
public interface HaStatus {

    /** This engine's name ({@code engine.name}). */
    String engineName();

    /** Whether this engine may act now (always on a single engine). */
    boolean mayAct();

    /** The pair's view; empty on a single engine. */
    Optional<Pair> pair();

    /**
     * A pair's state as this engine sees it.
     *
     * @param active       whether this engine may act now
     * @param fence        the fencing number of the current lease
     * @param activeEngine the active engine's name (this one when active; empty when none is known)
     * @param activeUrl    its gateway's URL (empty when unknown)
     * @param why          why this engine has its role
     */
    record Pair(boolean active, long fence, String activeEngine, String activeUrl, Instant since, String why) {
    }
}
