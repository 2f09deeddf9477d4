package dev.hotline.outbound;

import java.util.Locale;

/**
 * How one dialling attempt ended. {@link #CONNECTED} and {@link #ABANDONED} are the two outcomes of a call a person
 * answered ("live connects"); the abandon rate is {@code ABANDONED / (CONNECTED + ABANDONED)}.
 */
public enum Outcome {
    /** A person answered and was put through to an agent. */
    CONNECTED,
    /** A person answered and no agent took the call within the abandon limit (2 s): they heard the message. */
    ABANDONED,
    /** Answering-machine detection heard a machine. */
    MACHINE,
    /** The line was busy. */
    BUSY,
    /** Nobody answered within the ring time. */
    NO_ANSWER,
    /** The number could not be reached (invalid, congestion, trunk refused). */
    FAILED,
    /** Preview: the agent skipped the contact without dialling. */
    SKIPPED,
    /** The number was on the do-not-call list at dial time; never dialled. */
    DO_NOT_CALL;

    /** Whether a person answered the phone (the abandon rate's denominator). */
    public boolean liveAnswer() {
        return this == CONNECTED || this == ABANDONED;
    }

    /** The lower-case name used in files, the API and reports ({@code no_answer}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@link #wireName()} (case-insensitive, {@code -} accepted for {@code _}). */
    public static Outcome parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Outcome o : values()) {
            if (o.name().equals(t)) {
                return o;
            }
        }
        throw new IllegalArgumentException("outcome: '" + text + "' (expected one of: connected, abandoned, machine,"
                + " busy, no_answer, failed, skipped, do_not_call)");
    }

    /** From Asterisk's {@code DIALSTATUS} or an Originate failure reason. */
    public static Outcome ofDialStatus(String dialStatus) {
        return switch (dialStatus.trim().toUpperCase(Locale.ROOT)) {
            case "ANSWER" -> CONNECTED;
            case "BUSY" -> BUSY;
            case "NOANSWER", "CANCEL" -> NO_ANSWER;
            default -> FAILED;
        };
    }
}
