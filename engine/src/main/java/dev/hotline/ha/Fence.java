package dev.hotline.ha;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Guards what only the active engine of a pair may do. Writers ask {@link #mayAct()} before an action with no
 * transaction (an AMI Originate of a callback, opening FastAGI) and call {@link #guard} inside the transaction of a
 * database write (directory changes, callback state): the guard puts the lease row into that transaction with the
 * engine's fencing number, so the write commits only if no other engine has taken over — on one MariaDB the row lock
 * orders them, on Galera certification aborts one of the two.
 *
 * <p>{@link #SINGLE} is the fence of a single engine (no {@code ha:} section, or the embedded database): it always
 * lets through and writes nothing.
 */
public interface Fence {

    /** A single engine: always active, nothing to guard. */
    Fence SINGLE = new Fence() {
        @Override
        public boolean mayAct() {
            return true;
        }

        @Override
        public long number() {
            return 0;
        }

        @Override
        public void guard(Connection con, String what) {
        }

        @Override
        public String toString() {
            return "single engine";
        }
    };

    /** Whether this engine holds a lease that has not run out on its own clock (no I/O; any thread). */
    boolean mayAct();

    /** The fencing number of this engine's current term; 0 when it never held the lease (or a single engine). */
    long number();

    /**
     * Inside the caller's open transaction on {@code con} (auto-commit off), before it commits: throws
     * {@link FencedOutException} naming {@code what} unless this engine holds the lease, here and in the database.
     */
    void guard(Connection con, String what) throws SQLException;
}
