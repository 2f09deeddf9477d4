package dev.hotline.simulator.dialplan;

import dev.hotline.simulator.agi.AgiUrl;
import java.util.List;
import java.util.Objects;

/**
 * One dialplan context as the simulator models it: every extension runs {@code [Answer(),] AGI(url,args…)} and
 * then what {@link AfterAgi} says: {@code Hangup()}, or the routes of Hotline's shipped dialplan, read by the
 * simulator's {@link Handshake}. {@code ${EXTEN}} in the URL or the arguments is replaced by the dialled extension, so
 * {@code agi://127.0.0.1:4573/connect?call=${EXTEN}} behaves like the recorded {@code hotline-connect} context.
 *
 * @param agiPriority   the priority at which AGI runs ({@code agi_priority}): 3 after NoOp and Answer, 1 for a
 *                      context that starts with AGI
 * @param answer        whether the channel is answered before AGI starts
 * @param exitOnHangup  {@code AGIEXITONHANGUP=yes}: Asterisk closes the AGI socket itself at hang-up
 * @param after         what the context does once AGI returns
 */
public record DialplanContext(String name, String agiUrl, List<String> agiArgs, int agiPriority, boolean answer,
                              boolean exitOnHangup, AfterAgi after) {

    /** The lines after {@code AGI()}. */
    public enum AfterAgi {
        /** {@code Hangup()}. */
        HANGUP,
        /** {@code from-pstn} of docker/asterisk/extensions.conf: fallback, or {@code hotline-outcome}. */
        HOTLINE_MAIN,
        /** {@code hotline-connect}: fallback on FAILURE (no HOTLINE_ERROR check), or {@code hotline-outcome}. */
        HOTLINE_CONNECT,
        /**
         * {@code hotline-callback}: a channel Hotline did not hang up nor refuse (HOTLINE_ERROR) goes, for a pair, to
         * the other engine's then the first engine's {@code callback?id=…&dialstatus=${DIALSTATUS}}, round after
         * round; else Hangup.
         */
        HOTLINE_CALLBACK
    }

    /** A context that hangs up after AGI. */
    public DialplanContext(String name, String agiUrl, List<String> agiArgs, int agiPriority, boolean answer,
                           boolean exitOnHangup) {
        this(name, agiUrl, agiArgs, agiPriority, answer, exitOnHangup, AfterAgi.HANGUP);
    }

    public DialplanContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(agiUrl, "agiUrl");
        Objects.requireNonNull(after, "after");
        agiArgs = List.copyOf(agiArgs);
        if (name.isBlank()) {
            throw new IllegalArgumentException("dialplan context name is blank");
        }
        AgiUrl.parse(agiUrl.replace("${EXTEN}", "s"));
        if (agiPriority < 1) {
            throw new IllegalArgumentException("context " + name + ": agiPriority " + agiPriority + " (expected: >= 1)");
        }
    }

    /** An inbound context: answer, then AGI at priority 3 (NoOp, Answer, AGI) as in the recorded dialplan. */
    public static DialplanContext inbound(String name, String agiUrl, String... args) {
        return new DialplanContext(name, agiUrl, List.of(args), 3, true, false);
    }

    /** A Redirect target: AGI at priority 1 on an already answered channel. */
    public static DialplanContext redirectTarget(String name, String agiUrl) {
        return new DialplanContext(name, agiUrl, List.of(), 1, false, false);
    }

    public DialplanContext withExitOnHangup(boolean exit) {
        return new DialplanContext(name, agiUrl, agiArgs, agiPriority, answer, exit, after);
    }

    /** The same context, going on after AGI as {@code after} says. */
    public DialplanContext then(AfterAgi next) {
        return new DialplanContext(name, agiUrl, agiArgs, agiPriority, answer, exitOnHangup, next);
    }

    public AgiUrl urlFor(String exten) {
        return AgiUrl.parse(agiUrl.replace("${EXTEN}", exten));
    }

    /** As {@link #urlFor(String)}, with {@code ${CHANNEL(linkedid)}} replaced by the call's linkedid too. */
    public AgiUrl urlFor(String exten, String linkedid) {
        return AgiUrl.parse(agiUrl.replace("${EXTEN}", exten).replace(LINKEDID, linkedid));
    }

    /** The dialplan function the shipped dialplan passes Hotline the call's id with. */
    public static final String LINKEDID = "${CHANNEL(linkedid)}";

    public List<String> argsFor(String exten) {
        return agiArgs.stream().map(arg -> arg.replace("${EXTEN}", exten)).toList();
    }
}
