package dev.hotline.records.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedLockTest {

    @TempDir
    Path dir;

    private Path lock(String server) throws Exception {
        Path db = dir.resolve("records");
        Path file = EmbeddedLock.lockFile(db);
        Files.writeString(file, "#FileLock\nid=1a2b3c\nmethod=file\n" + (server == null ? "" : "server=" + server
                .replace(":", "\\:") + "\n"));
        return file;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aLockWhoseServerRefusesConnectionsIsLeftByADeadEngineAndRemoved() throws Exception {
        Path file = lock("127.0.0.1:" + closedPort());

        assertThat(EmbeddedLock.clearStale(dir.resolve("records"))).hasValueSatisfying(m ->
                assertThat(m).contains("records.lock.db").contains("refuses connections"));
        assertThat(file).doesNotExist();
    }

    @Test
    void aLockWhoseServerAnswersBelongsToARunningEngineAndStays() throws Exception {
        try (ServerSocket live = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path file = lock("127.0.0.1:" + live.getLocalPort());

            assertThat(EmbeddedLock.clearStale(dir.resolve("records"))).isEmpty();
            assertThat(file).exists();
        }
    }

    @Test
    void aLockWithoutServerAddressIsLeftToH2() throws Exception {
        Path file = lock(null);

        assertThat(EmbeddedLock.clearStale(dir.resolve("records"))).isEmpty();
        assertThat(file).exists();
        assertThat(EmbeddedLock.clearStale(dir.resolve("absent"))).isEmpty();
    }
}
