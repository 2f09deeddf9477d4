package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code chromedriver} process on a free loopback port and a minimal W3C WebDriver client for it (HTTP + JSON,
 * no Selenium). {@link #newSession} starts a headless Chromium with a fresh profile; {@link #close} kills the
 * driver (quit the sessions first: the driver ends its browsers on quit).
 */
public final class ChromeDriver implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Only these switches: headless, no sandbox (root in containers), no GPU, no background traffic; a fake
     * microphone that needs no permission prompt (the agent desktop's browser phone), sound without a gesture.
     */
    private static final List<String> SWITCHES = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--window-size=1280,1400", "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required");

    private final Chromium chromium;
    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread reaper;

    private ChromeDriver(Chromium chromium, Process process, String base) {
        this.chromium = chromium;
        this.process = process;
        this.base = base;
        this.reaper = new Thread(process::destroyForcibly, "chromedriver-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts chromedriver and waits until it reports ready; its output goes to {@code log}. */
    public static ChromeDriver start(Chromium chromium, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(chromium.driver().toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChromeDriver d = new ChromeDriver(chromium, p, "http://127.0.0.1:" + port);
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                d.close();
                throw new IllegalStateException(chromium.driver() + " exited with status " + p.exitValue()
                        + " at start; see " + log);
            }
            try {
                if (d.send("GET", "/status", null).path("ready").asBoolean()) {
                    return d;
                }
            } catch (IOException | WebDriverException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        d.close();
        throw new IllegalStateException(chromium.driver() + " did not report ready on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    /** A new browser (its own headless Chromium and temporary profile). */
    public BrowserSession newSession(String name, Artifacts artifacts) throws IOException {
        Path profile = Files.createTempDirectory("hotline-chromium-");
        ObjectNode options = JSON.createObjectNode();
        options.put("binary", chromium.browser().toString());
        var args = options.putArray("args");
        SWITCHES.forEach(args::add);
        args.add("--user-data-dir=" + profile);
        // Notifications allowed, as an agent who said yes to the desktop's request would have.
        options.putObject("prefs").put("profile.default_content_setting_values.notifications", 1);
        ObjectNode always = JSON.createObjectNode();
        always.put("browserName", "chrome");
        always.set("goog:chromeOptions", options);
        always.putObject("goog:loggingPrefs").put("browser", "ALL");
        ObjectNode body = JSON.createObjectNode();
        body.putObject("capabilities").set("alwaysMatch", always);
        try {
            JsonNode created = send("POST", "/session", body);
            return new BrowserSession(this, name, created.get("sessionId").asText(), profile, artifacts);
        } catch (IOException | RuntimeException e) {
            deleteTree(profile);
            throw e;
        }
    }

    /**
     * One WebDriver command; returns its {@code value}.
     *
     * @throws WebDriverException when the driver answers with an error
     */
    JsonNode send(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null && method.equals("POST")) {
            body = JSON.createObjectNode();
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            b.header("Content-Type", "application/json; charset=utf-8");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + method + " " + path, e);
        }
        JsonNode reply = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        JsonNode value = reply.path("value");
        if (r.statusCode() >= 400 || value.has("error")) {
            throw new WebDriverException(method + " " + path, value.path("error").asText("HTTP " + r.statusCode()),
                    value.path("message").asText(r.body()));
        }
        return value;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    /** Best effort: a browser that has just quit may still be removing files of its profile. */
    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("browser tests: could not delete the profile " + dir + ": " + e);
        }
    }

    /** An error answer of the driver: its W3C error code (e.g. {@code no such element}) and message. */
    public static final class WebDriverException extends RuntimeException {
        private final String error;

        WebDriverException(String command, String error, String message) {
            super(command + ": " + error + ": " + firstLine(message));
            this.error = error;
        }

        public String error() {
            return error;
        }

        private static String firstLine(String s) {
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        }
    }
}
