package dev.hotline.records.journal;

import dev.hotline.records.model.AgentPhase;
import dev.hotline.records.model.AgentStateChange;
import dev.hotline.records.model.CallId;
import dev.hotline.records.model.CallOutcome;
import dev.hotline.records.model.CallRecord;
import dev.hotline.records.model.HangupParty;
import dev.hotline.records.model.IvrStep;
import dev.hotline.records.model.Offer;
import dev.hotline.records.model.QueueVisit;
import dev.hotline.records.model.RecordEntry;
import dev.hotline.records.model.Transfer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * The journal's binary form of a {@link RecordEntry}: a type byte, then the fields in declaration order (the
 * segment's file header carries the format version, see {@link Journal}). Enums are
 * written by name (not ordinal) so adding a constant never changes what an old journal means; optional values are
 * a presence byte then the value; times are epoch milliseconds, as in the database.
 */
public final class EntryCodec {

    static final byte CALL = 1;
    /** An agent transition without a sequence number (journals written before sequences existed). */
    static final byte AGENT = 2;
    /** An agent transition followed by its sequence number. */
    static final byte AGENT_SEQ = 3;

    private EntryCodec() {
    }

    public static byte[] encode(RecordEntry entry) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (entry) {
                case CallRecord c -> writeCall(out, c);
                case AgentStateChange a -> writeAgent(out, a);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes one entry of the current format ({@link Journal#FORMAT_VERSION}). */
    public static RecordEntry decode(byte[] payload) throws IOException {
        return decode(payload, Journal.FORMAT_VERSION);
    }

    /**
     * Decodes one entry written in journal format {@code formatVersion}; a payload that does not parse throws
     * {@link IOException} naming what was wrong. Formats 1 (no file header) and 2 encode entries alike: a later
     * format that changes an entry's fields branches here on the version, so old segments keep their meaning.
     */
    public static RecordEntry decode(byte[] payload, int formatVersion) throws IOException {
        if (formatVersion < Journal.LEGACY_VERSION || formatVersion > Journal.FORMAT_VERSION) {
            throw new IOException("entry: journal format version " + formatVersion + " (expected: "
                    + Journal.LEGACY_VERSION + "-" + Journal.FORMAT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte type = in.readByte();
            RecordEntry e = switch (type) {
                case CALL -> readCall(in);
                case AGENT -> readAgent(in, false);
                case AGENT_SEQ -> readAgent(in, true);
                default -> throw new IOException("entry type: " + type + " (expected: 1 call, 2 or 3 agent)");
            };
            if (in.available() > 0) {
                throw new IOException("entry: " + in.available() + " trailing bytes");
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new IOException("entry: " + e.getMessage(), e);
        }
    }

    private static void writeCall(DataOutputStream out, CallRecord c) throws IOException {
        out.writeByte(CALL);
        out.writeUTF(c.callId().serverId());
        out.writeUTF(c.callId().linkedId());
        out.writeUTF(c.callerNumber());
        out.writeUTF(c.callerName());
        out.writeUTF(c.dialledNumber());
        out.writeLong(c.startedAt().toEpochMilli());
        out.writeLong(c.endedAt().toEpochMilli());
        writeOptional(out, c.language());
        out.writeShort(c.ivrPath().size());
        for (IvrStep s : c.ivrPath()) {
            out.writeUTF(s.node());
            out.writeLong(s.enteredAt().toEpochMilli());
            out.writeUTF(s.input());
            out.writeUTF(s.exit().name());
        }
        out.writeShort(c.queueVisits().size());
        for (QueueVisit v : c.queueVisits()) {
            out.writeUTF(v.queue());
            out.writeLong(v.enqueuedAt().toEpochMilli());
            out.writeLong(v.leftAt().toEpochMilli());
            out.writeUTF(v.result().name());
            writeOptional(out, v.agentId());
            out.writeLong(v.talk().toMillis());
            out.writeLong(v.hold().toMillis());
            out.writeLong(v.wrapUp().toMillis());
        }
        out.writeShort(c.offers().size());
        for (Offer o : c.offers()) {
            out.writeUTF(o.queue());
            out.writeUTF(o.agentId());
            out.writeLong(o.offeredAt().toEpochMilli());
            out.writeLong(o.endedAt().toEpochMilli());
            out.writeUTF(o.outcome().name());
        }
        out.writeShort(c.transfers().size());
        for (Transfer t : c.transfers()) {
            out.writeLong(t.at().toEpochMilli());
            writeOptional(out, t.fromAgent());
            out.writeUTF(t.kind().name());
            out.writeUTF(t.target());
            out.writeBoolean(t.attended());
        }
        writeOptional(out, c.disposition());
        out.writeUTF(c.notes());
        writeOptional(out, c.surveyScore());
        out.writeUTF(c.hangupBy().name());
        writeOptional(out, c.hangupCause());
        writeOptional(out, c.recordingFile());
        out.writeUTF(c.outcome().name());
    }

    private static CallRecord readCall(DataInputStream in) throws IOException {
        CallId id = new CallId(in.readUTF(), in.readUTF());
        String number = in.readUTF();
        String name = in.readUTF();
        String dialled = in.readUTF();
        Instant started = instant(in);
        Instant ended = instant(in);
        Optional<String> language = readOptional(in);
        List<IvrStep> ivr = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            ivr.add(new IvrStep(in.readUTF(), instant(in), in.readUTF(), IvrStep.Exit.valueOf(in.readUTF())));
        }
        List<QueueVisit> visits = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            visits.add(new QueueVisit(in.readUTF(), instant(in), instant(in), QueueVisit.Result.valueOf(in.readUTF()),
                    readOptional(in), duration(in), duration(in), duration(in)));
        }
        List<Offer> offers = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            offers.add(new Offer(in.readUTF(), in.readUTF(), instant(in), instant(in),
                    Offer.Outcome.valueOf(in.readUTF())));
        }
        List<Transfer> transfers = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            transfers.add(new Transfer(instant(in), readOptional(in), Transfer.Kind.valueOf(in.readUTF()),
                    in.readUTF(), in.readBoolean()));
        }
        Optional<String> disposition = readOptional(in);
        String notes = in.readUTF();
        OptionalInt survey = readOptionalInt(in);
        HangupParty hangupBy = HangupParty.valueOf(in.readUTF());
        OptionalInt cause = readOptionalInt(in);
        Optional<String> recording = readOptional(in);
        CallOutcome outcome = CallOutcome.valueOf(in.readUTF());
        return new CallRecord(id, number, name, dialled, started, ended, language, ivr, visits, offers, transfers,
                disposition, notes, survey, hangupBy, cause, recording, outcome);
    }

    private static void writeAgent(DataOutputStream out, AgentStateChange a) throws IOException {
        out.writeByte(AGENT_SEQ);
        out.writeLong(a.id().getMostSignificantBits());
        out.writeLong(a.id().getLeastSignificantBits());
        out.writeUTF(a.agentId());
        out.writeUTF(a.team());
        out.writeUTF(a.from().name());
        out.writeUTF(a.to().name());
        out.writeUTF(a.reason());
        out.writeLong(a.at().toEpochMilli());
        writeOptional(out, a.changedBy());
        out.writeLong(a.seq());
    }

    private static AgentStateChange readAgent(DataInputStream in, boolean withSeq) throws IOException {
        return new AgentStateChange(new UUID(in.readLong(), in.readLong()), in.readUTF(), in.readUTF(),
                AgentPhase.valueOf(in.readUTF()), AgentPhase.valueOf(in.readUTF()), in.readUTF(), instant(in),
                readOptional(in), withSeq ? in.readLong() : 0);
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return Instant.ofEpochMilli(in.readLong());
    }

    private static Duration duration(DataInputStream in) throws IOException {
        return Duration.ofMillis(in.readLong());
    }

    private static void writeOptional(DataOutputStream out, Optional<String> v) throws IOException {
        out.writeBoolean(v.isPresent());
        if (v.isPresent()) {
            out.writeUTF(v.get());
        }
    }

    private static void writeOptional(DataOutputStream out, OptionalInt v) throws IOException {
        out.writeBoolean(v.isPresent());
        if (v.isPresent()) {
            out.writeInt(v.getAsInt());
        }
    }

    private static Optional<String> readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }

    private static OptionalInt readOptionalInt(DataInputStream in) throws IOException {
        return in.readBoolean() ? OptionalInt.of(in.readInt()) : OptionalInt.empty();
    }
}
