package dev.hotline.gateway.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Every supervisor and admin action, appended to a file as one JSON object per line and kept in memory (the most
 * recent {@value #RECENT}) for the admin page. {@link #record} returns at once: the file is written and flushed on
 * the log's own thread, so callers on a Netty event loop never wait for the disk.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    static final int RECENT = 500;

    private final Path file;
    private final InstantSource clock;
    private final ObjectMapper json;
    private final Deque<AuditEntry> recent = new ArrayDeque<>();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gateway-audit");
        t.setDaemon(true);
        return t;
    });
    private Writer out;

    public AuditLog(Path file, InstantSource clock, ObjectMapper json) {
        this.file = file;
        this.clock = clock;
        this.json = json;
    }

    public AuditEntry record(String actor, String role, String action, String target, String detail, String address) {
        AuditEntry e = new AuditEntry(clock.instant(), actor, role, action, target, detail, address);
        synchronized (recent) {
            recent.addFirst(e);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
        writer.execute(() -> append(e));
        return e;
    }

    /** Newest first. */
    public List<AuditEntry> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private void append(AuditEntry e) {
        try {
            if (out == null) {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("at", e.at().toString());
            line.put("actor", e.actor());
            line.put("role", e.role());
            line.put("action", e.action());
            line.put("target", e.target());
            line.put("detail", e.detail());
            line.put("address", e.address());
            out.write(json.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (IOException ex) {
            // The in-memory entry stands; the failure is loud so an operator sees the trail is incomplete.
            log.error("audit log {}: cannot append {} ({})", file, e, ex.toString());
        }
    }

    /** Writes what is pending, then closes the file. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("audit log {}: entries still pending at shutdown", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("audit log {}: close failed ({})", file, e.toString());
            }
        }
    }
}
