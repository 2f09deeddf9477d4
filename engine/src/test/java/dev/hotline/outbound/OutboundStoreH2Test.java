package dev.hotline.outbound;

import dev.hotline.records.testing.TestDatabase;

class OutboundStoreH2Test extends OutboundStoreContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
