package dev.hotline.records;

import dev.hotline.records.store.AppDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

class RecordsKillLoopH2Test extends RecordsKillLoopContract {

    @Override
    String kind() {
        return "h2";
    }

    @Override
    String url() {
        return "-";
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(AppDatabase.embeddedUrl(dir.resolve("data").toAbsolutePath()
                .normalize().resolve(AppDatabase.EMBEDDED_NAME)), "hotline", "");
    }
}
