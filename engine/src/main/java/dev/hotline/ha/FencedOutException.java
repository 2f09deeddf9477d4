package dev.hotline.ha;

import java.sql.SQLException;

/**
 * A write that only the active engine may make was refused: this engine does not hold the lease (it is standby, or
 * it lost the lease — paused, cut off — and another engine took over with a higher fencing number). A
 * {@link SQLException} so the stores' signatures stay as they are; nothing was written.
 */
public final class FencedOutException extends SQLException {

    /** SQLSTATE class of our own: no database reports it. */
    public static final String SQL_STATE = "HLF01";

    public FencedOutException(String message) {
        super(message, SQL_STATE);
    }
}
