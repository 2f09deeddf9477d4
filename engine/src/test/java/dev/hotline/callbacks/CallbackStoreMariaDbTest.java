package dev.hotline.callbacks;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class CallbackStoreMariaDbTest extends CallbackStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
