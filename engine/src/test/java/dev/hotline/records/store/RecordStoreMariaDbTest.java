package dev.hotline.records.store;

import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;

@MariaDbTest
class RecordStoreMariaDbTest extends RecordStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}
