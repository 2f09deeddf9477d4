package dev.hotline.records.report;

import java.util.OptionalDouble;

/**
 * The one service-level formula of Hotline, used by {@code hotline report}, the wallboard (tiles and intervals), the
 * demo's live line and its closing table: <b>queue visits answered within the queue's service-level time ÷ queue
 * visits that are over</b> — answered, abandoned (short abandons included), timed out or overflowed, or turned into
 * a callback. A visit still waiting counts nowhere; a call still held when the engine stops is ended then
 * (abandoned, or ended by "system" if an agent had it), so it counts the same way everywhere.
 */
public final class ServiceLevels {

    private ServiceLevels() {
    }

    /** {@code answeredWithin / finishedVisits} as a fraction 0–1; empty when no visit is over yet. */
    public static OptionalDouble of(long answeredWithin, long finishedVisits) {
        return finishedVisits <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) answeredWithin / finishedVisits);
    }
}
