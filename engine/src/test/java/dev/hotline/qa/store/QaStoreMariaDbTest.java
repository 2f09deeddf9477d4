package dev.hotline.qa.store;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class QaStoreMariaDbTest extends QaStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
