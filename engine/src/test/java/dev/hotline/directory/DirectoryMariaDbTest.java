package dev.hotline.directory;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class DirectoryMariaDbTest extends DirectoryContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
