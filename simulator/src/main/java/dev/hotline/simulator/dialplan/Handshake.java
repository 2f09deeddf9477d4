package dev.hotline.simulator.dialplan;

import dev.hotline.simulator.agi.AgiUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@link Mode#MARKER} — the handshake of issue 15 ({@code hotline-return} of the shipped dialplan): AGISTATUS
 *       is not trusted. A caller who hung up is gone (AGISTATUS=HANGUP). When {@code marker} is set, Hotline handed
 *       the call back on purpose: the outcome as above, and {@code fallback} to the fallback queue. Otherwise
 *       HOTLINE_ERROR sends the caller to the fallback; AGISTATUS=FAILURE with no {@code HOTLINE_CALL_ID} means
 *       Hotline was unreachable when the call arrived and never held it: with no other engine the fallback at
 *       once; with one ({@code otherResumeUrl}) that engine, then both round after round as below (the standby may
 *       be taking over: its {@code resume} starts the call at {@code HOTLINE_ENTRY}). Any other call without the marker is one Hotline lost: the
 *       dialplan re-enters Hotline at {@code resumeUrl}, then {@code otherResumeUrl}, for {@code rounds} rounds
 *       with {@code pause} of hold music between rounds, and only then the fallback queue.</li>
 * </ul>
 * Before the first AGI of {@code from-pstn} the marker dialplan sets {@code HOTLINE_ENTRY} (the script the call
 * entered with), and {@code ${CHANNEL(linkedid)}} in a URL is the call's linkedid.
 *
 * @param mode            which dialplan to imitate
 * @param marker          the channel variable Hotline sets when it hands a call back on purpose (MARKER mode)
 * @param resumeUrl       where a call Hotline lost re-enters Hotline ({@code ${EXTEN}} is substituted), if anywhere
 * @param fallbackWait    how long the fallback queue ({@code Queue(hotline-fallback,t,,,300)}) keeps a caller; the
 *                        simulator's fallback queue has no members, so the caller waits on hold music
 * @param voicemailLength how long a caller sent to VoiceMail() talks before hanging up
 * @param otherResumeUrl  the other engine's resume URL ({@code HOTLINE_AGI_OTHER}), if any
 * @param rounds          how many rounds of resume attempts before the fallback ({@code HOTLINE_RESUME_ROUNDS})
 * @param pause           hold music between rounds ({@code MusicOnHold(,1)})
 */
public record Handshake(Mode mode, String marker, Optional<String> resumeUrl, Duration fallbackWait,
                        Duration voicemailLength, Optional<String> otherResumeUrl, int rounds, Duration pause) {

    /** The variables the shipped dialplan reads. */
    public static final String OUTCOME = "HOTLINE_OUTCOME";
    public static final String TARGET = "HOTLINE_TARGET";
    public static final String ERROR = "HOTLINE_ERROR";
    public static final String DEFAULT_MARKER = "HOTLINE_HANDLED";
    /** Set by the simulated dialplan before it re-enters Hotline, so a call is resumed at most once per entry. */
    public static final String RESUME_TRIED = "HOTLINE_RESUME_TRIED";
    /** Set by the marker dialplan before the first AGI: the script the call entered Hotline with. */
    public static final String ENTRY = "HOTLINE_ENTRY";
    /** Set by Hotline when the call joins a queue: a call it held. */
    public static final String CALL_ID = "HOTLINE_CALL_ID";

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

        /**
         * {@code AGI(resume url)}: back to Hotline, after {@code pause} of hold music; {@code attempt} is the value
         * the dialplan's try counter ({@link #RESUME_TRIED}) takes.
         */
        record Resume(String url, Duration pause, int attempt) implements Route {
            /** The first attempt, at once. */
            public Resume(String url) {
                this(url, Duration.ZERO, 1);
            }
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
        Objects.requireNonNull(otherResumeUrl, "otherResumeUrl");
        otherResumeUrl.ifPresent(url -> AgiUrl.parse(url.replace("${EXTEN}", "s")));
        if (rounds < 1) {
            throw new IllegalArgumentException("handshake rounds: " + rounds + " (expected: >= 1)");
        }
        if (pause.isNegative() || fallbackWait.isNegative() || voicemailLength.isNegative()) {
            throw new IllegalArgumentException("handshake: fallbackWait " + fallbackWait + ", voicemailLength "
                    + voicemailLength + ", pause " + pause + " (expected: >= 0)");
        }
    }

    /** The dialplan shipped before issue 15: AGISTATUS decides (a 300 s fallback queue, 20 s voicemails). */
    public static Handshake shipped() {
        return new Handshake(Mode.AGISTATUS, DEFAULT_MARKER, Optional.empty(), Duration.ofSeconds(300),
                Duration.ofSeconds(20), Optional.empty(), 1, Duration.ZERO);
    }

    /**
     * The marker handshake: {@code marker} says Hotline handed the call back; lost calls re-enter at {@code resume}
     * once.
     */
    public static Handshake marker(String marker, Optional<String> resumeUrl) {
        return new Handshake(Mode.MARKER, marker, resumeUrl, Duration.ofSeconds(300), Duration.ofSeconds(20),
                Optional.empty(), 1, Duration.ZERO);
    }

    /**
     * {@code hotline-return} of docker/asterisk/extensions.conf: the marker {@code HOTLINE_HANDLED}; a lost call
     * resumed at {@code resumeUrl} then {@code otherResumeUrl}, {@code rounds} times with {@code pause} between
     * rounds (shipped: 15 rounds, 1 s), then the fallback queue.
     */
    public static Handshake hotline(String resumeUrl, Optional<String> otherResumeUrl, int rounds, Duration pause) {
        return new Handshake(Mode.MARKER, DEFAULT_MARKER, Optional.of(resumeUrl), Duration.ofSeconds(300),
                Duration.ofSeconds(20), otherResumeUrl, rounds, pause);
    }

    public Handshake withFallbackWait(Duration wait) {
        return new Handshake(mode, marker, resumeUrl, wait, voicemailLength, otherResumeUrl, rounds, pause);
    }

    public Handshake withVoicemailLength(Duration length) {
        return new Handshake(mode, marker, resumeUrl, fallbackWait, length, otherResumeUrl, rounds, pause);
    }

    /**
     * Where a call goes after AGI in a context of kind {@code after}.
     *
     * @param variables the channel's variables (AGISTATUS included)
     */
    public Route route(DialplanContext.AfterAgi after, Function<String, Optional<String>> variables) {
        String status = variables.apply("AGISTATUS").orElse("");
        String error = variables.apply(ERROR).orElse("");
        if (after == DialplanContext.AfterAgi.HOTLINE_CALLBACK) {
            return callback(status, error, variables);
        }
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
            if (variables.apply(OUTCOME).orElse("").equals("fallback")) {
                return new Route.Fallback(OUTCOME + "=fallback " + variables.apply(TARGET).orElse(""));
            }
            return outcome(variables);
        }
        if (!error.isEmpty()) {
            return new Route.Fallback(ERROR + "=" + error);
        }
        List<String> urls = new ArrayList<>(2);
        resumeUrl.ifPresent(urls::add);
        otherResumeUrl.ifPresent(urls::add);
        int total = rounds * urls.size();
        int tried = tried(variables.apply(RESUME_TRIED).orElse(""));
        if (tried == 0 && status.equals("FAILURE") && variables.apply(CALL_ID).orElse("").isEmpty()) {
            // Hotline unreachable when the call arrived: it never held it. One engine: the fallback at once. A pair:
            // the other engine, then both round after round (the standby may be taking over), as for a lost call.
            return otherResumeUrl.isPresent() ? new Route.Resume(otherResumeUrl.get(), Duration.ZERO, urls.size())
                    : new Route.Fallback("unreachable (AGISTATUS=FAILURE)");
        }
        if (tried < total) {
            boolean newRound = tried > 0 && tried % urls.size() == 0;
            return new Route.Resume(urls.get(tried % urls.size()), newRound ? pause : Duration.ZERO, tried + 1);
        }
        return new Route.Fallback("no " + marker + " (AGISTATUS=" + status + ")");
    }

    /**
     * {@code hotline-callback} of the shipped dialplan: an engine that ends an attempt hangs the agent's channel up
     * or sets HOTLINE_ERROR; a channel still here means its engine stopped. With no other engine: Hangup. A pair: the
     * other engine's {@code callback?id=${EXTEN}&dialstatus=${DIALSTATUS}} (same host and port as
     * {@code otherResumeUrl}), then the first engine's ({@code resumeUrl}'s), for {@code rounds} rounds with
     * {@code pause} between rounds, then Hangup. The try counter is {@link #RESUME_TRIED}.
     */
    private Route callback(String status, String error, Function<String, Optional<String>> variables) {
        if (status.equals("HANGUP") || !error.isEmpty() || otherResumeUrl.isEmpty() || resumeUrl.isEmpty()) {
            return new Route.Hangup();
        }
        int tried = tried(variables.apply(RESUME_TRIED).orElse(""));
        if (tried >= rounds * 2) {
            return new Route.Hangup();
        }
        String dialStatus = variables.apply("DIALSTATUS").orElse("");
        String engine = tried % 2 == 0 ? otherResumeUrl.get() : resumeUrl.get();
        AgiUrl base = AgiUrl.parse(engine.replace("${EXTEN}", "s").replace(DialplanContext.LINKEDID, "s"));
        String url = "agi://" + base.host() + ":" + base.port() + "/callback?id=${EXTEN}&dialstatus=" + dialStatus;
        boolean newRound = tried > 0 && tried % 2 == 0;
        return new Route.Resume(url, newRound ? pause : Duration.ZERO, tried + 1);
    }

    private static int tried(String value) {
        try {
            return value.isEmpty() ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;   // unknown: no more attempts
        }
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
