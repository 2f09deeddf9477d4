package dev.hotline.records.queuelog;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.Transfer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Derives the queue_log lines Asterisk's app_queue would have written for a finished call or an agent transition,
 * with their original timestamps, in the field layout QueueMetrics and Asternic read:
 * <pre>
 *   ENTERQUEUE      |url|callerid
 *   RINGNOANSWER    |ring ms
 *   CONNECT         |holdtime s|bridged channel uniqueid|ringtime s
 *   COMPLETECALLER / COMPLETEAGENT |holdtime s|calltime s|origposition
 *   ABANDON         |position|origposition|waittime s
 *   EXITWITHTIMEOUT |position|origposition|waittime s
 *   EXITWITHKEY     |key|position|origposition|waittime s
 *   TRANSFER        |extension|context|holdtime s|calltime s|origposition
 *   ADDMEMBER / REMOVEMEMBER |   PAUSE / UNPAUSE |reason
 * </pre>
 * Positions are not tracked by Hotline's records and are written as 1.
 */
public final class QueueLogEvents {

    private QueueLogEvents() {
    }

    /** The call's lines in time order. */
    public static List<QueueLogEvent> forCall(CallRecord c) {
        String id = c.callId().value();
        List<QueueLogEvent> out = new ArrayList<>();
        for (QueueVisit v : c.queueVisits()) {
            out.add(new QueueLogEvent(v.enqueuedAt(), id, v.queue(), QueueLogEvent.NONE, "ENTERQUEUE",
                    List.of("", c.callerNumber())));
            for (Offer o : c.offers()) {
                boolean inVisit = o.queue().equals(v.queue()) && !o.offeredAt().isBefore(v.enqueuedAt())
                        && !o.offeredAt().isAfter(v.leftAt());
                if (inVisit && o.outcome() == Offer.Outcome.NO_ANSWER) {
                    out.add(new QueueLogEvent(o.endedAt(), id, v.queue(), o.agentId(), "RINGNOANSWER",
                            List.of(Long.toString(o.ring().toMillis()))));
                }
            }
            long wait = v.waited().toSeconds();
            switch (v.result()) {
                case ANSWERED -> {
                    String agent = v.agentId().orElseThrow();
                    long ring = c.offers().stream().filter(o -> o.agentId().equals(agent)
                            && o.outcome() == Offer.Outcome.ANSWERED && o.queue().equals(v.queue()))
                            .mapToLong(o -> o.ring().toSeconds()).findFirst().orElse(0);
                    out.add(new QueueLogEvent(v.leftAt(), id, v.queue(), agent, "CONNECT",
                            List.of(Long.toString(wait), id, Long.toString(ring))));
                    Instant talkEnd = v.leftAt().plus(v.talk()).plus(v.hold());
                    long callSeconds = v.talk().plus(v.hold()).toSeconds();
                    Transfer t = c.transfers().stream().filter(x -> x.fromAgent().map(agent::equals).orElse(false)
                            && !x.at().isBefore(v.leftAt())).findFirst().orElse(null);
                    if (t != null) {
                        out.add(new QueueLogEvent(t.at(), id, v.queue(), agent, "TRANSFER", List.of(t.target(),
                                "hotline", Long.toString(wait), Long.toString(callSeconds), "1")));
                    } else {
                        String event = c.hangupBy() == HangupParty.AGENT ? "COMPLETEAGENT" : "COMPLETECALLER";
                        out.add(new QueueLogEvent(talkEnd, id, v.queue(), agent, event,
                                List.of(Long.toString(wait), Long.toString(callSeconds), "1")));
                    }
                }
                case ABANDONED -> out.add(new QueueLogEvent(v.leftAt(), id, v.queue(), QueueLogEvent.NONE, "ABANDON",
                        List.of("1", "1", Long.toString(wait))));
                case TIMEOUT, OVERFLOW -> out.add(new QueueLogEvent(v.leftAt(), id, v.queue(), QueueLogEvent.NONE,
                        "EXITWITHTIMEOUT", List.of("1", "1", Long.toString(wait))));
                case EXIT_WITH_KEY, CALLBACK, VOICEMAIL -> out.add(new QueueLogEvent(v.leftAt(), id, v.queue(),
                        QueueLogEvent.NONE, "EXITWITHKEY", List.of(keyFor(v), "1", "1", Long.toString(wait))));
                case FULL -> out.add(new QueueLogEvent(v.leftAt(), id, v.queue(), QueueLogEvent.NONE, "FULL",
                        List.of()));
            }
        }
        out.sort(Comparator.comparing(QueueLogEvent::at));
        return out;
    }

    private static String keyFor(QueueVisit v) {
        return switch (v.result()) {
            case CALLBACK -> "callback";
            case VOICEMAIL -> "voicemail";
            default -> "key";
        };
    }

    /** The line for an agent transition, if app_queue has one (login, logout, pause, unpause). */
    public static List<QueueLogEvent> forAgent(AgentStateChange ch) {
        String event;
        List<String> data = List.of();
        if (ch.from() == AgentPhase.LOGGED_OUT && ch.to() != AgentPhase.LOGGED_OUT) {
            event = "ADDMEMBER";
        } else if (ch.to() == AgentPhase.LOGGED_OUT) {
            event = "REMOVEMEMBER";
        } else if (ch.to() == AgentPhase.NOT_READY) {
            event = "PAUSE";
            data = List.of(ch.reason());
        } else if (ch.from() == AgentPhase.NOT_READY && ch.to() == AgentPhase.READY) {
            event = "UNPAUSE";
            data = List.of(ch.reason());
        } else {
            return List.of();
        }
        return List.of(new QueueLogEvent(ch.at(), QueueLogEvent.NONE, QueueLogEvent.NONE, ch.agentId(), event,
                data));
    }
}
