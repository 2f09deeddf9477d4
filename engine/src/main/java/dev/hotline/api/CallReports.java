package dev.hotline.api;

import dev.hotline.records.model.CallRecord;
import dev.hotline.records.report.Grouping;
import dev.hotline.records.report.QueueKpis;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;

/** The call records as reports read them, and each record as the writer commits it. */
public interface CallReports {

    /** The zone days and intervals are cut in. */
    ZoneId zone();

    /** The call records that started in {@code [from, to)}. */
    List<CallRecord> calls(Instant from, Instant to) throws SQLException;

    /** Queue figures of {@code calls} per interval of {@code by}. */
    List<QueueKpis> queues(List<CallRecord> calls, Instant from, Instant to, Grouping by);

    /** Told of the records the writer has committed (quick, never blocking; a replayed record may come twice). */
    void onStored(Consumer<List<CallRecord>> listener);
}
