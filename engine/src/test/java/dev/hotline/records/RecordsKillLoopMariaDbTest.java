package dev.hotline.records;

import dev.hotline.records.testing.MariaDbAvailable;
import dev.hotline.records.testing.MariaDbTest;
import dev.hotline.records.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

@MariaDbTest
class RecordsKillLoopMariaDbTest extends RecordsKillLoopContract {

    TestDatabase db;

    @BeforeEach
    void create() {
        db = TestDatabase.mariaDb();
    }

    @AfterEach
    void drop() throws SQLException {
        db.close();
    }

    @Override
    String kind() {
        return "mariadb";
    }

    @Override
    String url() {
        return "jdbc:mariadb://" + MariaDbAvailable.HOST + ":" + MariaDbAvailable.PORT + "/" + db.schema();
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "root", "");
    }
}
