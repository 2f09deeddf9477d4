package dev.hotline.cli.soak;

import java.util.List;

/**
 * The soak's verdict: {@code calls} placed and the count of each kind of violation (docs/SOAK.md defines them), with
 * one line of detail per violation (call ids, agent ids) for the log.
 */
public record SoakResult(int calls, int dropped, int phantom, int stuckAgents, int leaked, int recordsMissing,
                         int duplicates, List<String> details) {

    public SoakResult {
        details = List.copyOf(details);
    }

    public int violations() {
        return dropped + phantom + stuckAgents + leaked + recordsMissing + duplicates;
    }

    /** {@code soak: calls=N dropped=0 phantom=0 stuck_agents=0 leaked=0 records_missing=0 duplicates=0}. */
    public String oneLine() {
        return "soak: calls=" + calls + " dropped=" + dropped + " phantom=" + phantom + " stuck_agents=" + stuckAgents
                + " leaked=" + leaked + " records_missing=" + recordsMissing + " duplicates=" + duplicates;
    }
}
