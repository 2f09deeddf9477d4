package dev.hotline.records.report;

import dev.hotline.records.testing.TestDatabase;

class ReportsH2Test extends ReportsContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
