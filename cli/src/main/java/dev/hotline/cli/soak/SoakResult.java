package dev.hotline.cli.soak;

import java.util.List;

/**
 * The soak's verdict: {@code calls} placed and the count of each kind of violation (docs/SOAK.md defines them), with
 * one line of detail per violation (call ids, agent ids) for the log; and {@code watchRepairs}, how many agents the
 * engine's invariant watch had to release (or waiting calls remove) because no other path ended their calls — not
 * a violation of the end state, which the repair made right, but each one a lost release to look into.
 */
public record SoakResult(int calls, int dropped, int phantom, int stuckAgents, int leaked, int recordsMissing,
                         int duplicates, List<String> details, long watchRepairs) {

    public SoakResult {
        details = List.copyOf(details);
    }

    public SoakResult(int calls, int dropped, int phantom, int stuckAgents, int leaked, int recordsMissing,
                      int duplicates, List<String> details) {
        this(calls, dropped, phantom, stuckAgents, leaked, recordsMissing, duplicates, details, 0);
    }

    /** This verdict with the engine's watch repair count ({@code Acd.watchRepairs()}). */
    public SoakResult withWatchRepairs(long repairs) {
        return new SoakResult(calls, dropped, phantom, stuckAgents, leaked, recordsMissing, duplicates, details,
                repairs);
    }

    public int violations() {
        return dropped + phantom + stuckAgents + leaked + recordsMissing + duplicates;
    }

    /**
     * {@code soak: calls=N dropped=0 phantom=0 stuck_agents=0 leaked=0 records_missing=0 duplicates=0
     * watch_repairs=0}.
     */
    public String oneLine() {
        return "soak: calls=" + calls + " dropped=" + dropped + " phantom=" + phantom + " stuck_agents=" + stuckAgents
                + " leaked=" + leaked + " records_missing=" + recordsMissing + " duplicates=" + duplicates
                + " watch_repairs=" + watchRepairs;
    }
}
