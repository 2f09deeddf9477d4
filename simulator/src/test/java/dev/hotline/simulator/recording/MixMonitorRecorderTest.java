package dev.hotline.simulator.recording;

import dev.hotline.simulator.clock.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulator's MixMonitor files: real WAVs, as long as the recording (within bounds), silent where muted. */
class MixMonitorRecorderTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));

    @TempDir
    Path dir;

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Waits for the file, written off the caller's thread, and reads it. */
    static byte[] awaitFile(Path p) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!Files.exists(p) && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(p).exists();
        return Files.readAllBytes(p);
    }

    @Test
    void aRecordingIsAWavAsLongAsItLastedSilentWhereMuted() throws Exception {
        MixMonitorRecorder r = new MixMonitorRecorder(clock);
        r.writeInto(dir);
        assertThat(r.start("PJSIP/trunk-00000001", "hotline/2026/11/23/c1-1001.wav", new CompletableFuture<>()))
                .isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(r.mute("PJSIP/trunk-00000001", true)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.mute("PJSIP/trunk-00000001", false)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(r.stop("PJSIP/trunk-00000001")).isTrue();
        assertThat(r.stop("PJSIP/trunk-00000001")).as("already stopped").isFalse();

        byte[] wav = awaitFile(dir.resolve("hotline/2026/11/23/c1-1001.wav"));
        ByteBuffer b = le(wav);
        assertThat(new String(wav, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 8)).isEqualTo("WAVEfmt ");
        assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(b.getShort(22)).as("mono").isEqualTo((short) 1);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(8000);
        assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
        assertThat(b.getInt(40)).as("4 s of 16-bit samples").isEqualTo(4 * 8000 * 2);
        assertThat(wav).hasSize(44 + 4 * 8000 * 2);
        // Second 2 to 3 was muted: silence; the seconds around it carry the tone.
        int loud = 0;
        for (int i = 0; i < 8000; i++) {
            assertThat(b.getShort(44 + 2 * (2 * 8000 + i))).isZero();
            loud += b.getShort(44 + 2 * (1 * 8000 + i)) != 0 ? 1 : 0;
        }
        assertThat(loud).isGreaterThan(7000);
    }

    @Test
    void theChannelsHangUpClosesTheRecordingAndLengthIsBounded() throws Exception {
        MixMonitorRecorder r = new MixMonitorRecorder(clock);
        r.writeInto(dir);
        CompletableFuture<String> ended = new CompletableFuture<>();
        r.start("PJSIP/a", "hotline/short.wav", ended);
        ended.complete("hangup");
        assertThat(awaitFile(dir.resolve("hotline/short.wav"))).as("at least a second").hasSize(44 + 8000 * 2);
        r.start("PJSIP/b", "hotline/long.wav", new CompletableFuture<>());
        clock.advance(Duration.ofMinutes(5));
        r.stop("PJSIP/b");
        assertThat(awaitFile(dir.resolve("hotline/long.wav"))).as("at most 8 s").hasSize(44 + 8 * 8000 * 2);
    }

    @Test
    void aFileOutsideTheFolderIsRefusedAndWithoutAFolderNothingIsWritten() throws Exception {
        MixMonitorRecorder none = new MixMonitorRecorder(clock);
        assertThat(none.start("PJSIP/a", "x.wav", new CompletableFuture<>())).isTrue();
        assertThat(none.stop("PJSIP/a")).isFalse();
        MixMonitorRecorder r = new MixMonitorRecorder(clock);
        r.writeInto(dir.resolve("monitor"));
        assertThat(r.start("PJSIP/a", "../escape.wav", new CompletableFuture<>())).isFalse();
        assertThat(r.mute("PJSIP/a", true)).as("no recording to mute").isFalse();
        assertThat(dir.resolve("escape.wav")).doesNotExist();
    }
}
