package dev.hotline.ivr.calendar;

import dev.hotline.records.testing.TestDatabase;

class DatabaseCalendarsH2Test extends DatabaseCalendarsContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
