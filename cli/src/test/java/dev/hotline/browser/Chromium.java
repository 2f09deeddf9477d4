package dev.hotline.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the browser and its driver are: Debian's {@code chromium} and {@code chromedriver} (package
 * {@code chromium-driver}), found on {@code PATH} or in {@code /usr/bin}, or wherever {@code HOTLINE_CHROMIUM} and
 * {@code HOTLINE_CHROMEDRIVER} point.
 *
 * @param browser the Chromium executable
 * @param driver  the matching chromedriver
 */
public record Chromium(Path browser, Path driver) {

    /** Set to {@code 1} (by {@code .ci/run}) to make the browser tests fail, not skip, without a browser. */
    public static final String REQUIRE = "HOTLINE_REQUIRE_BROWSER";

    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser");
    private static final List<String> DRIVERS = List.of("chromedriver");

    /** Both executables, or what is missing. */
    public static Located locate() {
        Optional<Path> browser = find("HOTLINE_CHROMIUM", BROWSERS);
        Optional<Path> driver = find("HOTLINE_CHROMEDRIVER", DRIVERS);
        List<String> missing = new ArrayList<>();
        if (browser.isEmpty()) {
            missing.add("a Chromium browser (" + String.join(" or ", BROWSERS) + ")");
        }
        if (driver.isEmpty()) {
            missing.add("chromedriver");
        }
        return missing.isEmpty() ? new Located(Optional.of(new Chromium(browser.get(), driver.get())), "")
                : new Located(Optional.empty(), String.join(" and ", missing) + " not found (PATH, /usr/bin,"
                + " HOTLINE_CHROMIUM, HOTLINE_CHROMEDRIVER; Debian: apt-get install chromium chromium-driver)");
    }

    /** Whether {@link #REQUIRE} is set. */
    public static boolean required() {
        return "1".equals(System.getenv(REQUIRE));
    }

    /**
     * @param chromium the executables when both were found
     * @param missing  otherwise, what is missing (for the skip notice)
     */
    public record Located(Optional<Chromium> chromium, String missing) {
    }

    private static Optional<Path> find(String variable, List<String> names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String name : names) {
            for (String dir : dirs) {
                if (dir.isBlank()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
