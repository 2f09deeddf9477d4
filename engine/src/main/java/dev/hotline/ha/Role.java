package dev.hotline.ha;

/** What an engine of a pair is doing now. A single engine (no {@code ha:} section) is always {@link #ACTIVE}. */
public enum Role {
    /** Holds the lease: takes calls over FastAGI, sends AMI actions, dials callbacks, writes the directory. */
    ACTIVE,
    /** Watches the lease: reads the database and AMI events, acts on nothing, ready to take over. */
    STANDBY
}
