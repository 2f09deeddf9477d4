package dev.hotline.qa.store;

import dev.hotline.records.testing.TestDatabase;

class QaStoreH2Test extends QaStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
