package dev.hotline.outbound;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An outbound campaign as defined by an admin or supervisor.
 *
 * @param id            the campaign's id (letters, digits, {@code -} and {@code _}; 1-64)
 * @param name          what people call it
 * @param queue         the queue whose agents (by its members and skills) take its calls
 * @param mode          preview, progressive or predictive
 * @param callerId      the number the contacts see (may be empty: the trunk's)
 * @param hours         calling hours, in each contact's local time
 * @param defaultZone   the zone of contacts whose number and row say nothing better
 * @param retry         retry rules per outcome
 * @param amd           whether Asterisk's {@code AMD()} listens for machines on answered calls
 * @param machineAction what to do on a machine: leave the message, or hang up and retry per the rules
 * @param abandonCapPct predictive: the abandon cap, percent of live answers over the pacer's rolling hour
 * @param script        what the agent reads (shown on the desktop)
 * @param dispositions  the disposition codes agents choose from; the first ones ending in {@code *} count as
 *                      right-party contacts (e.g. {@code sale*})
 * @param status        where it stands
 * @param updatedAt     last change
 * @param updatedBy     who made it
 */
public record Campaign(String id, String name, String queue, DialMode mode, String callerId, CallingHours hours,
                       ZoneId defaultZone, RetryRules retry, boolean amd, MachineAction machineAction,
                       double abandonCapPct, String script, List<String> dispositions, Status status,
                       Instant updatedAt, String updatedBy) {

    /** Where a campaign stands. Only a running campaign dials. */
    public enum Status {
        DRAFT, RUNNING, PAUSED, STOPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** On an answering machine. */
    public enum MachineAction {
        /** Play the campaign's message to the machine, then hang up (the contact counts as a machine outcome). */
        MESSAGE,
        /** Hang up at once and retry per the rules. */
        RETRY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static MachineAction parse(String text) {
            for (MachineAction a : values()) {
                if (a.wireName().equalsIgnoreCase(text.strip())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("machine_action: '" + text + "' (expected: message or retry)");
        }
    }

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CALLER_ID = Pattern.compile("\\+?[0-9]{0,20}");

    public Campaign {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: '" + id + "' (expected: 1-64 letters, digits, - or _)");
        }
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: 1-128 characters)");
        }
        Objects.requireNonNull(queue, "queue");
        if (queue.isBlank()) {
            throw new IllegalArgumentException("queue: empty (expected: the name of a queue)");
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(callerId, "callerId");
        if (!CALLER_ID.matcher(callerId).matches()) {
            throw new IllegalArgumentException("caller_id: '" + callerId + "' (expected: up to 20 digits, optional +)");
        }
        Objects.requireNonNull(hours, "hours");
        Objects.requireNonNull(defaultZone, "defaultZone");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(machineAction, "machineAction");
        if (!(abandonCapPct > 0 && abandonCapPct <= 50)) {
            throw new IllegalArgumentException("abandon_cap: " + abandonCapPct + " (expected: above 0, at most 50)");
        }
        Objects.requireNonNull(script, "script");
        if (script.length() > 4000) {
            throw new IllegalArgumentException("script: " + script.length() + " characters (expected: at most 4000)");
        }
        dispositions = List.copyOf(dispositions);
        for (String d : dispositions) {
            if (!d.matches("[A-Za-z0-9_-]{1,32}\\*?")) {
                throw new IllegalArgumentException("dispositions: '" + d + "' (expected: 1-32 letters, digits, - or _,"
                        + " a trailing * for a right-party contact)");
            }
        }
        if (String.join(",", dispositions).length() > 1000) {
            throw new IllegalArgumentException("dispositions: too many (expected: at most 1000 characters in all)");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(updatedBy, "updatedBy");
    }

    public Campaign withStatus(Status s, Instant at, String by) {
        return new Campaign(id, name, queue, mode, callerId, hours, defaultZone, retry, amd, machineAction,
                abandonCapPct, script, dispositions, s, at, by);
    }

    /** Whether {@code code} is a right-party contact by this campaign's dispositions ({@code sale*} → {@code sale}). */
    public boolean rightParty(String code) {
        return dispositions.contains(code + "*");
    }

    /** The disposition codes without the right-party marks. */
    public List<String> dispositionCodes() {
        return dispositions.stream().map(d -> d.endsWith("*") ? d.substring(0, d.length() - 1) : d).toList();
    }

    /** The pacer's settings for this campaign. */
    public Pacer.Settings pacerSettings() {
        return Pacer.Settings.withCap(abandonCapPct);
    }

    /** The engine's pacing settings ({@code outbound.pacing}) with this campaign's cap. */
    public Pacer.Settings pacerSettings(Pacer.Settings base) {
        return base.capped(abandonCapPct);
    }
}
