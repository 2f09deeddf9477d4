package dev.hotline.ivr.calendar;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class DatabaseCalendarsMariaDbTest extends DatabaseCalendarsContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
