package dev.hotline.records.queuelog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One Asterisk {@code queue_log} line: {@code epoch|callid|queue|agent|event|data1|data2|…}. Agent events
 * (ADDMEMBER, PAUSE, …) use callid {@code NONE}; events without a queue use {@code NONE} as queue.
 *
 * @param at     when
 * @param callId the call ({@code NONE} for agent events)
 * @param queue  queue name ({@code NONE} when none)
 * @param agent  agent channel/name ({@code NONE} when none)
 * @param event  ENTERQUEUE, CONNECT, COMPLETECALLER, COMPLETEAGENT, ABANDON, RINGNOANSWER, EXITWITHTIMEOUT,
 *               EXITWITHKEY, TRANSFER, ADDMEMBER, REMOVEMEMBER, PAUSE, UNPAUSE, …
 * @param data   the event's data fields
 */
public record QueueLogEvent(Instant at, String callId, String queue, String agent, String event, List<String> data) {

    public static final String NONE = "NONE";

    public QueueLogEvent {
        Objects.requireNonNull(at, "at");
        clean("callId", callId);
        clean("queue", queue);
        clean("agent", agent);
        clean("event", event);
        data = List.copyOf(data);
        data.forEach(d -> clean("data", d));
    }

    private static void clean(String name, String v) {
        Objects.requireNonNull(v, name);
        if (v.indexOf('|') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(name + ": '" + v + "' (expected: no '|' or line break)");
        }
    }

    /** The line as Asterisk writes it (no trailing newline). */
    public String line() {
        StringBuilder sb = new StringBuilder(64).append(at.getEpochSecond()).append('|').append(callId).append('|')
                .append(queue).append('|').append(agent).append('|').append(event);
        for (String d : data) {
            sb.append('|').append(d);
        }
        return sb.toString();
    }
}
