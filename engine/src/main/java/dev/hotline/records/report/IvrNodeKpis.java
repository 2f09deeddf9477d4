package dev.hotline.records.report;

import java.time.Instant;
import java.util.Map;

/**
 * One IVR node's traffic in one interval (counted when the call reached the node).
 *
 * @param visits   times a call reached the node
 * @param options  exits by option: digits entered → count
 * @param timeouts exits for no input
 * @param invalid  exits for input that matched no option
 * @param dropOuts callers who hung up at the node
 */
public record IvrNodeKpis(Instant intervalStart, Instant intervalEnd, String node, long visits,
                          Map<String, Long> options, long timeouts, long invalid, long dropOuts) {

    public IvrNodeKpis {
        options = Map.copyOf(options);
    }
}
