package dev.hotline.api;

import javax.sql.DataSource;
import java.sql.SQLException;

/** The database a front end keeps its own tables in (the gateway's users), migrated by the engine's Flyway. */
public interface UserStorage {

    DataSource dataSource();

    /** Brings the schema up to date (idempotent). */
    void migrate() throws SQLException;

    /** Where it is, for messages (never a password). */
    String description();
}
