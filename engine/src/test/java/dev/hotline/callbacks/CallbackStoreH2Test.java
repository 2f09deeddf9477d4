package dev.hotline.callbacks;

import dev.hotline.records.testing.TestDatabase;

class CallbackStoreH2Test extends CallbackStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
