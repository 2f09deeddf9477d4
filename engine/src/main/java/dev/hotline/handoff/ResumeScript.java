package dev.hotline.handoff;

import dev.hotline.agi.AgiScript;
import dev.hotline.agi.AgiSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code agi://hotline/resume}: where the dialplan sends a call Hotline lost (no {@code HOTLINE_HANDLED} marker
 * after {@code AGI()}: the engine crashed, was killed, or its connection was cut). One {@code GET FULL VARIABLE}
 * reads what the channel carries, then:
 * <ol>
 *   <li>{@code DIALSTATUS=ANSWER}: the caller's conversation with an agent ended while no engine was there (Dial
 *       runs inside Asterisk and outlives the engine). Nothing is left to do: hung up.</li>
 *   <li>A {@link QueuePlace}: the caller was waiting (or an agent's phone was ringing for them). They wait again
 *       in the same queue with the same call id, priority and join time, so they keep their waited time and their
 *       order among the other callers taken back; their call record continues.</li>
 *   <li>{@code HOTLINE_ENTRY} names an IVR script: the caller was in the IVR. They start that script again from its
 *       first node, not from the node they were in: what they had chosen and what the script had looked up lived in
 *       the failed engine's memory, and a node that depends on it (a condition, a lookup's result, a collected
 *       number) would do the wrong thing without it. Keeping the node would cost a round trip at every node of
 *       every call for a rare failure.</li>
 *   <li>Nothing: handed back to the fallback queue.</li>
 * </ol>
 * Threads: the call's virtual thread, like every script.
 */
public final class ResumeScript implements AgiScript {

    public static final String NAME = "resume";
    private static final Logger log = LoggerFactory.getLogger(ResumeScript.class);

    /** What the ACD offers for taking a waiting caller back (implemented by {@code acd.Acd}). */
    @FunctionalInterface
    public interface Queues {
        /** Serves the call from {@code place} until it leaves Hotline, as if it had never been away. */
        void resume(AgiSession session, QueuePlace place);
    }

    /** How a resumed call went on; counted in {@code hotline_resumed_total{as=…}}. */
    public enum As { QUEUE, IVR, ENDED, FALLBACK }

    private final Queues queues;
    private final Function<String, Optional<AgiScript>> ivrScripts;
    private final InstantSource clock;
    private final Map<As, Counter> counters = new java.util.EnumMap<>(As.class);

    /**
     * @param ivrScripts the published IVR script of a name, if any
     */
    public ResumeScript(Queues queues, Function<String, Optional<AgiScript>> ivrScripts, InstantSource clock,
                        MeterRegistry registry) {
        this.queues = queues;
        this.ivrScripts = ivrScripts;
        this.clock = clock;
        for (As as : As.values()) {
            counters.put(as, Counter.builder("hotline.resumed").tag("as", as.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Calls taken back through the resume script after an engine lost them")
                    .register(registry));
        }
    }

    @Override
    public void run(AgiSession session) throws Exception {
        String channel = session.environment().channel();
        String[] v = session.getFullVariable("${" + Handback.ENTRY + "}|${DIALSTATUS}|" + QueuePlace.expression())
                .orElse("").split("\\|", -1);
        String entry = v.length > 0 ? v[0] : "";
        String dialStatus = v.length > 1 ? v[1] : "";
        Optional<QueuePlace> place;
        try {
            place = v.length > 2 ? QueuePlace.parse(java.util.Arrays.copyOfRange(v, 2, v.length)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            log.warn("resume {}: the channel's place is unreadable ({}); fallback queue", channel, e.getMessage());
            count(As.FALLBACK);
            Handback.handBack(session, Handback.Outcome.FALLBACK, "unreadable place");
            return;
        }
        if ("ANSWER".equalsIgnoreCase(dialStatus)) {
            log.info("resume {}: the conversation with the agent ended while no engine held the call; hanging up",
                    channel);
            count(As.ENDED);
            Handback.hangUp(session, Handback.Outcome.HANGUP);
            return;
        }
        if (place.isPresent()) {
            QueuePlace p = place.get();
            log.info("resume {}: call {} back in queue {} with its place (joined {}, waited {} s)", channel,
                    p.callId(), p.queue(), p.joined(), Duration.between(p.joined(), clock.instant()).toSeconds());
            count(As.QUEUE);
            queues.resume(session, p);
            return;
        }
        Optional<AgiScript> ivr = entry.isEmpty() ? Optional.empty() : ivrScripts.apply(entry);
        if (ivr.isPresent()) {
            log.info("resume {}: back to the start of IVR script {} (the caller's choices were in the failed engine)",
                    channel, entry);
            count(As.IVR);
            ivr.get().run(session);
            return;
        }
        log.warn("resume {}: nothing to resume (entry '{}', no queue place); fallback queue", channel, entry);
        count(As.FALLBACK);
        Handback.handBack(session, Handback.Outcome.FALLBACK, "nothing to resume");
    }

    private void count(As as) {
        counters.get(as).increment();
    }
}
