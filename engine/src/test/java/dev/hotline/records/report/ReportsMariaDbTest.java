package dev.hotline.records.report;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class ReportsMariaDbTest extends ReportsContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
