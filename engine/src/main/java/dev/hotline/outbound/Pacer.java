package dev.hotline.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * The predictive dialler's pace: how many calls to start now so agents wait little while the abandon rate stays
 * under the cap.
 *
 * <p><b>Measurements</b> (rolling, over {@link Settings#window()}): the answer rate {@code p} = live answers / finished
 * attempts among the latest {@value #RATE_SAMPLES} (machines, busy, no answer and failures count as not answered); the mean time from dial to answer; the
 * mean handle time (talk + wrap-up) of connected calls; the abandon rate = abandoned / live answers (an abandon is
 * a person who answered and had no agent within 2 s). Before {@link Settings#minSamples()} attempts the answer rate
 * is {@link Settings#initialAnswerRate()}.
 *
 * <p><b>Plan</b>: agents who will be free when a call dialled now is answered ({@code A}) = free agents + the busy agents
 * expected to end their call within one mean time-to-answer, from the distribution of recent handle times. Progressive pace keeps one call in
 * flight per free agent ({@code free - inFlight}). Predictive pace keeps the most calls in flight {@code n} for
 * which the answers expected beyond the agents, {@code E[max(0, X - A)]} with {@code X ~ Binomial(n, p)}, stay
 * within {@code g × cap} of the answers expected ({@code n p}). The gain {@code g} is 1 while the measured abandon
 * rate is at most half the cap, falls linearly to 0 at {@link Settings#brake()} × cap, and is 0 above it — the
 * fall-back to progressive pace when the cap is at risk; it also ramps up from 0 over the first
 * {@value #RAMP_LIVE_ANSWERS} live answers in the window. Every plan says why, for logs and the page.
 *
 * <p>Pure and single-threaded: the caller feeds it outcomes and asks for plans, with its own clock.
 */
public final class Pacer {

    /**
     * @param abandonCapPct     the abandon cap, percent of live answers (default 3)
     * @param window            the rolling window of the measurements (default 1 h)
     * @param minSamples        attempts before the measured answer rate replaces the initial one
     * @param initialAnswerRate the answer rate assumed at the start (0 &lt; p ≤ 1)
     * @param brake             the fraction of the cap at which the pace is fully progressive (0.5 &lt; brake ≤ 1)
     * @param maxRatio          never more than this many calls in flight per available agent
     */
    public record Settings(double abandonCapPct, Duration window, int minSamples, double initialAnswerRate,
                           double brake, double maxRatio) {
        public Settings {
            if (!(abandonCapPct > 0 && abandonCapPct <= 50)) {
                throw new IllegalArgumentException("abandon_cap: " + abandonCapPct + "% (expected: above 0, at most 50)");
            }
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("abandon window: " + window + " (expected: at least 1 minute)");
            }
            if (minSamples < 1) {
                throw new IllegalArgumentException("minSamples: " + minSamples + " (expected: >= 1)");
            }
            if (!(initialAnswerRate > 0 && initialAnswerRate <= 1)) {
                throw new IllegalArgumentException("initialAnswerRate: " + initialAnswerRate + " (expected: 0 < p <= 1)");
            }
            if (!(brake > 0.5 && brake <= 1)) {
                throw new IllegalArgumentException("brake: " + brake + " (expected: 0.5 < brake <= 1)");
            }
            if (!(maxRatio >= 1 && maxRatio <= 10)) {
                throw new IllegalArgumentException("maxRatio: " + maxRatio + " (expected: 1-10)");
            }
        }

        /** A 3 % cap over a rolling hour. */
        public static Settings defaults() {
            return withCap(3.0);
        }

        public static Settings withCap(double capPct) {
            return new Settings(capPct, Duration.ofHours(1), 30, 0.3, 0.7, 5);
        }

        /** These settings with another cap. */
        public Settings capped(double capPct) {
            return new Settings(capPct, window, minSamples, initialAnswerRate, brake, maxRatio);
        }
    }

    /**
     * What to do now.
     *
     * @param dial        calls to start now (0 or more)
     * @param gain        0 = progressive pace, 1 = full predictive pace
     * @param answerRate  the answer rate used
     * @param abandonPct  the abandon rate over the window, percent
     * @param why         the explanation
     */
    public record Plan(int dial, double gain, double answerRate, double abandonPct, String why) {
    }

    /** Live answers in the window before the full predictive pace is allowed (the pace ramps up to it). */
    static final int RAMP_LIVE_ANSWERS = 100;
    /** The answer rate is measured over this many latest attempts. */
    static final int RATE_SAMPLES = 150;

    private record Attempt(Instant at, boolean live, long ringMillis) {
    }

    private record Live(Instant at, boolean abandoned) {
    }

    private record Handle(Instant at, long millis) {
    }

    private final Settings settings;
    private final ArrayDeque<Attempt> attempts = new ArrayDeque<>();
    private final ArrayDeque<Live> lives = new ArrayDeque<>();
    private final ArrayDeque<Handle> handles = new ArrayDeque<>();
    private long liveRingMillis;
    private int liveCount;
    private int abandonCount;
    private long handleMillis;
    /** The window's handle times, sorted; rebuilt when they change. */
    private long[] sortedHandles;

    public Pacer(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Settings settings() {
        return settings;
    }

    /** An attempt ended: answered by a person or not, after {@code ring} from the dial. */
    public void attempted(Instant at, Outcome outcome, Duration ring) {
        if (outcome == Outcome.SKIPPED || outcome == Outcome.DO_NOT_CALL) {
            return;
        }
        Attempt a = new Attempt(at, outcome.liveAnswer(), ring.toMillis());
        attempts.addLast(a);
        if (a.live()) {
            liveRingMillis += a.ringMillis();
            liveCount++;
            boolean abandoned = outcome == Outcome.ABANDONED;
            lives.addLast(new Live(at, abandoned));
            if (abandoned) {
                abandonCount++;
            }
        }
    }

    /** A connected call's handle time (talk + wrap-up) is known. */
    public void handled(Instant at, Duration handle) {
        handles.addLast(new Handle(at, handle.toMillis()));
        handleMillis += handle.toMillis();
        sortedHandles = null;
    }

    private void expire(Instant now) {
        Instant horizon = now.minus(settings.window());
        while (!attempts.isEmpty() && attempts.peekFirst().at().isBefore(horizon)) {
            Attempt a = attempts.removeFirst();
            if (a.live()) {
                liveRingMillis -= a.ringMillis();
                liveCount--;
            }
        }
        while (!lives.isEmpty() && lives.peekFirst().at().isBefore(horizon)) {
            if (lives.removeFirst().abandoned()) {
                abandonCount--;
            }
        }
        while (!handles.isEmpty() && handles.peekFirst().at().isBefore(horizon)) {
            handleMillis -= handles.removeFirst().millis();
            sortedHandles = null;
        }
    }

    /**
     * The busy agents expected to be free within {@code within}: for each, the share of recent handle times longer
     * than their call so far that end within {@code within} more ({@code P(H <= e + w | H > e)}, from the window's
     * handle times, so long-tailed talk times are not mistaken for calls about to end). None before any handle
     * time is known.
     */
    private double expectedFreeing(Instant now, List<Duration> busyFor, Duration within) {
        expire(now);
        if (handles.isEmpty() || busyFor.isEmpty()) {
            return 0;
        }
        if (sortedHandles == null) {
            sortedHandles = handles.stream().mapToLong(Handle::millis).sorted().toArray();
        }
        double sum = 0;
        for (Duration d : busyFor) {
            long e = d.toMillis();
            int longer = sortedHandles.length - upperBound(sortedHandles, e);
            if (longer == 0) {
                sum += 1;   // longer than any recent call: expected to end any moment
                continue;
            }
            int endingSoon = upperBound(sortedHandles, e + within.toMillis()) - upperBound(sortedHandles, e);
            sum += (double) endingSoon / longer;
        }
        return sum;
    }

    /** The index of the first value above {@code key}. */
    private static int upperBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code E[max(0, X - agents)]} for {@code X ~ Binomial(n, p)}: the answers expected beyond the agents. Weights are
     * built outwards from the mode and normalised, so large {@code n} does not underflow.
     */
    static double expectedExcess(int n, double p, int agents) {
        if (n <= agents) {
            return 0;
        }
        if (p >= 1) {
            return n - agents;
        }
        int mode = (int) Math.min(n, Math.floor((n + 1) * p));
        double[] w = new double[n + 1];
        w[mode] = 1;
        double odds = p / (1 - p);
        for (int k = mode + 1; k <= n; k++) {
            w[k] = w[k - 1] * (n - k + 1) / k * odds;
        }
        for (int k = mode - 1; k >= 0; k--) {
            w[k] = w[k + 1] * (k + 1) / (n - k) / odds;
        }
        double sum = 0;
        double excess = 0;
        for (int k = 0; k <= n; k++) {
            sum += w[k];
            if (k > agents) {
                excess += w[k] * (k - agents);
            }
        }
        return excess / sum;
    }

    /** The answer rate in use at {@code now}. */
    public double answerRate(Instant now) {
        expire(now);
        if (attempts.size() < settings.minSamples()) {
            return settings.initialAnswerRate();
        }
        // The latest RATE_SAMPLES attempts only: answer rates move through the day, and a rate that lags a rise
        // over-dials straight into abandons.
        int n = 0;
        int live = 0;
        var it = attempts.descendingIterator();
        while (it.hasNext() && n < RATE_SAMPLES) {
            n++;
            if (it.next().live()) {
                live++;
            }
        }
        return Math.max(0.02, (double) live / n);
    }

    /** Abandoned calls, percent of live answers, over the window. */
    public double abandonPct(Instant now) {
        expire(now);
        return lives.isEmpty() ? 0 : 100.0 * abandonCount / lives.size();
    }

    /** Mean dial-to-answer time of answered calls over the window (20 s before any). */
    public Duration meanTimeToAnswer(Instant now) {
        expire(now);
        return liveCount == 0 ? Duration.ofSeconds(20) : Duration.ofMillis(liveRingMillis / liveCount);
    }

    /** Mean handle time over the window (empty before any). */
    public java.util.Optional<Duration> meanHandle(Instant now) {
        expire(now);
        return handles.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(Duration.ofMillis(handleMillis / handles.size()));
    }

    /**
     * The plan at {@code now}: {@code free} agents ready with no call reserved for them, {@code busyFor} how long
     * each busy agent has been on their current call (talk or wrap-up), {@code inFlight} calls ringing (not yet
     * answered or failed).
     */
    public Plan plan(Instant now, int free, List<Duration> busyFor, int inFlight) {
        double p = answerRate(now);
        double abandon = abandonPct(now);
        Duration tta = meanTimeToAnswer(now);
        double soonExpected = expectedFreeing(now, busyFor, tta);
        int soon = (int) Math.floor(soonExpected);
        double risk = abandon / settings.abandonCapPct();
        double gain = risk <= 0.5 ? 1 : risk >= settings.brake() ? 0 : (settings.brake() - risk) / (settings.brake() - 0.5);
        // Few live answers in the window: one abandon would be a large share of them. Start progressive and let the
        // pace grow with the evidence, so a fresh campaign cannot spend its whole abandon budget in the first minute.
        double confidence = Math.min(1, lives.size() / (double) RAMP_LIVE_ANSWERS);
        gain = Math.min(gain, confidence);
        int progressive = Math.max(0, free - inFlight);
        int available = free + soon;
        double allowed = settings.abandonCapPct() / 100 * gain;
        int dial = progressive;
        if (gain > 0 && available > 0) {
            // The most calls in flight whose expected excess answers (answers beyond the agents there to take them)
            // stay within the allowed share of the expected answers: monotonic in n, so a binary search.
            int lo = Math.max(progressive + inFlight, 0);
            int hi = (int) Math.ceil(available * settings.maxRatio());
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (expectedExcess(mid, p, available) <= allowed * mid * p) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            dial = Math.max(progressive, lo - inFlight);
        }
        String why = String.format(java.util.Locale.ROOT,
                "free %d, freeing soon %d, in flight %d, answer rate %.0f%%, abandons %.1f%% of cap %.1f%% → gain %.2f"
                        + " (%s), dial %d", free, soon, inFlight, p * 100, abandon, settings.abandonCapPct(), gain,
                gain == 0 && risk >= settings.brake() ? "progressive: cap at risk"
                        : confidence < 1 && gain == confidence ? "ramping up: " + lives.size() + " live answers so far"
                        : gain < 1 ? "slowing: abandons rising" : "predictive", dial);
        return new Plan(dial, gain, p, abandon, why);
    }
}
