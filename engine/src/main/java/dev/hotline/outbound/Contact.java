package dev.hotline.outbound;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One person a campaign calls, and where they stand.
 *
 * @param id        the contact's id, unique in its campaign ({@code <campaign>-<n>}, given at import)
 * @param campaign  the campaign's id
 * @param number    the number, {@link PhoneNumbers#normalize normalised}
 * @param name      the name shown to the agent (may be empty)
 * @param zone      the contact's time zone: calling hours are their local time
 * @param fields    the other mapped columns, shown on the agent's screen (in column order)
 * @param line      the line of the imported file it came from (1 = the header)
 * @param status    where it stands
 * @param attempts  dialling attempts made so far
 * @param nextAt    not dialled before this
 * @param lastOutcome the last attempt's outcome, if any
 */
public record Contact(String id, String campaign, String number, String name, ZoneId zone, Map<String, String> fields,
                      int line, Status status, int attempts, Instant nextAt, Optional<Outcome> lastOutcome) {

    /** Where a contact stands. */
    public enum Status {
        /** To be dialled (at or after {@code nextAt}). */
        PENDING,
        /** An attempt is under way. */
        DIALLING,
        /** Reached: an agent spoke to them. */
        DONE,
        /** No more attempts (retry limit, or an outcome without retry). */
        FAILED,
        /** On the do-not-call list when its turn came. */
        BLOCKED
    }

    public Contact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(campaign, "campaign");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAt, "nextAt");
        Objects.requireNonNull(lastOutcome, "lastOutcome");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
        }
    }

    /** Whether it is waiting to be dialled. */
    public boolean pending() {
        return status == Status.PENDING;
    }

    public Contact withStatus(Status s) {
        return new Contact(id, campaign, number, name, zone, fields, line, s, attempts, nextAt, lastOutcome);
    }

    /** After an attempt: the outcome, one attempt more, the new status and the earliest next dial. */
    public Contact attempted(Outcome outcome, Status s, Instant next) {
        return new Contact(id, campaign, number, name, zone, fields, line, s, attempts + 1, next,
                Optional.of(outcome));
    }
}
