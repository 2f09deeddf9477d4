package dev.hotline.records.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded database's lock file ({@code records.lock.db}) after a crash.
 *
 * <p>Why this exists: H2 opens its file under a cooperative lock file. When the owner is killed (kill -9, power
 * loss) the file stays, and the next open first retries the dead owner's AUTO_SERVER port for up to 2 s, then waits
 * until the file is 2 s old and sleeps another 2 s to see whether anybody rewrites it: about 3.5 s in which the
 * database "does not answer" (measured on H2 2.3.232; longer than the pool's 3 s connection timeout). A live
 * engine always has its AUTO_SERVER listening at the address in the file, so a refused connection there proves the
 * owner is gone; the file is then removed and the next open takes the lock at once. In every other case (no
 * server address yet, the address answers or times out, the file changed meanwhile) the file is left to H2.
 */
public final class EmbeddedLock {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedLock.class);
    private static final int PROBE_TIMEOUT_MS = 500;

    private EmbeddedLock() {
    }

    /** The lock file of the database whose file name without extension is {@code database}. */
    public static Path lockFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".lock.db");
    }

    /**
     * Removes the lock file of {@code database} (file name without extension) when its owner is provably gone.
     *
     * @return what was done, for the log; empty when there was nothing to do or the file was left alone
     */
    public static Optional<String> clearStale(Path database) {
        Path file = lockFile(database);
        Properties before;
        try {
            before = read(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.debug("embedded database lock {}: unreadable ({}); left to H2", file, e.toString());
            return Optional.empty();
        }
        String server = before.getProperty("server");
        if (server == null || server.lastIndexOf(':') < 1) {
            return Optional.empty();   // an owner that is still starting, or no AUTO_SERVER: H2 decides
        }
        String host = server.substring(0, server.lastIndexOf(':'));
        int port;
        try {
            port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (answers(host, port)) {
            return Optional.empty();
        }
        try {
            // Only the file we judged: an owner that started meanwhile wrote a new id.
            if (!before.equals(read(file))) {
                return Optional.empty();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("embedded database lock {}: cannot remove ({}); left to H2", file, e.toString());
            return Optional.empty();
        }
        String done = "removed " + file + ", left by an engine that stopped without closing the database (its"
                + " server at " + server + " refuses connections)";
        log.info("embedded database: {}", done);
        return Optional.of(done);
    }

    /** False only when the address refuses the connection: nothing listens there. */
    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return true;   // a timeout or an unknown host proves nothing
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
