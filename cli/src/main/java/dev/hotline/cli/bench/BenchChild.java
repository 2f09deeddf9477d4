package dev.hotline.cli.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process {@code hotline bench failover} started ({@link LeaseHolder}, {@link PairEngine}) and the lines it prints,
 * each with when this process read it: the bench waits for a word and times from a kill or a signal to that line.
 * Lines that start with a digit are the child's log (kept in {@code log} when given), the others its own words.
 */
final class BenchChild {

    final String name;
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    /** When the line {@link #await} last found was read ({@link System#nanoTime()}). */
    volatile long lastAt;

    BenchChild(String name, Process process, Optional<Path> log) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().start(() -> {
            BufferedWriter w = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                if (log.isPresent()) {
                    w = Files.newBufferedWriter(log.get(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(System.nanoTime() + " " + line);
                    if (w != null) {
                        w.write(line);
                        w.newLine();
                    }
                    if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
                        seen.add(line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            } finally {
                if (w != null) {
                    try {
                        w.close();
                    } catch (IOException ignored) {
                        // the log is for people; the bench goes on
                    }
                }
            }
        });
    }

    /** Waits for the next line starting with {@code word}; {@link #lastAt} is when it was read. */
    void await(String word, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("bench failover: " + name + " did not print '" + word
                        + "' within " + timeout + " (printed: " + seen + ")");
            }
            int space = line.indexOf(' ');
            if (line.substring(space + 1).startsWith(word)) {
                lastAt = Long.parseLong(line.substring(0, space));
                return;
            }
        }
    }

    /** How many of its own lines started with {@code word}. */
    long count(String word) {
        synchronized (seen) {
            return seen.stream().filter(l -> l.startsWith(word)).count();
        }
    }
}
