package dev.hotline.qa;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one queue's calls are recorded: all of them, a sample, or none; and who may start or stop a recording during
 * a call. The sample is decided per call from a stable hash of the call id, so the same call gets the same answer
 * wherever it is asked (a call transferred to another queue with the same policy is not re-drawn differently, and
 * a test can predict it); over many calls the share recorded is the percentage.
 *
 * @param queue         queue name
 * @param mode          all, sample or none
 * @param samplePercent share of calls recorded in {@code sample} mode (1–99); 100 for all, 0 for none
 * @param onDemand      who may start or stop a recording during a call of this queue
 */
public record RecordingPolicy(String queue, Mode mode, int samplePercent, OnDemand onDemand) {

    private static final Pattern QUEUE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Whether a queue's calls are recorded. */
    public enum Mode { ALL, SAMPLE, NONE }

    /** Who takes part in a live call's recording decisions. */
    public enum Actor { AGENT, SUPERVISOR }

    /** Who may start and stop a recording while the call is going on. */
    public enum OnDemand {
        NONE, AGENT, SUPERVISOR, BOTH;

        public boolean allows(Actor actor) {
            return this == BOTH || actor == Actor.AGENT && this == AGENT
                    || actor == Actor.SUPERVISOR && this == SUPERVISOR;
        }
    }

    public RecordingPolicy {
        Objects.requireNonNull(queue, "queue");
        if (!QUEUE.matcher(queue).matches()) {
            throw new IllegalArgumentException("queue: '" + queue + "' (expected: 1-64 of a-z, 0-9, '-', '_')");
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(onDemand, "onDemand");
        switch (mode) {
            case ALL -> requirePercent(samplePercent, 100, 100, "all");
            case NONE -> requirePercent(samplePercent, 0, 0, "none");
            case SAMPLE -> requirePercent(samplePercent, 1, 99, "sample");
        }
    }

    private static void requirePercent(int value, int min, int max, String mode) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("samplePercent: " + value + " (expected: " + (min == max ? min
                    : min + "-" + max) + " in mode " + mode + ")");
        }
    }

    /** The policy a queue has when none was set: its {@code record:} flag of hotline.yaml, nothing on demand. */
    public static RecordingPolicy fromQueueFlag(String queue, boolean record) {
        return record ? new RecordingPolicy(queue, Mode.ALL, 100, OnDemand.NONE)
                : new RecordingPolicy(queue, Mode.NONE, 0, OnDemand.NONE);
    }

    /** A sample of {@code percent} % (0 is none, 100 is all). */
    public static RecordingPolicy sample(String queue, int percent, OnDemand onDemand) {
        Mode m = percent <= 0 ? Mode.NONE : percent >= 100 ? Mode.ALL : Mode.SAMPLE;
        return new RecordingPolicy(queue, m, Math.clamp(percent, 0, 100), onDemand);
    }

    /** Whether the call {@code callId} is recorded from the moment its agent answers. */
    public boolean records(String callId) {
        return switch (mode) {
            case ALL -> true;
            case NONE -> false;
            case SAMPLE -> bucket(callId) < samplePercent * 100;
        };
    }

    /**
     * The call's place in 0–9999: FNV-1a over the id's bytes, then a 64-bit finaliser (murmur3's fmix64) so that
     * ids differing only in their last characters (linkedids are timestamps) spread over the whole range.
     */
    static int bucket(String callId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : callId.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Math.floorMod(h, 10_000L);
    }

    /** {@code all}, {@code none} or {@code 30%}. */
    public String describe() {
        return switch (mode) {
            case ALL -> "all";
            case NONE -> "none";
            case SAMPLE -> samplePercent + "%";
        } + (onDemand == OnDemand.NONE ? "" : ", on demand by " + onDemand.name().toLowerCase(Locale.ROOT));
    }
}
