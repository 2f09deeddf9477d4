package dev.hotline.directory;

import dev.hotline.records.testing.TestDatabase;

class DirectoryH2Test extends DirectoryContract {

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
