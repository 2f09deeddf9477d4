package dev.hotline.qa;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class RecordingFilesTest {

    @Test
    void aRecordingIsNamedByDayCallAndAgent() {
        assertThat(RecordingFiles.fileFor(LocalDate.of(2026, 11, 3), "pbx1-1732.42", "1001"))
                .isEqualTo("hotline/2026/11/03/pbx1-1732.42-1001.wav");
        assertThat(RecordingFiles.fileFor(LocalDate.of(2026, 1, 9), "a/b c", "x;y"))
                .isEqualTo("hotline/2026/01/09/a_b_c-x_y.wav");
    }

    @Test
    void onlyNamesInsideTheFolderResolve(@org.junit.jupiter.api.io.TempDir Path root) {
        assertThat(RecordingFiles.resolve(root, "hotline/2026/11/03/c-1001.wav"))
                .contains(root.toAbsolutePath().normalize().resolve("hotline/2026/11/03/c-1001.wav"));
        assertThat(RecordingFiles.resolve(root, "../secret.wav")).isEmpty();
        assertThat(RecordingFiles.resolve(root, "hotline/../../secret.wav")).isEmpty();
        assertThat(RecordingFiles.resolve(root, "/etc/passwd")).isEmpty();
        assertThat(RecordingFiles.resolve(root, "hotline/a b.wav")).isEmpty();
        assertThat(RecordingFiles.resolve(root, ".")).isEmpty();
        assertThat(RecordingFiles.resolve(root, "")).isEmpty();
        assertThat(RecordingFiles.resolve(root, null)).isEmpty();
    }

    @Test
    void theBrowserIsToldTheAudioType() {
        assertThat(RecordingFiles.contentType("x.WAV")).isEqualTo("audio/wav");
        assertThat(RecordingFiles.contentType("x.mp3")).isEqualTo("audio/mpeg");
        assertThat(RecordingFiles.contentType("x.gsm")).isEqualTo("application/octet-stream");
    }
}
