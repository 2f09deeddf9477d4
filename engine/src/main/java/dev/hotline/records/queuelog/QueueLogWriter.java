package dev.hotline.records.queuelog;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends queue_log lines to a file (Asterisk's default is {@code /var/log/asterisk/queue_log}; Hotline writes its
 * own file so both can coexist). Lines are flushed per call of {@link #write}; the file is opened in append mode
 * so external log rotation with copy-truncate works. Called from the record writer's side, never from call
 * handling.
 */
public final class QueueLogWriter implements AutoCloseable {

    private final Path file;
    private final Writer out;

    private QueueLogWriter(Path file, Writer out) {
        this.file = file;
        this.out = out;
    }

    public static QueueLogWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new QueueLogWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    public synchronized void write(List<QueueLogEvent> events) throws IOException {
        try {
            for (QueueLogEvent e : events) {
                out.write(e.line());
                out.write('\n');
            }
            out.flush();
        } catch (IOException e) {
            throw new IOException("queue_log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
