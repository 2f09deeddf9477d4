package dev.hotline.records;

import dev.hotline.records.testing.TestDatabase;

class RecordWriterH2Test extends RecordWriterContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
