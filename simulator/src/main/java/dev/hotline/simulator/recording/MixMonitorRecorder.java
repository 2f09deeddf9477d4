package dev.hotline.simulator.recording;

import dev.hotline.simulator.clock.SimClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the simulator does for MixMonitor (the {@code MixMonitor} AMI action and {@code EXEC MixMonitor} over AGI):
 * when a recordings folder is set, each recording becomes a real, short WAV file there (8 kHz, 16-bit mono, a
 * 440 Hz tone), written when the recording stops ({@code StopMixMonitor}) or its channel hangs up, as Asterisk
 * closes its file then. The file lasts as long as the recording did, between {@link #MIN} and {@link #MAX}
 * (a demo's calls stay a few hundred kilobytes), and is silent where {@code MixMonitorMute} muted it. Without a
 * folder only the channel variable is set, as before.
 *
 * <p>File names are relative to the folder, as Asterisk's are to its monitor folder; one that would leave the
 * folder is refused. Files are written off the channel's event loop, to a temporary name, then moved in place.
 */
public final class MixMonitorRecorder {

    private static final Logger log = LoggerFactory.getLogger(MixMonitorRecorder.class);
    public static final Duration MIN = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofSeconds(8);
    static final int RATE = 8000;

    private final SimClock clock;
    private volatile Optional<Path> folder = Optional.empty();
    private final Map<String, Recording> active = new ConcurrentHashMap<>();

    public MixMonitorRecorder(SimClock clock) {
        this.clock = clock;
    }

    /** Where recordings are written (Asterisk's monitor folder); none by default. */
    public void writeInto(Path dir) {
        this.folder = Optional.of(dir.toAbsolutePath().normalize());
    }

    public Optional<Path> folder() {
        return folder;
    }

    /** One recording of one channel: when it started, and its muted stretches. */
    private static final class Recording {
        final Path file;
        final Instant started;
        final List<Instant[]> muted = new ArrayList<>();
        Instant mutedSince;

        Recording(Path file, Instant started) {
            this.file = file;
            this.started = started;
        }
    }

    /**
     * MixMonitor on {@code channel} into {@code file}: true when accepted. {@code ended} completes when the channel
     * is gone, which closes the recording.
     */
    public boolean start(String channel, String file, CompletableFuture<?> ended) {
        Optional<Path> dir = folder;
        if (dir.isEmpty()) {
            return true;
        }
        Path target = dir.get().resolve(file).normalize();
        if (!target.startsWith(dir.get()) || file.isBlank()) {
            log.warn("simulator: MixMonitor file {} is outside the recordings folder {}; not recorded", file,
                    dir.get());
            return false;
        }
        Recording r = new Recording(target, clock.wallTime());
        Recording before = active.put(channel, r);
        if (before != null) {
            finish(before, clock.wallTime());
        }
        ended.whenComplete((cause, e) -> stop(channel));
        return true;
    }

    /** StopMixMonitor: closes the channel's recording; false when it had none. */
    public boolean stop(String channel) {
        Recording r = active.remove(channel);
        if (r == null) {
            return false;
        }
        finish(r, clock.wallTime());
        return true;
    }

    /** MixMonitorMute: mutes or unmutes the channel's recording; false when it has none. */
    public boolean mute(String channel, boolean on) {
        Recording r = active.get(channel);
        if (r == null) {
            return folder.isEmpty();
        }
        synchronized (r) {
            Instant now = clock.wallTime();
            if (on && r.mutedSince == null) {
                r.mutedSince = now;
            } else if (!on && r.mutedSince != null) {
                r.muted.add(new Instant[] {r.mutedSince, now});
                r.mutedSince = null;
            }
        }
        return true;
    }

    private void finish(Recording r, Instant end) {
        List<Instant[]> muted;
        synchronized (r) {
            muted = new ArrayList<>(r.muted);
            if (r.mutedSince != null) {
                muted.add(new Instant[] {r.mutedSince, end});
            }
        }
        Thread.ofVirtual().name("simulator-recording").start(() -> {
            try {
                write(r.file, wav(r.started, end, muted));
            } catch (IOException e) {
                log.warn("simulator: could not write recording {}: {}", r.file, e.toString());
            }
        });
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A WAV of the recording from {@code start} to {@code end} (clamped to MIN–MAX), silent where muted. */
    static byte[] wav(Instant start, Instant end, List<Instant[]> muted) {
        Duration length = Duration.between(start, end);
        if (length.compareTo(MIN) < 0) {
            length = MIN;
        } else if (length.compareTo(MAX) > 0) {
            length = MAX;
        }
        int samples = (int) (length.toMillis() * RATE / 1000);
        int data = samples * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + data).put(new byte[] {'W', 'A', 'V', 'E'})
                .put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16)
                .put(new byte[] {'d', 'a', 't', 'a'}).putInt(data);
        long startMs = start.toEpochMilli();
        for (int i = 0; i < samples; i++) {
            long at = startMs + i * 1000L / RATE;
            boolean silent = muted.stream().anyMatch(m -> at >= m[0].toEpochMilli() && at < m[1].toEpochMilli());
            b.putShort(silent ? 0 : (short) (8000 * Math.sin(2 * Math.PI * 440 * i / RATE)));
        }
        return b.array();
    }
}
