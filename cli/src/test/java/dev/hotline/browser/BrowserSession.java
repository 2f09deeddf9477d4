package dev.hotline.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.browser.ChromeDriver.WebDriverException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One browser (a W3C WebDriver session): navigate, find by CSS selector, click, type, read, wait until a
 * condition holds, take screenshots. Elements are looked up again on every call, so pages that redraw (the
 * wallboard rebuilds its tables every second) never leave a stale reference behind.
 */
public final class BrowserSession implements AutoCloseable {

    /** How long {@link #await} waits unless told otherwise. */
    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final ChromeDriver driver;
    private final String name;
    private final String id;
    private final Path profile;
    private final Artifacts artifacts;
    private final List<String> console = new ArrayList<>();
    private boolean closed;

    BrowserSession(ChromeDriver driver, String name, String id, Path profile, Artifacts artifacts) {
        this.driver = driver;
        this.name = name;
        this.id = id;
        this.profile = profile;
        this.artifacts = artifacts;
    }

    public String name() {
        return name;
    }

    /** Where this browser's screenshots and reports go. */
    public Artifacts artifacts() {
        return artifacts;
    }

    // ------------------------------------------------------------------------------------------ navigation

    public void open(String url) {
        command("POST", "/url", obj().put("url", url));
    }

    public String url() {
        return command("GET", "/url", null).asText();
    }

    // ------------------------------------------------------------------------------------------ elements

    /** Clicks the element {@code css} selects (an {@code <option>} is selected by clicking it). */
    public void click(String css) {
        command("POST", "/element/" + find(css) + "/click", null);
    }

    /** Replaces the content of the input {@code css} with {@code text}. */
    public void type(String css, String text) {
        String e = find(css);
        command("POST", "/element/" + e + "/clear", null);
        command("POST", "/element/" + e + "/value", obj().put("text", text));
    }

    /** The rendered text of {@code css} (what a person sees; empty for a hidden element). */
    public String text(String css) {
        return command("GET", "/element/" + find(css) + "/text", null).asText();
    }

    /** The element's {@code textContent}, visible or not. */
    public String textContent(String css) {
        return command("GET", "/element/" + find(css) + "/property/textContent", null).asText();
    }

    public boolean displayed(String css) {
        return command("GET", "/element/" + find(css) + "/displayed", null).asBoolean();
    }

    public boolean exists(String css) {
        ArrayNode a = (ArrayNode) command("POST", "/elements", locator(css));
        return !a.isEmpty();
    }

    /** Number of elements {@code css} selects. */
    public int count(String css) {
        return command("POST", "/elements", locator(css)).size();
    }

    /** Runs {@code js} (a function body; {@code arguments[i]} are {@code args}) and returns its result. */
    public JsonNode script(String js, Object... args) {
        ObjectNode body = obj().put("script", js);
        ArrayNode a = body.putArray("args");
        for (Object arg : args) {
            a.add(ChromeDriver.JSON.valueToTree(arg));
        }
        return command("POST", "/execute/sync", body);
    }

    /**
     * Runs {@code js} as an asynchronous script: it calls {@code arguments[arguments.length - 1]} with its result
     * (WebDriver waits for it up to the session's script timeout).
     */
    public JsonNode scriptAsync(String js, Object... args) {
        ObjectNode body = obj().put("script", js);
        ArrayNode a = body.putArray("args");
        for (Object arg : args) {
            a.add(ChromeDriver.JSON.valueToTree(arg));
        }
        return command("POST", "/execute/async", body);
    }

    /** Presses {@code key} with Alt held down on the focused element (the agent desktop's shortcuts). */
    public void altKey(String key) {
        ObjectNode body = obj();
        ArrayNode actions = body.putArray("actions");
        ObjectNode keys = actions.addObject().put("type", "key").put("id", "keyboard");
        ArrayNode seq = keys.putArray("actions");
        seq.addObject().put("type", "keyDown").put("value", "\uE00A");
        seq.addObject().put("type", "keyDown").put("value", key);
        seq.addObject().put("type", "keyUp").put("value", key);
        seq.addObject().put("type", "keyUp").put("value", "\uE00A");
        command("POST", "/actions", body);
    }

    /**
     * The text of a table cell: in the row with id {@code rowId}, the cell under the header named {@code column}
     * (found by the header's text, so columns added later do not move it); null while there is no such row.
     */
    public String cell(String rowId, String column) {
        JsonNode v = script("""
                const row = document.getElementById(arguments[0]);
                if (!row) return null;
                const heads = [...row.closest('table').querySelectorAll('thead th')].map(th => th.textContent.trim());
                const i = heads.indexOf(arguments[1]);
                if (i < 0) throw new Error('no column "' + arguments[1] + '" in ' + heads.join(', '));
                return row.children[i] ? row.children[i].textContent.trim() : null;
                """, rowId, column);
        return v.isNull() ? null : v.asText();
    }

    private String find(String css) {
        return command("POST", "/element", locator(css)).get(ELEMENT).asText();
    }

    private ObjectNode locator(String css) {
        return obj().put("using", "css selector").put("value", css);
    }

    // ------------------------------------------------------------------------------------------ waiting

    /**
     * Polls {@code probe} until {@code ok} accepts its value, at most {@link #WAIT}; a probe that throws a
     * driver error (no such element yet, a stale one) counts as not yet. Fails naming {@code what} and the last
     * value seen.
     */
    public <T> T await(String what, Supplier<T> probe, Predicate<? super T> ok) {
        return await(what, WAIT, probe, ok);
    }

    public <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> ok) {
        long end = System.nanoTime() + timeout.toNanos();
        Object last = "(nothing read)";
        while (true) {
            try {
                T value = probe.get();
                last = value;
                if (ok.test(value)) {
                    return value;
                }
            } catch (WebDriverException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(name + ": waited " + timeout.toSeconds() + " s for " + what
                        + "; last seen: " + last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(name + ": interrupted while waiting for " + what, e);
            }
        }
    }

    /** Waits until the text of {@code css} satisfies {@code ok}; returns it. */
    public String awaitText(String css, String what, Predicate<String> ok) {
        return await(what + " (" + css + ")", () -> text(css), ok);
    }

    /** Waits until the text of {@code css} is exactly {@code expected}. */
    public String awaitText(String css, String expected) {
        return awaitText(css, "'" + expected + "'", expected::equals);
    }

    public void awaitDisplayed(String css, boolean shown) {
        await(css + (shown ? " shown" : " hidden"), () -> displayed(css), d -> d == shown);
    }

    // ------------------------------------------------------------------------------------------ artifacts

    /** Saves a screenshot of the window as the next numbered artifact; returns its path. */
    public Path screenshot(String step) {
        byte[] png = Base64.getDecoder().decode(command("GET", "/screenshot", null).asText());
        Path file = artifacts.next(name, step, "png");
        write(file, png);
        return file;
    }

    /** Every browser console entry since the session began ({@code LEVEL message}). */
    public List<String> consoleLog() {
        try {
            for (JsonNode e : driver.send("POST", "/session/" + id + "/se/log", obj().put("type", "browser"))) {
                console.add(Instant.ofEpochMilli(e.path("timestamp").asLong()) + " " + e.path("level").asText()
                        + " " + e.path("message").asText());
            }
        } catch (IOException | WebDriverException e) {
            console.add("(console log not available: " + e.getMessage() + ")");
        }
        return List.copyOf(console);
    }

    /** Console entries at level SEVERE: uncaught script errors, failed requests (an API call answered 4xx). */
    public List<String> errors() {
        return consoleLog().stream().filter(l -> l.contains(" SEVERE ")).toList();
    }

    /** Screenshot, page source, URL and console log, for a failed test; never throws. */
    public void saveDiagnostics(String label) {
        StringBuilder notes = new StringBuilder();
        try {
            notes.append("screenshot: ").append(screenshot(label)).append('\n');
        } catch (RuntimeException e) {
            notes.append("screenshot failed: ").append(e.getMessage()).append('\n');
        }
        try {
            notes.append("url: ").append(url()).append('\n');
            Path html = artifacts.next(name, label + "-source", "html");
            write(html, command("GET", "/source", null).asText().getBytes(StandardCharsets.UTF_8));
            notes.append("page source: ").append(html).append('\n');
        } catch (RuntimeException e) {
            notes.append("page source failed: ").append(e.getMessage()).append('\n');
        }
        notes.append("console:\n");
        consoleLog().forEach(l -> notes.append("  ").append(l).append('\n'));
        try {
            Path file = artifacts.next(name, label + "-console", "txt");
            write(file, notes.toString().getBytes(StandardCharsets.UTF_8));
            System.err.println("browser " + name + ": diagnostics in " + file);
        } catch (RuntimeException e) {
            System.err.println("browser " + name + ": " + notes);
        }
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private JsonNode command(String method, String path, JsonNode body) {
        if (closed) {
            throw new IllegalStateException("browser " + name + " is closed");
        }
        try {
            return driver.send(method, "/session/" + id + path, body);
        } catch (IOException e) {
            throw new UncheckedIOException("browser " + name + ": " + method + " " + path, e);
        }
    }

    private static ObjectNode obj() {
        return ChromeDriver.JSON.createObjectNode();
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            driver.send("DELETE", "/session/" + id, null);
        } catch (IOException | WebDriverException e) {
            System.err.println("browser " + name + ": quit failed: " + e.getMessage());
        } finally {
            closed = true;
            ChromeDriver.deleteTree(profile);
        }
    }

    @Override
    public String toString() {
        return "browser " + name + " (" + Objects.requireNonNull(id) + ")";
    }
}
