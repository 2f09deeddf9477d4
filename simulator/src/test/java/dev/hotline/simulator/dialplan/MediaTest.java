package dev.hotline.simulator.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaTest {

    private static final Duration LENGTH = Duration.ofMillis(700);

    @Test
    void aSoundsFolderGivesItsFilesAsStreamFileNamesThemAndNothingElse(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("en/digits"));
        Files.writeString(dir.resolve("en/welcome.wav"), "x");
        Files.writeString(dir.resolve("en/digits/1.gsm"), "x");
        Files.writeString(dir.resolve("queue-youarenext.ulaw"), "x");
        Media media = Media.folder(dir, LENGTH);
        assertThat(media.length("en/welcome")).contains(LENGTH);
        assertThat(media.length("en/digits/1")).contains(LENGTH);
        assertThat(media.length("queue-youarenext")).contains(LENGTH);
        assertThat(media.length("beep")).contains(Media.BEEP);
        assertThat(media.length("en/goodbye")).as("not in the folder: missing").isEmpty();
        assertThat(media.length("en/welcome.wav")).isEmpty();
    }

    @Test
    void aListAddsToAFolderWithoutChangingKnownLengths(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wav"), "x");
        Media media = Media.folder(dir, LENGTH).plus(List.of("a", "fr/b"), Duration.ofSeconds(9));
        assertThat(media.length("a")).contains(LENGTH);
        assertThat(media.length("fr/b")).contains(Duration.ofSeconds(9));
        assertThat(Media.files(List.of("x"), LENGTH).length("y")).isEmpty();
    }

    @Test
    void aFolderThatIsNotOneIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Media.folder(dir.resolve("nope"), LENGTH))
                .hasMessageContaining("sounds folder " + dir.resolve("nope") + ": not a folder");
    }
}
