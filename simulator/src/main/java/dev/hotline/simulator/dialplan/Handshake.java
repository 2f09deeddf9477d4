package dev.hotline.simulator.dialplan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the shipped dialplan ({@code docker/asterisk/extensions.conf}, contexts {@code hotline-return},
 * {@code hotline-outcome} and {@code hotline-fallback}) does when Hotline's {@code AGI()} returns, so tests see what a
 * real caller would get:
 * <ul>
 *   <li>{@code HOTLINE_HANDLED=1}: Hotline handed the call back on purpose; {@code HOTLINE_OUTCOME} says where
 *       (voicemail, transfer: the simulator ends the call there, as it has no voicemail or trunk; hangup, callback:
 *       hung up; fallback: the fallback queue).</li>
 *   <li>No marker, {@code AGISTATUS=FAILURE} and no {@code HOTLINE_CALL_ID}: Hotline was unreachable when the call
 *       arrived and never held it: the other engine once (the second of {@link #resumeUrls}), then the fallback
 *       queue at once.</li>
 *   <li>Otherwise no marker, whatever {@code AGISTATUS} says: Hotline lost the call. The dialplan re-enters Hotline at
 *       {@code resume} ({@link #resumeUrls}: this engine, then the other one when configured), waits
 *       {@link #pause} with hold music after each round, and after {@link #rounds} rounds sends the caller to the
 *       fallback queue.</li>
 *   <li>The fallback queue: hold music until the caller hangs up or {@link #fallbackWait} passes (then hung up,
 *       as {@code Queue(…,300)} and {@code Playback(ss-noservice)} would).</li>
 * </ul>
 * Before the first {@code AGI()} the dialplan sets {@code HOTLINE_ENTRY} to the script the call entered with.
 * What happened is left in the channel variable {@link #RESULT} ({@code outcome voicemail 100}, {@code fallback},
 * {@code hangup}…) for tests, and counted in {@link dev.hotline.simulator.model.Pbx.Stats}.
 *
 * @param contexts the contexts whose AGI hands calls back this way (inbound and the connect context)
 */
public record Handshake(Set<String> contexts, List<String> resumeUrls, int rounds, Duration pause,
                        Duration fallbackWait) {

    /** Where the simulator notes what the dialplan did with the call at the end. */
    public static final String RESULT = "SIM_HANDSHAKE";

    public Handshake {
        contexts = Set.copyOf(contexts);
        resumeUrls = List.copyOf(resumeUrls);
        resumeUrls.forEach(u -> dev.hotline.simulator.agi.AgiUrl.parse(u));
        if (rounds < 0) {
            throw new IllegalArgumentException("handshake rounds: " + rounds + " (expected: >= 0)");
        }
        Objects.requireNonNull(pause, "pause");
        Objects.requireNonNull(fallbackWait, "fallbackWait");
        if (pause.isNegative() || fallbackWait.isNegative()) {
            throw new IllegalArgumentException("handshake pause " + pause + ", fallbackWait " + fallbackWait
                    + " (expected: >= 0)");
        }
    }

    /** Shipped defaults: 15 rounds 1 s apart, 300 s in the fallback queue. */
    public static Handshake of(Set<String> contexts, List<String> resumeUrls) {
        return new Handshake(contexts, resumeUrls, 15, Duration.ofSeconds(1), Duration.ofSeconds(300));
    }

    public Handshake withRounds(int value, Duration pauseBetween) {
        return new Handshake(contexts, resumeUrls, value, pauseBetween, fallbackWait);
    }
}
