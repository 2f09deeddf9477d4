package dev.hotline.records.journal;

import dev.hotline.records.model.RecordEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The record journal: an append-only log of encoded entries in numbered segment files
 * ({@code records-00000000000000000001.journal}, …) plus a checkpoint file saying how far the database has caught
 * up. Every entry the writer accepts goes here first; the database is filled from here.
 *
 * <p>Segment: a file header, {@code "HLJN"} then {@code int} format version ({@link #FORMAT_VERSION}), then frames.
 * A segment without the header was written before the format had versions (format 1, read as it was); a header
 * with any other version (a newer Hotline's journal, left unreplayed across a downgrade) is refused at open, naming
 * the file and the version, rather than misread. The first byte of a format-1 segment is always 0 (a frame length
 * is at most {@link #MAX_FRAME}), so the two never look alike.
 *
 * <p>Frame: {@code int length, int crc32c(payload), payload}. A frame that is cut short or fails its CRC ends a
 * segment: at start-up the segment is truncated there (a torn tail after a crash is expected; anything else is
 * logged as corruption with file and offset). Each start appends to a new segment, so a torn tail is never
 * written after.
 *
 * <p>Threads: one appender ({@link #append}, {@link #force}); one reader + checkpointer ({@link Reader},
 * {@link #checkpoint(Position)}), which also deletes segments wholly before the checkpoint. The checkpoint itself
 * is not fsynced: losing it only means replaying entries the database already holds, which writes are idempotent
 * against.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final String PREFIX = "records-";
    private static final String SUFFIX = ".journal";
    private static final String CHECKPOINT = "records.checkpoint";
    private static final int HEADER = 8;
    /** The format this engine writes: segments start with {@link #MAGIC} and this version. */
    public static final int FORMAT_VERSION = 2;
    /** Segments written before formats had versions: no file header, frames from offset 0. */
    public static final int LEGACY_VERSION = 1;
    static final int MAGIC = ('H' << 24) | ('L' << 16) | ('J' << 8) | 'N';
    static final int FILE_HEADER = 8;
    static final int MAX_FRAME = 1 << 20;

    /** A place in the journal: a segment number and a byte offset in it (always a frame boundary). */
    public record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position o) {
            return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final Position recoveredCheckpoint;
    private final long recoveredEntries;
    private FileChannel active;
    private long activeSegment;
    private long activeSize;
    private volatile Position end;
    private FileChannel checkpointChannel;

    private Journal(Path dir, long segmentBytes, Position checkpoint, long recoveredEntries, long lastSegment,
                    long existingBytes) throws IOException {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.recoveredCheckpoint = checkpoint;
        this.recoveredEntries = recoveredEntries;
        this.bytes.set(existingBytes);
        this.activeSegment = lastSegment + 1;
        this.active = newSegment(activeSegment);
        this.end = new Position(activeSegment, activeSize);
    }

    /** Creates segment {@code s} with its file header; counts the header in {@link #activeSize} and the bytes. */
    private FileChannel newSegment(long s) throws IOException {
        FileChannel ch = FileChannel.open(segmentPath(s), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER).putInt(MAGIC).putInt(FORMAT_VERSION).flip();
        while (header.hasRemaining()) {
            ch.write(header);
        }
        activeSize = FILE_HEADER;
        bytes.addAndGet(FILE_HEADER);
        return ch;
    }

    /**
     * Opens the journal in {@code dir} (created if missing), checks every segment from the checkpoint on, truncates
     * a torn tail, and starts a new segment for appends.
     */
    public static Journal open(Path dir, long segmentBytes) throws IOException {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes: " + segmentBytes + " (expected: >= 4096)");
        }
        Files.createDirectories(dir);
        List<Long> segments = segments(dir);
        Position checkpoint = readCheckpoint(dir);
        long first = segments.isEmpty() ? 1 : segments.getFirst();
        if (checkpoint == null || checkpoint.segment() < first) {
            checkpoint = new Position(first, 0);
        }
        long pending = 0;
        long size = 0;
        for (long s : segments) {
            Path file = dir.resolve(name(s));
            long start = s == checkpoint.segment() ? checkpoint.offset() : 0;
            if (s < checkpoint.segment()) {
                size += Files.size(file);
                continue;
            }
            Scan scan = scan(file, start);
            if (scan.validEnd() < Files.size(file)) {
                long dropped = Files.size(file) - scan.validEnd();
                if (s == segments.getLast()) {
                    log.warn("records: journal {} ends in a torn frame at offset {} ({} bytes dropped; written while"
                            + " the engine stopped)", file, scan.validEnd(), dropped);
                } else {
                    log.error("records: journal {} is corrupt at offset {} ({}); {} bytes after it dropped", file,
                            scan.validEnd(), scan.problem(), dropped);
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validEnd());
                    ch.force(true);
                }
            }
            pending += scan.entries();
            size += Files.size(file);
        }
        long last = segments.isEmpty() ? 0 : segments.getLast();
        return new Journal(dir, segmentBytes, checkpoint, pending, last, size);
    }

    private record Scan(long validEnd, long entries, String problem) {
    }

    /** A segment's format: its version and where its first frame starts. */
    record Format(int version, long dataStart) {
    }

    /**
     * Reads the file header of a segment. A file too short to hold one (at most a torn header, nothing journaled)
     * is format 1 with no data; an unknown header throws, naming the file and what it found.
     */
    static Format format(FileChannel ch, Path file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(FILE_HEADER);
        int got = readFully(ch, header, 0);
        if (got == 0 || header.get(0) == 0) {
            return new Format(LEGACY_VERSION, 0);
        }
        if (got < FILE_HEADER) {
            if (got < 4 && prefixOfMagic(header, got) || got >= 4 && header.getInt(0) == MAGIC) {
                return new Format(FORMAT_VERSION, got); // a torn header: an empty segment, cut off below
            }
        } else if (header.getInt(0) == MAGIC) {
            int version = header.getInt(4);
            if (version == FORMAT_VERSION) {
                return new Format(version, FILE_HEADER);
            }
            throw new IOException("records: journal " + file + " has format version " + version + " (this engine reads "
                    + LEGACY_VERSION + " and " + FORMAT_VERSION + (version > FORMAT_VERSION
                    ? "; written by a newer Hotline: start that version to replay it into the database, or move the"
                    + " file away)" : ")"));
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(got, 4); i++) {
            hex.append(String.format("%02x", header.get(i)));
        }
        throw new IOException("records: journal " + file + " is not a Hotline journal segment (starts with 0x" + hex
                + "; expected: \"HLJN\" and a format version, or a format-1 frame)");
    }

    private static boolean prefixOfMagic(ByteBuffer header, int n) {
        for (int i = 0; i < n; i++) {
            if (header.get(i) != (byte) (MAGIC >>> (24 - 8 * i))) {
                return false;
            }
        }
        return true;
    }

    private static Scan scan(Path file, long start) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Format format = format(ch, file);
            if (format.version() == FORMAT_VERSION && format.dataStart() < FILE_HEADER) {
                return new Scan(0, 0, "file header cut short");
            }
            long pos = Math.max(start, format.dataStart());
            long entries = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos < size) {
                header.clear();
                if (readFully(ch, header, pos) < HEADER) {
                    return new Scan(pos, entries, "frame header cut short");
                }
                int length = header.getInt(0);
                int crc = header.getInt(4);
                if (length <= 0 || length > MAX_FRAME) {
                    return new Scan(pos, entries, "frame length " + length + " (expected: 1-" + MAX_FRAME + ")");
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                if (readFully(ch, payload, pos + HEADER) < length) {
                    return new Scan(pos, entries, "frame cut short");
                }
                if (crc(payload.array(), 0, length) != crc) {
                    return new Scan(pos, entries, "CRC mismatch");
                }
                pos += HEADER + length;
                entries++;
            }
            return new Scan(pos, entries, "");
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    static int crc(byte[] data, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(data, off, len);
        return (int) c.getValue();
    }

    /** Appends encoded entries (one frame each) and returns the new end; rotates to a new segment when full. */
    public Position append(List<byte[]> payloads) throws IOException {
        if (payloads.isEmpty()) {
            return end;
        }
        if (activeSize >= segmentBytes) {
            rotate();
        }
        int total = 0;
        for (byte[] p : payloads) {
            if (p.length > MAX_FRAME) {
                throw new IOException("journal entry of " + p.length + " bytes (expected: <= " + MAX_FRAME + ")");
            }
            total += HEADER + p.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(total);
        for (byte[] p : payloads) {
            buf.putInt(p.length).putInt(crc(p, 0, p.length)).put(p);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            active.write(buf);
        }
        activeSize += total;
        bytes.addAndGet(total);
        end = new Position(activeSegment, activeSize);
        return end;
    }

    private void rotate() throws IOException {
        active.force(false);
        active.close();
        activeSegment++;
        active = newSegment(activeSegment);
        // Make the new file's directory entry durable too, or a crash could lose the whole segment.
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Not every platform lets a directory be opened for fsync; the segment data itself is forced anyway.
            log.debug("records: fsync of journal folder {} not supported: {}", dir, e.getMessage());
        }
    }

    /** fsync of the active segment: everything appended so far survives a crash. */
    public void force() throws IOException {
        active.force(false);
    }

    /** The end of what has been appended (written to the OS, not necessarily forced). */
    public Position end() {
        return end;
    }

    /** Bytes in all segment files. */
    public long sizeBytes() {
        return bytes.get();
    }

    public Path dir() {
        return dir;
    }

    /** Where the database had caught up to when the journal was opened. */
    public Position recoveredCheckpoint() {
        return recoveredCheckpoint;
    }

    /** Entries after the checkpoint found at open: to be replayed into the database. */
    public long recoveredEntries() {
        return recoveredEntries;
    }

    /** Records that the database holds everything before {@code p}; deletes segments wholly before it. */
    public void checkpoint(Position p) throws IOException {
        if (checkpointChannel == null) {
            checkpointChannel = FileChannel.open(dir.resolve(CHECKPOINT), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        }
        ByteBuffer buf = ByteBuffer.allocate(20);
        buf.putLong(p.segment()).putLong(p.offset());
        buf.putInt(crc(buf.array(), 0, 16));
        buf.flip();
        while (buf.hasRemaining()) {
            checkpointChannel.write(buf, buf.position());
        }
        for (long s : segments(dir)) {
            if (s >= p.segment()) {
                break;
            }
            Path file = segmentPath(s);
            long size = Files.size(file);
            Files.delete(file);
            bytes.addAndGet(-size);
        }
    }

    private static Position readCheckpoint(Path dir) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(dir.resolve(CHECKPOINT));
        } catch (NoSuchFileException e) {
            return null;
        }
        if (b.length != 20) {
            log.warn("records: journal checkpoint {} has {} bytes (expected: 20); replaying every segment",
                    dir.resolve(CHECKPOINT), b.length);
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (buf.getInt(16) != crc(b, 0, 16)) {
            log.warn("records: journal checkpoint {} fails its CRC; replaying every segment", dir.resolve(CHECKPOINT));
            return null;
        }
        return new Position(buf.getLong(0), buf.getLong(8));
    }

    private static List<Long> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(PREFIX) && n.endsWith(SUFFIX))
                    .map(n -> n.substring(PREFIX.length(), n.length() - SUFFIX.length()))
                    .filter(n -> n.chars().allMatch(Character::isDigit) && !n.isEmpty())
                    .map(Long::parseLong)
                    .sorted()
                    .toList();
        }
    }

    private static String name(long segment) {
        return PREFIX + String.format("%020d", segment) + SUFFIX;
    }

    Path segmentPath(long segment) {
        return dir.resolve(name(segment));
    }

    /** A reader from {@code from}; used by one thread. */
    public Reader reader(Position from) {
        return new Reader(from);
    }

    @Override
    public void close() throws IOException {
        try {
            active.force(false);
            active.close();
        } finally {
            if (checkpointChannel != null) {
                checkpointChannel.close();
            }
        }
    }

    /** Closes the files without forcing anything: what a crash leaves behind (crash tests only). */
    public void abandon() throws IOException {
        active.close();
        if (checkpointChannel != null) {
            checkpointChannel.close();
        }
    }

    /** Reads entries in order from a position, up to a limit the caller takes from {@link #end()}. */
    public final class Reader implements AutoCloseable {
        private Position position;
        private FileChannel channel;
        private long channelSegment = -1;
        private Format channelFormat;
        private ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);

        private Reader(Position from) {
            this.position = Objects.requireNonNull(from);
        }

        /** Where the next read starts; everything before it has been returned. */
        public Position position() {
            return position;
        }

        /** Moves back to {@code p} (after a failed database write, to read the same entries again). */
        public void seek(Position p) {
            position = p;
        }

        /** Up to {@code max} entries between the position and {@code limit}; advances the position past them. */
        public List<RecordEntry> read(int max, Position limit) throws IOException {
            List<RecordEntry> out = new ArrayList<>();
            while (out.size() < max && position.compareTo(limit) < 0) {
                FileChannel ch = channelFor(position.segment());
                if (position.offset() < channelFormat.dataStart()) {
                    // The first frame of a segment with a file header: look at the limit again from there.
                    position = new Position(position.segment(), channelFormat.dataStart());
                    continue;
                }
                long segmentEnd = position.segment() == limit.segment() ? limit.offset() : ch.size();
                if (position.offset() >= segmentEnd) {
                    position = new Position(nextSegment(position.segment(), limit.segment()), 0);
                    continue;
                }
                int capacityBefore = buffer.capacity();
                buffer.clear();
                long want = Math.min(buffer.capacity(), segmentEnd - position.offset());
                buffer.limit((int) want);
                int got = readFully(ch, buffer, position.offset());
                int at = 0;
                while (out.size() < max && at + HEADER <= got) {
                    int length = buffer.getInt(at);
                    int crc = buffer.getInt(at + 4);
                    if (length <= 0 || length > MAX_FRAME) {
                        throw new IOException("journal " + segmentPath(position.segment()) + " at offset "
                                + (position.offset() + at) + ": frame length " + length);
                    }
                    if (HEADER + length > buffer.capacity()) {
                        buffer = ByteBuffer.allocate(HEADER + length);
                        break;
                    }
                    if (at + HEADER + length > got) {
                        break;
                    }
                    byte[] payload = new byte[length];
                    buffer.get(at + HEADER, payload);
                    if (crc(payload, 0, length) != crc) {
                        throw new IOException("journal " + segmentPath(position.segment()) + " at offset "
                                + (position.offset() + at) + ": CRC mismatch");
                    }
                    out.add(EntryCodec.decode(payload, channelFormat.version()));
                    at += HEADER + length;
                }
                if (at == 0 && out.size() < max && buffer.capacity() == capacityBefore) {
                    throw new IOException("journal " + segmentPath(position.segment()) + " at offset "
                            + position.offset() + ": frame cut short");
                }
                position = new Position(position.segment(), position.offset() + at);
            }
            return out;
        }

        private long nextSegment(long current, long limitSegment) throws IOException {
            for (long s : segments(dir)) {
                if (s > current) {
                    return Math.min(s, limitSegment);
                }
            }
            return limitSegment;
        }

        private FileChannel channelFor(long segment) throws IOException {
            if (channelSegment != segment) {
                if (channel != null) {
                    channel.close();
                }
                channel = FileChannel.open(segmentPath(segment), StandardOpenOption.READ);
                channelSegment = segment;
                channelFormat = format(channel, segmentPath(segment));
            }
            return channel;
        }

        @Override
        public void close() throws IOException {
            if (channel != null) {
                channel.close();
            }
        }
    }
}
