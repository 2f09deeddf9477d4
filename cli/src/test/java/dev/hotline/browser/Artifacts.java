package dev.hotline.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The folder a browser test class saves its screenshots and diagnostics in,
 * {@code cli/target/browser-artifacts/<test class>/}, with files numbered in the order they were taken:
 * {@code 03-agent-offer.png}.
 */
public final class Artifacts {

    private final Path dir;
    private final AtomicInteger counter = new AtomicInteger();

    private Artifacts(Path dir) {
        this.dir = dir;
    }

    /** A fresh (emptied) folder for {@code testClass} under the module's {@code target/browser-artifacts}. */
    public static Artifacts forClass(Class<?> testClass) throws IOException {
        Path root = Path.of(System.getProperty("basedir", "."), "target", "browser-artifacts");
        Path dir = root.resolve(testClass.getSimpleName()).toAbsolutePath().normalize();
        if (Files.isDirectory(dir)) {
            ChromeDriver.deleteTree(dir);
        }
        return new Artifacts(Files.createDirectories(dir));
    }

    public Path dir() {
        return dir;
    }

    /** The path of the next artifact, e.g. {@code next("agent", "offer", "png")} → {@code 03-agent-offer.png}. */
    public Path next(String session, String step, String extension) {
        String name = String.format("%02d-%s-%s.%s", counter.incrementAndGet(), session,
                step.replaceAll("[^A-Za-z0-9_.-]+", "-"), extension);
        return dir.resolve(name);
    }
}
