package dev.hotline.records.store;

import dev.hotline.records.testing.TestDatabase;

class RecordStoreH2Test extends RecordStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
