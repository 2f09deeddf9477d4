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

    /** Exactly {@code names} exist (e.g. {@code en/welcome}), each lasting {@code length}; {@code beep} as recorded. */
    public static Media files(java.util.Collection<String> names, Duration length) {
        Map<String, Duration> files = new java.util.HashMap<>();
        files.put("beep", BEEP);
        names.forEach(name -> files.put(name, length));
        return new Media(files, Optional.empty());
    }

    /**
     * The sound files of an Asterisk sounds folder ({@code /var/lib/asterisk/sounds}): every file under it, named as
     * STREAM FILE names it — its path without the extension ({@code en/welcome.wav} → {@code en/welcome}) — each
     * lasting {@code length}.
     *
     * @throws java.io.UncheckedIOException when the folder cannot be read
     */
    public static Media folder(java.nio.file.Path dir, Duration length) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new IllegalArgumentException("sounds folder " + dir + ": not a folder");
        }
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
            java.util.List<String> names = walk.filter(java.nio.file.Files::isRegularFile)
                    .map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .map(name -> name.lastIndexOf('.') > name.lastIndexOf('/')
                            ? name.substring(0, name.lastIndexOf('.')) : name)
                    .toList();
            return files(names, length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("sounds folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The same files, plus {@code more}. */
    public Media plus(java.util.Collection<String> more, Duration length) {
        Map<String, Duration> all = new java.util.HashMap<>(files);
        more.forEach(name -> all.putIfAbsent(name, length));
        return new Media(all, otherFiles);
    }

    public Optional<Duration> length(String file) {
        Duration known = files.get(file);
        return known != null ? Optional.of(known) : otherFiles;
    }

    public static long samples(Duration played) {
        return played.toMillis() * 8;
    }
}
