package dev.hotline.records.model;

/**
 * A call's identity: the Asterisk server it entered through and that server's {@code linkedid} (the id Asterisk
 * gives the first channel of a call and propagates to every channel bridged to it). Linkedids are only unique per
 * server, hence the pair.
 *
 * @param serverId short name of the Asterisk server (the {@code ami.servers[].id} in hotline.yaml)
 * @param linkedId Asterisk's linkedid, e.g. {@code 1712345678.42}
 */
public record CallId(String serverId, String linkedId) {

    public static final int MAX_SERVER_ID = 32;
    public static final int MAX_LINKED_ID = 63;

    public CallId {
        RecordChecks.text("serverId", serverId, MAX_SERVER_ID);
        RecordChecks.text("linkedId", linkedId, MAX_LINKED_ID);
        if (serverId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("serverId: '" + serverId + "' (expected: no '/')");
        }
    }

    /** Parses {@link #value()}. */
    public static CallId parse(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("call id: '" + value + "' (expected: server/linkedid)");
        }
        return new CallId(value.substring(0, slash), value.substring(slash + 1));
    }

    /** The key stored in the database and written to queue_log: {@code server/linkedid}. */
    public String value() {
        return serverId + "/" + linkedId;
    }

    @Override
    public String toString() {
        return value();
    }
}
