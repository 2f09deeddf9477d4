package dev.hotline.e2e;

import dev.hotline.cli.Main;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./hotline demo …} running in a background thread of the test JVM (home: the repository), with what it
 * prints: the pages' URL and the demo users it announces. {@link #stop} interrupts it, which ends it like Ctrl-C.
 */
public final class RunningDemo implements AutoCloseable {

    private static final Pattern URL = Pattern.compile("agent desktop, wallboard, admin: (http://[^/\\s]+)/");
    private static final Pattern USERS = Pattern.compile(
            "demo users: agents ([a-z0-9, ]+) / (\\S+); supervisors (.+?) / (\\S+); admin ([a-z0-9]+) / (\\S+)");

    /** A user the demo announced, with the role the line gives it. */
    public record DemoUser(String username, String password, String role) {
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;

    private final java.nio.file.Path dataDir;

    private RunningDemo(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // Each demo under test gets its own database: nothing left by an earlier run (or another branch's schema)
        // can change what it sees.
        try {
            dataDir = java.nio.file.Files.createTempDirectory("hotline-demo-test-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("demo", "--data-dir", dataDir.toString()));
        all.addAll(Arrays.asList(args));
        thread = new Thread(() -> {
            try {
                exit.complete(cli.execute(all.toArray(String[]::new)));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "demo-under-test");
    }

    /** Starts {@code hotline demo args…} with the repository (the module's parent) as home. */
    public static RunningDemo start(String... args) {
        System.setProperty("hotline.home", "..");
        RunningDemo d = new RunningDemo(args);
        d.thread.start();
        return d;
    }

    public String output() {
        return out.toString();
    }

    /** The demo's own data folder (a temporary one per test). */
    public java.nio.file.Path dataDir() {
        return dataDir;
    }

    public String errors() {
        return err.toString();
    }

    /** Waits until the output matches {@code pattern}; fails with what was printed if the demo ended first. */
    public Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(output());
            if (m.find()) {
                return m;
            }
            if (exit.isDone() || System.nanoTime() > end) {
                throw new AssertionError("the demo " + (exit.isDone() ? "ended" : "did not print")
                        + " before printing /" + pattern + "/; stdout:\n" + output() + "\nstderr:\n" + errors());
            }
            Thread.sleep(50);
        }
    }

    /** The address of the pages, e.g. {@code http://127.0.0.1:40123}, as the demo printed it. */
    public String url() throws InterruptedException {
        return await(URL, Duration.ofSeconds(60)).group(1);
    }

    /** The users the demo printed, agents first, then supervisors, then the admin. */
    public List<DemoUser> users() throws InterruptedException {
        Matcher m = await(USERS, Duration.ofSeconds(60));
        List<DemoUser> users = new ArrayList<>();
        for (String a : m.group(1).split(",\\s*")) {
            users.add(new DemoUser(a.trim(), m.group(2), "agent"));
        }
        for (String s : m.group(3).split(",\\s*")) {
            users.add(new DemoUser(s.replaceAll("\\(.*\\)", "").trim(), m.group(4), "supervisor"));
        }
        users.add(new DemoUser(m.group(5), m.group(6), "admin"));
        return users;
    }

    /** The first announced user with {@code role}. */
    public DemoUser user(String role) throws InterruptedException {
        return users().stream().filter(u -> u.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("the demo printed no " + role + " user:\n" + output()));
    }

    /** Interrupts the demo (it stops as on Ctrl-C and prints its summary). */
    public void stop() {
        thread.interrupt();
    }

    /** The exit code, waiting at most {@code timeout}. */
    public int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (thread.isAlive()) {
                stop();
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        } finally {
            System.clearProperty("hotline.home");
            if (!thread.isAlive()) {
                try (var files = java.nio.file.Files.walk(dataDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (java.io.IOException e) {
                    // a temporary folder; left behind at worst
                }
            }
        }
    }
}
