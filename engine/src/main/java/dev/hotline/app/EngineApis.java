package dev.hotline.app;

import dev.hotline.api.CallReports;
import dev.hotline.api.UserStorage;
import dev.hotline.records.RecordWriter;
import dev.hotline.records.report.Reports;
import dev.hotline.records.store.AppDatabase;

/**
 * The API's parts over engine pieces built by hand (tools and tests that run a gateway's part without a whole
 * engine); a running engine gives them all through {@link HotlineEngine#api()}.
 */
public final class EngineApis {

    private EngineApis() {
    }

    /** Reports of {@code reports}; {@code writer} (may be null) tells of committed records. */
    public static CallReports callReports(Reports reports, RecordWriter writer) {
        return EngineFacade.callReports(reports, writer);
    }

    public static UserStorage userStorage(AppDatabase database) {
        return EngineFacade.userStorage(database);
    }
}
