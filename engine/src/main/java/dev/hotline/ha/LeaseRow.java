package dev.hotline.ha;

import java.util.Objects;

/**
 * The lease row as last read (table {@code ha_lease}, Flyway {@code V40__ha_lease.sql}).
 *
 * @param holder    the engine holding it ({@code engine.name}), or empty when nobody does
 * @param fence     the fencing number of the holder's term; grows by one at every takeover
 * @param version   grows at every change (takeover, renewal, release): a standby that sees the same version for a
 *                  whole lease knows the holder stopped renewing
 * @param holderUrl the holder's gateway address ({@code ha.url}), for the standby's banner; may be empty
 */
record LeaseRow(String holder, long fence, long version, String holderUrl) {

    public LeaseRow {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(holderUrl, "holderUrl");
        if (fence < 0 || version < 0) {
            throw new IllegalArgumentException("lease row: fence " + fence + ", version " + version
                    + " (expected: >= 0)");
        }
    }

    /** Nobody holds it (never taken, or released at a clean stop): a standby takes it at once. */
    public boolean free() {
        return holder.isEmpty();
    }
}
