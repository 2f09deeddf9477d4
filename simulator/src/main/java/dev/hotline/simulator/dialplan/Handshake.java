package dev.hotline.simulator.dialplan;

import dev.hotline.simulator.agi.AgiUrl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the simulated dialplan reads what Hotline left on the channel when a FastAGI session of one of Hotline's
 * contexts ends ({@link DialplanContext.AfterAgi}), i.e. the lines after {@code AGI()} in
 * {@code docker/asterisk/extensions.conf}. Pure data and a pure decision, so a test can check every row of the
 * table in docs/SIMULATOR.md without a socket.
 *
 * <ul>
 *   <li>{@link Mode#AGISTATUS} — the shipped dialplan of today: {@code from-pstn} goes to the fallback queue when
 *       AGISTATUS is FAILURE or HOTLINE_ERROR is set, {@code hotline-connect} when AGISTATUS is FAILURE; otherwise
 *       {@code hotline-outcome}: HOTLINE_OUTCOME {@code voicemail} or {@code transfer} (to HOTLINE_TARGET), else
 *       Hangup.</li>
 *   <li>{@link Mode#MARKER} — the handshake of issue 15: AGISTATUS is not trusted. A caller who hung up is gone
 *       (AGISTATUS=HANGUP). When {@code marker} is set, Hotline handed the call back on purpose: the outcome as
 *       above. Otherwise HOTLINE_ERROR sends the caller to the fallback; with no marker Hotline lost the call, so the
 *       dialplan re-enters Hotline once at {@code resumeUrl} (when one is configured), and only if that session
 *       also ends without the marker, the fallback queue.</li>
 * </ul>
 *
 * @param mode            which dialplan to imitate
 * @param marker          the channel variable Hotline sets when it hands a call back on purpose (MARKER mode)
 * @param resumeUrl       where a call Hotline lost re-enters Hotline ({@code ${EXTEN}} is substituted), if anywhere
 * @param fallbackWait    how long the fallback queue ({@code Queue(hotline-fallback,t,,,300)}) keeps a caller; the
 *                        simulator's fallback queue has no members, so the caller waits on hold music
 * @param voicemailLength how long a caller sent to VoiceMail() talks before hanging up
 */
public record Handshake(Mode mode, String marker, Optional<String> resumeUrl, Duration fallbackWait,
                        Duration voicemailLength) {

    /** The variables the shipped dialplan reads. */
    public static final String OUTCOME = "HOTLINE_OUTCOME";
    public static final String TARGET = "HOTLINE_TARGET";
    public static final String ERROR = "HOTLINE_ERROR";
    public static final String DEFAULT_MARKER = "HOTLINE_HANDLED";
    /** Set by the simulated dialplan before it re-enters Hotline, so a call is resumed at most once per entry. */
    public static final String RESUME_TRIED = "HOTLINE_RESUME_TRIED";

    public enum Mode { AGISTATUS, MARKER }

    /** Where the call goes next. */
    public sealed interface Route {
        /** {@code Hangup()}: the end of {@code hotline-outcome} when Hotline set no outcome. */
        record Hangup() implements Route {
        }

        /** {@code hotline-fallback}: Hotline unreachable or lost the call. */
        record Fallback(String why) implements Route {
        }

        /** {@code VoiceMail(box,u)}. */
        record Voicemail(String box) implements Route {
        }

        /** {@code hotline-transfer,target,1}. */
        record Transfer(String target) implements Route {
        }

        /** {@code AGI(resume url)}: back to Hotline. */
        record Resume(String url) implements Route {
        }
    }

    public Handshake {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(marker, "marker");
        Objects.requireNonNull(resumeUrl, "resumeUrl");
        if (marker.isBlank() || !marker.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("handshake marker: '" + marker
                    + "' (expected: a channel variable name such as HOTLINE_HANDLED)");
        }
        resumeUrl.ifPresent(url -> AgiUrl.parse(url.replace("${EXTEN}", "s")));
        if (fallbackWait.isNegative() || voicemailLength.isNegative()) {
            throw new IllegalArgumentException("handshake: fallbackWait " + fallbackWait + ", voicemailLength "
                    + voicemailLength + " (expected: >= 0)");
        }
    }

    /** The dialplan shipped today: AGISTATUS decides (a 300 s fallback queue, 20 s voicemails). */
    public static Handshake shipped() {
        return new Handshake(Mode.AGISTATUS, DEFAULT_MARKER, Optional.empty(), Duration.ofSeconds(300),
                Duration.ofSeconds(20));
    }

    /** The marker handshake: {@code marker} says Hotline handed the call back; lost calls re-enter at {@code resume}. */
    public static Handshake marker(String marker, Optional<String> resumeUrl) {
        return new Handshake(Mode.MARKER, marker, resumeUrl, Duration.ofSeconds(300), Duration.ofSeconds(20));
    }

    public Handshake withFallbackWait(Duration wait) {
        return new Handshake(mode, marker, resumeUrl, wait, voicemailLength);
    }

    public Handshake withVoicemailLength(Duration length) {
        return new Handshake(mode, marker, resumeUrl, fallbackWait, length);
    }

    /**
     * Where a call goes after AGI in a context of kind {@code after}.
     *
     * @param variables the channel's variables (AGISTATUS included)
     */
    public Route route(DialplanContext.AfterAgi after, Function<String, Optional<String>> variables) {
        String status = variables.apply("AGISTATUS").orElse("");
        String error = variables.apply(ERROR).orElse("");
        if (mode == Mode.AGISTATUS) {
            if (status.equals("FAILURE")) {
                return new Route.Fallback("AGISTATUS=FAILURE");
            }
            if (after == DialplanContext.AfterAgi.HOTLINE_MAIN && !error.isEmpty()) {
                return new Route.Fallback(ERROR + "=" + error);
            }
            return outcome(variables);
        }
        if (status.equals("HANGUP")) {
            return new Route.Hangup();
        }
        if (!variables.apply(marker).orElse("").isEmpty()) {
            return outcome(variables);
        }
        if (!error.isEmpty()) {
            return new Route.Fallback(ERROR + "=" + error);
        }
        if (resumeUrl.isPresent() && variables.apply(RESUME_TRIED).isEmpty()) {
            return new Route.Resume(resumeUrl.get());
        }
        return new Route.Fallback("no " + marker + " (AGISTATUS=" + status + ")");
    }

    private static Route outcome(Function<String, Optional<String>> variables) {
        String target = variables.apply(TARGET).orElse("");
        return switch (variables.apply(OUTCOME).orElse("")) {
            case "voicemail" -> new Route.Voicemail(target.contains("@") ? target : target + "@hotline");
            case "transfer" -> new Route.Transfer(target);
            default -> new Route.Hangup();
        };
    }
}
