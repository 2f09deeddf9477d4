package dev.hotline.handoff;

import dev.hotline.agi.AgiSession;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A waiting caller's place, kept on their own channel so that any engine can take them back after the one that
 * queued them failed: the call id, the queue, the priority, when the caller joined (their waited time and their
 * order: the routing core orders a queue by that time), how many callback offers they heard, and what the IVR asked
 * of the agent (the caller's language and the skills beyond the queue's), so the call is routed as it was.
 *
 * <p>Stored with one {@code EXEC MSet} when the call is admitted to a queue, which also clears {@code DIALSTATUS}
 * (so a finished conversation from an earlier visit is not taken for this one); read back with one
 * {@code GET FULL VARIABLE} by the {@code resume} script.
 */
public record QueuePlace(String callId, String queue, OptionalInt priority, Instant joined, int callbacksOffered,
                         String language, Map<String, Integer> skills) {

    public static final String CALL_ID = "HOTLINE_CALL_ID";
    public static final String QUEUE = "HOTLINE_QUEUE";
    public static final String PRIORITY = "HOTLINE_PRIORITY";
    public static final String JOINED = "HOTLINE_JOINED";
    public static final String CALLBACKS_OFFERED = "HOTLINE_CALLBACKS_OFFERED";
    public static final String LANGUAGE = "HOTLINE_LANGUAGE";
    /** {@code skill:level} pairs joined by {@code ;}. */
    public static final String SKILLS = "HOTLINE_SKILLS";

    /** Call ids and queue names as the dialplan can carry them. */
    private static final Pattern WORD = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._@/-]{0,127}");
    /** Languages and skill names: what MSet and the {@code |}-joined read-back carry unchanged. */
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,63}");

    /** A place with no language and no skills beyond the queue's. */
    public QueuePlace(String callId, String queue, OptionalInt priority, Instant joined, int callbacksOffered) {
        this(callId, queue, priority, joined, callbacksOffered, "", Map.of());
    }

    public QueuePlace {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(joined, "joined");
        if (!WORD.matcher(callId).matches()) {
            throw new IllegalArgumentException(CALL_ID + ": '" + callId + "' (expected: letters, digits, . _ @ / -)");
        }
        if (!WORD.matcher(queue).matches()) {
            throw new IllegalArgumentException(QUEUE + ": '" + queue + "' (expected: letters, digits, . _ @ / -)");
        }
        if (priority.isPresent() && (priority.getAsInt() < 0 || priority.getAsInt() > 100)) {
            throw new IllegalArgumentException(PRIORITY + ": " + priority.getAsInt() + " (expected: 0-100)");
        }
        if (callbacksOffered < 0) {
            throw new IllegalArgumentException(CALLBACKS_OFFERED + ": " + callbacksOffered + " (expected: >= 0)");
        }
        Objects.requireNonNull(language, "language");
        if (!language.isEmpty() && !NAME.matcher(language).matches()) {
            throw new IllegalArgumentException(LANGUAGE + ": '" + language + "' (expected: letters, digits, . _ -)");
        }
        skills.forEach((name, level) -> {
            if (!NAME.matcher(name).matches() || level == null || level < 0) {
                throw new IllegalArgumentException(SKILLS + ": '" + name + ":" + level
                        + "' (expected: a skill name of letters, digits, . _ - and a level >= 0)");
            }
        });
        skills = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skills));
    }

    /** The variables, {@code DIALSTATUS} cleared first. */
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>(8);
        vars.put("DIALSTATUS", "");
        vars.put(CALL_ID, callId);
        vars.put(QUEUE, queue);
        vars.put(PRIORITY, priority.isPresent() ? Integer.toString(priority.getAsInt()) : "");
        vars.put(JOINED, Long.toString(joined.toEpochMilli()));
        vars.put(CALLBACKS_OFFERED, Integer.toString(callbacksOffered));
        vars.put(LANGUAGE, language);
        StringBuilder pairs = new StringBuilder();
        skills.forEach((name, level) -> pairs.append(pairs.isEmpty() ? "" : ";").append(name).append(':').append(level));
        vars.put(SKILLS, pairs.toString());
        return vars;
    }

    /** Stores the place on the caller's channel: one round trip. */
    public void store(AgiSession session) {
        ChannelVariables.setAll(session, variables());
    }

    /** The expression {@link #parse} reads: the place's variables joined by {@code |}. */
    static String expression() {
        return "${" + CALL_ID + "}|${" + QUEUE + "}|${" + PRIORITY + "}|${" + JOINED + "}|${" + CALLBACKS_OFFERED
                + "}|${" + LANGUAGE + "}|${" + SKILLS + "}";
    }

    /**
     * The place from the values of {@link #expression()}; empty when the channel holds none (never queued), or
     * throws naming the variable when a value is malformed (someone's dialplan wrote over it).
     */
    static Optional<QueuePlace> parse(String[] values) {
        if (values.length < 5 || values[0].isEmpty() || values[1].isEmpty() || values[3].isEmpty()) {
            return Optional.empty();
        }
        OptionalInt priority = values[2].isEmpty() ? OptionalInt.empty() : OptionalInt.of(number(PRIORITY, values[2]));
        Instant joined = Instant.ofEpochMilli(parseLong(JOINED, values[3]));
        int offered = values[4].isEmpty() ? 0 : (int) number(CALLBACKS_OFFERED, values[4]);
        String language = values.length > 5 ? values[5] : "";
        Map<String, Integer> skills = new LinkedHashMap<>();
        if (values.length > 6 && !values[6].isEmpty()) {
            for (String pair : values[6].split(";")) {
                int colon = pair.lastIndexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(SKILLS + ": '" + values[6] + "' (expected: skill:level;…)");
                }
                skills.put(pair.substring(0, colon), number(SKILLS, pair.substring(colon + 1)));
            }
        }
        return Optional.of(new QueuePlace(values[0], values[1], priority, joined, offered, language, skills));
    }

    private static int number(String name, String value) {
        return (int) Math.min(Integer.MAX_VALUE, parseLong(name, value));
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: a number)");
        }
    }
}
