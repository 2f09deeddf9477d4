package dev.hotline.simulator.dialplan;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The sound files the simulated Asterisk "has", with their length. Playback takes that long (8 kHz samples:
 * {@code endpos} = milliseconds × 8). Files not listed last {@code otherFiles}; when that is empty they are
 * missing, and STREAM FILE answers {@code 200 result=-1 endpos=0} as Asterisk does for a file it cannot open.
 */
public record Media(Map<String, Duration> files, Optional<Duration> otherFiles) {

    /** {@code beep} as recorded: 250 ms, {@code endpos=2000}. */
    public static final Duration BEEP = Duration.ofMillis(250);

    public Media {
        files = Map.copyOf(files);
        files.forEach((name, length) -> {
            if (length.isNegative()) {
                throw new IllegalArgumentException("media " + name + ": length " + length + " (expected: >= 0)");
            }
        });
    }

    /** Every file exists; {@code beep} lasts 250 ms, any other file {@code otherFiles}. */
    public static Media everyFile(Duration otherFiles) {
        return new Media(Map.of("beep", BEEP), Optional.of(otherFiles));
    }

    /** Only the listed files exist. */
    public static Media only(Map<String, Duration> files) {
        return new Media(files, Optional.empty());
    }

    public Optional<Duration> length(String file) {
        Duration known = files.get(file);
        return known != null ? Optional.of(known) : otherFiles;
    }

    public static long samples(Duration played) {
        return played.toMillis() * 8;
    }
}
