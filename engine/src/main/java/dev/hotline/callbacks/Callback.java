package dev.hotline.callbacks;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One callback promise, as stored in table {@code callback}.
 *
 * @param id          unique id: the call id for a queued callback (so a retried request is not duplicated), a
 *                    server-made {@code sched-<uuid>} for a scheduled one ({@link Callbacks#SCHEDULED_PREFIX})
 * @param kind        queued (the caller pressed the callback key) or scheduled (an agent or the API set a due time)
 * @param queue       the queue that serves it
 * @param number      the number to call
 * @param callerName  who asked (may be empty)
 * @param requestedAt when it was promised; a queued callback's place in the queue is its original enqueue time
 * @param dueAt       when it should be made: the enqueue time for a queued callback, the due time of a scheduled one
 * @param owner       the agent who should make it (scheduled callbacks), if any
 * @param note        why (shown to the agent)
 * @param status      pending until completed, failed or cancelled
 * @param attempts    attempts made at reaching the customer
 * @param notBefore   not routed before this (after a failed attempt: the retry delay)
 * @param agentId     the agent of the last attempt
 * @param finishedAt  when it was completed, failed or cancelled
 * @param lastResult  the last attempt's result ({@code answered}, {@code no answer}, {@code busy}…), or empty
 * @param nameFile    the recording of the caller saying their name (Asterisk file name without extension, played
 *                    to the agent in the whisper), or empty
 */
public record Callback(String id, Kind kind, String queue, String number, String callerName, Instant requestedAt,
                       Instant dueAt, Optional<String> owner, String note, Status status, int attempts,
                       Instant notBefore, Optional<String> agentId, Optional<Instant> finishedAt, String lastResult,
                       String nameFile) {

    /** A callback without a name recording. */
    public Callback(String id, Kind kind, String queue, String number, String callerName, Instant requestedAt,
                    Instant dueAt, Optional<String> owner, String note, Status status, int attempts,
                    Instant notBefore, Optional<String> agentId, Optional<Instant> finishedAt, String lastResult) {
        this(id, kind, queue, number, callerName, requestedAt, dueAt, owner, note, status, attempts, notBefore,
                agentId, finishedAt, lastResult, "");
    }

    public enum Kind { QUEUED, SCHEDULED }

    public enum Status { PENDING, COMPLETED, FAILED, CANCELLED }

    public static final int MAX_ID = 96;

    public Callback {
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.length() > MAX_ID) {
            throw new IllegalArgumentException("callback id: '" + id + "' (expected: 1-" + MAX_ID + " characters)");
        }
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(number, "number");
        if (!number.matches("\\+?[0-9]{2,30}")) {
            throw new IllegalArgumentException("callback " + id + ": number '" + number
                    + "' (expected: 2-30 digits, optionally starting with +)");
        }
        Objects.requireNonNull(callerName, "callerName");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(lastResult, "lastResult");
        Objects.requireNonNull(nameFile, "nameFile");
    }

    /** A new queued callback: the caller joined {@code queue} at {@code enqueuedAt}. */
    public static Callback queued(String id, String queue, String number, String callerName, Instant enqueuedAt) {
        return new Callback(id, Kind.QUEUED, queue, number, callerName, enqueuedAt, enqueuedAt, Optional.empty(), "",
                Status.PENDING, 0, enqueuedAt, Optional.empty(), Optional.empty(), "");
    }

    /** A new scheduled callback. */
    public static Callback scheduled(String id, String queue, String number, Instant requestedAt, Instant dueAt,
                                     Optional<String> owner, String note) {
        return new Callback(id, Kind.SCHEDULED, queue, number, "", requestedAt, dueAt, owner, note, Status.PENDING,
                0, dueAt, Optional.empty(), Optional.empty(), "");
    }

    /** The same callback with the caller's name recorded in {@code file}. */
    public Callback withNameFile(String file) {
        return new Callback(id, kind, queue, number, callerName, requestedAt, dueAt, owner, note, status, attempts,
                notBefore, agentId, finishedAt, lastResult, file);
    }

    /** The same callback, not routed before {@code next} (attempts unchanged: the customer was not at fault). */
    public Callback notBefore(Instant next, String result) {
        return new Callback(id, kind, queue, number, callerName, requestedAt, dueAt, owner, note, status, attempts,
                next, agentId, finishedAt, result, nameFile);
    }

    public boolean pending() {
        return status == Status.PENDING;
    }

    /** After an attempt that did not reach the customer: try again from {@code next}. */
    public Callback retryAt(Instant next, String agent, String result) {
        return new Callback(id, kind, queue, number, callerName, requestedAt, dueAt, owner, note, status,
                attempts + 1, next, Optional.of(agent), finishedAt, result, nameFile);
    }

    public Callback finished(Status outcome, Instant at, Optional<String> agent, String result, int attemptsMade) {
        return new Callback(id, kind, queue, number, callerName, requestedAt, dueAt, owner, note, outcome,
                attemptsMade, notBefore, agent, Optional.of(at), result, nameFile);
    }
}
