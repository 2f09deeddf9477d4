package dev.hotline.records.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything Hotline knows about one call, written once the call (and its wrap-up and survey) is over; a record
 * submitted again with the same {@link #callId()} replaces the earlier one, so a call can be written at hang-up and
 * again when the disposition or survey score arrives.
 *
 * <p>Durations that span several queue visits (wait, ring, talk, hold, wrap-up) are derived from the visits and
 * offers rather than stored twice, so they cannot disagree.
 *
 * @param callId        Asterisk server + linkedid
 * @param callerNumber  caller id number ({@code ""} when withheld)
 * @param callerName    caller id name ({@code ""} when none)
 * @param dialledNumber the number the caller dialled (DNIS)
 * @param startedAt     when the call reached Hotline
 * @param endedAt       when the last party hung up
 * @param language      language chosen in the IVR or set by the dialplan (e.g. {@code en}), if any
 * @param ivrPath       IVR nodes in the order visited, with the digits entered
 * @param queueVisits   queue stays in order
 * @param offers        every time an agent was rung, in order
 * @param transfers     transfers in order
 * @param disposition   the agent's disposition code (inquiry, repair, complaint, …), if recorded
 * @param notes         the agent's notes ({@code ""} when none)
 * @param surveyScore   post-call survey score 1-5, if the caller answered it
 * @param hangupBy      who hung up first
 * @param hangupCause   Q.850 cause code of the caller's channel, if known
 * @param recordingFile the recording's file name, if the call was recorded
 * @param outcome       the final outcome
 */
public record CallRecord(CallId callId, String callerNumber, String callerName, String dialledNumber,
                         Instant startedAt, Instant endedAt, Optional<String> language, List<IvrStep> ivrPath,
                         List<QueueVisit> queueVisits, List<Offer> offers, List<Transfer> transfers,
                         Optional<String> disposition, String notes, OptionalInt surveyScore, HangupParty hangupBy,
                         OptionalInt hangupCause, Optional<String> recordingFile, CallOutcome outcome)
        implements RecordEntry {

    public static final int MAX_NOTES = 4000;

    public CallRecord {
        Objects.requireNonNull(callId, "callId");
        RecordChecks.optionalText("callerNumber", callerNumber, 64);
        RecordChecks.optionalText("callerName", callerName, 128);
        RecordChecks.optionalText("dialledNumber", dialledNumber, 64);
        RecordChecks.order("startedAt", startedAt, "endedAt", endedAt);
        Objects.requireNonNull(language, "language");
        language.ifPresent(l -> RecordChecks.text("language", l, 16));
        ivrPath = List.copyOf(ivrPath);
        queueVisits = List.copyOf(queueVisits);
        offers = List.copyOf(offers);
        transfers = List.copyOf(transfers);
        Objects.requireNonNull(disposition, "disposition");
        disposition.ifPresent(d -> RecordChecks.text("disposition", d, 64));
        RecordChecks.optionalText("notes", notes, MAX_NOTES);
        Objects.requireNonNull(surveyScore, "surveyScore");
        if (surveyScore.isPresent() && (surveyScore.getAsInt() < 1 || surveyScore.getAsInt() > 5)) {
            throw new IllegalArgumentException("surveyScore: " + surveyScore.getAsInt() + " (expected: 1-5)");
        }
        Objects.requireNonNull(hangupBy, "hangupBy");
        Objects.requireNonNull(hangupCause, "hangupCause");
        if (hangupCause.isPresent() && (hangupCause.getAsInt() < 0 || hangupCause.getAsInt() > 127)) {
            throw new IllegalArgumentException("hangupCause: " + hangupCause.getAsInt() + " (expected: Q.850 0-127)");
        }
        Objects.requireNonNull(recordingFile, "recordingFile");
        recordingFile.ifPresent(f -> RecordChecks.text("recordingFile", f, 255));
        Objects.requireNonNull(outcome, "outcome");
    }

    public static Builder builder(CallId callId, Instant startedAt) {
        return new Builder(callId, startedAt);
    }

    /** The queue names visited, in order (a queue visited twice appears twice). */
    public List<String> queues() {
        return queueVisits.stream().map(QueueVisit::queue).toList();
    }

    /** When the call first entered a queue. */
    public Optional<Instant> enqueuedAt() {
        return queueVisits.stream().map(QueueVisit::enqueuedAt).findFirst();
    }

    /** When an agent's phone first rang. */
    public Optional<Instant> firstOfferedAt() {
        return offers.stream().map(Offer::offeredAt).findFirst();
    }

    /** The first answered visit. */
    public Optional<QueueVisit> firstAnswered() {
        return queueVisits.stream().filter(QueueVisit::isAnswered).findFirst();
    }

    /** The last answered visit: the agent who finished the call (disposition and survey are theirs). */
    public Optional<QueueVisit> lastAnswered() {
        return queueVisits.reversed().stream().filter(QueueVisit::isAnswered).findFirst();
    }

    /** When an agent first answered. */
    public Optional<Instant> answeredAt() {
        return firstAnswered().map(QueueVisit::leftAt);
    }

    /** The agent who first answered. */
    public Optional<String> agentId() {
        return firstAnswered().flatMap(QueueVisit::agentId);
    }

    public Duration waited() {
        return queueVisits.stream().map(QueueVisit::waited).reduce(Duration.ZERO, Duration::plus);
    }

    public Duration ring() {
        return offers.stream().map(Offer::ring).reduce(Duration.ZERO, Duration::plus);
    }

    public Duration talk() {
        return queueVisits.stream().map(QueueVisit::talk).reduce(Duration.ZERO, Duration::plus);
    }

    public Duration hold() {
        return queueVisits.stream().map(QueueVisit::hold).reduce(Duration.ZERO, Duration::plus);
    }

    public Duration wrapUp() {
        return queueVisits.stream().map(QueueVisit::wrapUp).reduce(Duration.ZERO, Duration::plus);
    }

    /** Fills a record field by field; {@link #build()} validates. */
    public static final class Builder {
        private final CallId callId;
        private final Instant startedAt;
        private Instant endedAt;
        private String callerNumber = "";
        private String callerName = "";
        private String dialledNumber = "";
        private Optional<String> language = Optional.empty();
        private final List<IvrStep> ivrPath = new ArrayList<>();
        private final List<QueueVisit> queueVisits = new ArrayList<>();
        private final List<Offer> offers = new ArrayList<>();
        private final List<Transfer> transfers = new ArrayList<>();
        private Optional<String> disposition = Optional.empty();
        private String notes = "";
        private OptionalInt surveyScore = OptionalInt.empty();
        private HangupParty hangupBy = HangupParty.UNKNOWN;
        private OptionalInt hangupCause = OptionalInt.empty();
        private Optional<String> recordingFile = Optional.empty();
        private CallOutcome outcome;

        private Builder(CallId callId, Instant startedAt) {
            this.callId = Objects.requireNonNull(callId, "callId");
            this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        }

        public Builder caller(String number, String name) {
            this.callerNumber = number;
            this.callerName = name;
            return this;
        }

        public Builder dialled(String number) {
            this.dialledNumber = number;
            return this;
        }

        public Builder language(String lang) {
            this.language = Optional.of(lang);
            return this;
        }

        public Builder ivr(IvrStep step) {
            ivrPath.add(step);
            return this;
        }

        public Builder visit(QueueVisit visit) {
            queueVisits.add(visit);
            return this;
        }

        public Builder offer(Offer offer) {
            offers.add(offer);
            return this;
        }

        public Builder transfer(Transfer transfer) {
            transfers.add(transfer);
            return this;
        }

        public Builder disposition(String code, String agentNotes) {
            this.disposition = Optional.of(code);
            this.notes = agentNotes;
            return this;
        }

        public Builder survey(int score) {
            this.surveyScore = OptionalInt.of(score);
            return this;
        }

        public Builder hangup(HangupParty by, int q850Cause) {
            this.hangupBy = by;
            this.hangupCause = OptionalInt.of(q850Cause);
            return this;
        }

        public Builder recording(String file) {
            this.recordingFile = Optional.of(file);
            return this;
        }

        public Builder ended(Instant at, CallOutcome finalOutcome) {
            this.endedAt = at;
            this.outcome = finalOutcome;
            return this;
        }

        public CallRecord build() {
            if (endedAt == null || outcome == null) {
                throw new IllegalStateException("call " + callId + ": ended(at, outcome) not set");
            }
            return new CallRecord(callId, callerNumber, callerName, dialledNumber, startedAt, endedAt, language,
                    ivrPath, queueVisits, offers, transfers, disposition, notes, surveyScore, hangupBy, hangupCause,
                    recordingFile, outcome);
        }
    }
}
