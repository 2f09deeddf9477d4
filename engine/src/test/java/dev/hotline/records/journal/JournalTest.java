package dev.hotline.records.journal;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.hotline.records.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {

    @TempDir
    Path dir;

    static List<RecordEntry> entries(int n) {
        List<RecordEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 0 ? Fixtures.change("a" + i, AgentPhase.READY, AgentPhase.ON_CALL, T0.plusSeconds(i))
                    : Fixtures.fullCall("17410." + i, T0.plusSeconds(i)));
        }
        return out;
    }

    static List<byte[]> encode(List<RecordEntry> entries) {
        return entries.stream().map(EntryCodec::encode).toList();
    }

    @Test
    void everyEntryTypeSurvivesEncoding() throws IOException {
        for (RecordEntry e : entries(6)) {
            assertThat(EntryCodec.decode(EntryCodec.encode(e))).isEqualTo(e);
        }
    }

    @Test
    void anAgentTransitionKeepsItsSequenceAndOldJournalsStillDecode() throws IOException {
        var change = dev.hotline.records.model.AgentStateChange.of("1001", "team-a", AgentPhase.NOT_READY,
                AgentPhase.READY, "", T0);
        assertThat(EntryCodec.decode(EntryCodec.encode(change))).isEqualTo(change);

        // An entry journaled by a release without sequences (type 2) decodes with sequence 0.
        var old = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(old)) {
            out.writeByte(2);
            out.writeLong(change.id().getMostSignificantBits());
            out.writeLong(change.id().getLeastSignificantBits());
            for (String s : List.of("1001", "team-a", "NOT_READY", "READY", "")) {
                out.writeUTF(s);
            }
            out.writeLong(T0.toEpochMilli());
            out.writeBoolean(false);
        }
        var decoded = (dev.hotline.records.model.AgentStateChange) EntryCodec.decode(old.toByteArray());
        assertThat(decoded.id()).isEqualTo(change.id());
        assertThat(decoded.seq()).isZero();
    }

    @Test
    void decodingRejectsUnknownTypesAndTrailingBytes() {
        assertThatThrownBy(() -> EntryCodec.decode(new byte[] {9})).hasMessageContaining("entry type: 9");
        byte[] ok = EntryCodec.encode(entries(1).getFirst());
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 2);
        assertThatThrownBy(() -> EntryCodec.decode(longer)).hasMessageContaining("2 trailing bytes");
    }

    @Test
    void readsBackInOrderAcrossSegmentsAndDeletesConsumedOnes() throws IOException {
        List<RecordEntry> all = entries(60);
        try (Journal j = Journal.open(dir, 4096)) {
            for (int i = 0; i < all.size(); i += 7) {
                j.append(encode(all.subList(i, Math.min(all.size(), i + 7))));
            }
            assertThat(segmentFiles()).hasSizeGreaterThan(3);
            List<RecordEntry> read = new ArrayList<>();
            try (Journal.Reader r = j.reader(j.recoveredCheckpoint())) {
                List<RecordEntry> chunk;
                while (!(chunk = r.read(11, j.end())).isEmpty()) {
                    read.addAll(chunk);
                }
                assertThat(r.position()).isEqualTo(j.end());
                j.checkpoint(r.position());
            }
            assertThat(read).isEqualTo(all);
            assertThat(segmentFiles()).hasSize(1);
            assertThat(j.sizeBytes()).isEqualTo(Files.size(segmentFiles().getFirst()));
        }
    }

    @Test
    void reopeningReplaysOnlyWhatIsAfterTheCheckpoint() throws IOException {
        List<RecordEntry> all = entries(10);
        try (Journal j = Journal.open(dir, 1 << 20)) {
            j.append(encode(all.subList(0, 4)));
            Journal.Position mid = j.end();
            j.append(encode(all.subList(4, 10)));
            j.checkpoint(mid);
        }
        try (Journal j = Journal.open(dir, 1 << 20); Journal.Reader r = j.reader(j.recoveredCheckpoint())) {
            assertThat(j.recoveredEntries()).isEqualTo(6);
            assertThat(r.read(100, j.end())).isEqualTo(all.subList(4, 10));
        }
    }

    @Test
    void aTornTailIsCutOffAtStartAndEverythingBeforeItKept() throws IOException {
        List<RecordEntry> all = entries(5);
        try (Journal j = Journal.open(dir, 1 << 20)) {
            j.append(encode(all));
        }
        Path segment = segmentFiles().getLast();
        long good = Files.size(segment);
        // Half a frame, as a crash in the middle of a write leaves it.
        byte[] frame = EntryCodec.encode(all.getFirst());
        Files.write(segment, java.nio.ByteBuffer.allocate(8 + frame.length / 2).putInt(frame.length).putInt(7)
                .array(), StandardOpenOption.APPEND);

        try (Journal j = Journal.open(dir, 1 << 20); Journal.Reader r = j.reader(j.recoveredCheckpoint())) {
            assertThat(Files.size(segment)).isEqualTo(good);
            assertThat(j.recoveredEntries()).isEqualTo(5);
            assertThat(r.read(100, j.end())).isEqualTo(all);
        }
    }

    @Test
    void aCorruptCheckpointMeansReplayingEverything() throws IOException {
        List<RecordEntry> all = entries(4);
        try (Journal j = Journal.open(dir, 1 << 20)) {
            j.append(encode(all));
            j.checkpoint(j.end());
        }
        Files.write(dir.resolve("records.checkpoint"), new byte[] {1, 2, 3});
        try (Journal j = Journal.open(dir, 1 << 20)) {
            assertThat(j.recoveredEntries()).isEqualTo(4);
        }
    }

    /** A segment written by the engine before formats had versions (kept as bytes: see the resource's folder). */
    private static final String LEGACY = "/journal-v1/records-00000000000000000001.journal";

    private Path copyLegacySegment() throws IOException {
        Path target = dir.resolve("records-00000000000000000001.journal");
        try (var in = JournalTest.class.getResourceAsStream(LEGACY)) {
            assertThat(in).as(LEGACY).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }

    @Test
    void aSegmentOfTheUnversionedFormatIsReadAsItWasAndNewSegmentsCarryTheHeader() throws IOException {
        Path legacy = copyLegacySegment();
        byte[] before = Files.readAllBytes(legacy);
        assertThat(before[0]).isZero();

        try (Journal j = Journal.open(dir, 1 << 20); Journal.Reader r = j.reader(j.recoveredCheckpoint())) {
            assertThat(j.recoveredEntries()).isEqualTo(3);
            List<RecordEntry> read = r.read(100, j.end());
            assertThat(read).hasSize(3);
            assertThat(read.get(0)).isEqualTo(Fixtures.fullCall("17410.1", T0));
            assertThat(read.get(1)).isEqualTo(new dev.hotline.records.model.AgentStateChange(
                    new java.util.UUID(0x1234, 0x5678), "1001", "team-a", AgentPhase.READY, AgentPhase.ON_CALL, "",
                    T0.plusSeconds(5), java.util.Optional.of("sup1"), 42));
            assertThat(read.get(2)).isEqualTo(Fixtures.fullCall("17410.2", T0.plusSeconds(60)));

            // Appends go to a new segment in the current format, read on from the old one.
            List<RecordEntry> more = entries(2);
            j.append(encode(more));
            assertThat(r.read(100, j.end())).isEqualTo(more);
        }
        assertThat(Files.readAllBytes(legacy)).as("the old segment is left as it was").isEqualTo(before);
        Path current = segmentFiles().getLast();
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(current), 8);
        assertThat(java.nio.ByteBuffer.wrap(head).getInt(4)).isEqualTo(Journal.FORMAT_VERSION);
        assertThat(new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HLJN");
    }

    @Test
    void aSegmentOfANewerFormatIsRefusedNamingTheFileAndTheVersion() throws IOException {
        Path newer = dir.resolve("records-00000000000000000003.journal");
        Files.write(newer, java.nio.ByteBuffer.allocate(8 + 20).putInt(Journal.MAGIC).putInt(3).putInt(12).array());

        assertThatThrownBy(() -> Journal.open(dir, 1 << 20))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(newer.toString())
                .hasMessageContaining("format version 3")
                .hasMessageContaining("newer Hotline");
        assertThat(Files.size(newer)).as("nothing cut off a journal it cannot read").isEqualTo(28);
        assertThat(segmentFiles()).containsExactly(newer);
    }

    @Test
    void aFileThatIsNoJournalSegmentIsRefusedNotTruncated() throws IOException {
        Path other = dir.resolve("records-00000000000000000002.journal");
        Files.writeString(other, "hello, not a journal");
        assertThatThrownBy(() -> Journal.open(dir, 1 << 20))
                .hasMessageContaining(other.toString())
                .hasMessageContaining("not a Hotline journal segment (starts with 0x68656c6c");
        assertThat(Files.readString(other)).isEqualTo("hello, not a journal");
    }

    @Test
    void aHeaderCutShortByACrashLeavesAnEmptySegment() throws IOException {
        List<RecordEntry> all = entries(3);
        try (Journal j = Journal.open(dir, 1 << 20)) {
            j.append(encode(all));
        }
        Path torn = dir.resolve("records-00000000000000000002.journal");
        Files.write(torn, new byte[] {'H', 'L', 'J', 'N', 0, 0});
        try (Journal j = Journal.open(dir, 1 << 20); Journal.Reader r = j.reader(j.recoveredCheckpoint())) {
            assertThat(Files.size(torn)).isZero();
            assertThat(r.read(100, j.end())).isEqualTo(all);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aReaderAtTheStartOfASegmentWithOnlyItsHeaderReturnsNothingAndStops() throws IOException {
        try (Journal j = Journal.open(dir, 1 << 20);
             Journal.Reader r = j.reader(new Journal.Position(j.end().segment(), 0))) {
            assertThat(j.end().offset()).isEqualTo(8);
            assertThat(r.read(100, j.end())).isEmpty();
            assertThat(r.position()).isEqualTo(j.end());
            List<RecordEntry> one = entries(1);
            j.append(encode(one));
            assertThat(r.read(100, j.end())).isEqualTo(one);
        }
    }

    @Test
    void decodingRefusesAnUnknownFormatVersion() {
        byte[] ok = EntryCodec.encode(entries(1).getFirst());
        assertThatThrownBy(() -> EntryCodec.decode(ok, 3)).hasMessageContaining("journal format version 3");
        assertThatThrownBy(() -> EntryCodec.decode(ok, 0)).hasMessageContaining("journal format version 0");
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".journal")).sorted().toList();
        }
    }
}
