package dev.hotline.ivr;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Finds test resources and the project's own folders (samples, calendars, config) from a test. */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(TestFiles.class.getResource("/ivr/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project folder (the one holding ivr-scripts/), found upward from the working directory. */
    public static Path projectHome() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("ivr-scripts"))) {
            p = p.getParent();
        }
        return Objects.requireNonNull(p, "no ivr-scripts folder above the working directory");
    }
}
