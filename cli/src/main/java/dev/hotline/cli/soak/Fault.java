package dev.hotline.cli.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A fault the soak injects (docs/SOAK.md says what each one does and how often). */
public enum Fault {
    /** Asterisk killed with calls up (no Hangup events, every socket closed), a new one 5 s later on the same port. */
    ASTERISK_RESTART("asterisk-restart"),
    /** Every AMI connection cut; Asterisk takes a new one at once. */
    AMI_CUT("ami-cut"),
    /** AMI down for 20 s: connections cut, the port refuses; calls go on. */
    AMI_DOWN("ami-down"),
    /** For 30 s no agent's phone answers: every offer rings until its time-out. */
    NO_ANSWER("no-answer"),
    /** For 15 s callers arrive at ten times the rate, into queues of at most 4 waiting: full queues. */
    OVERLOAD("overload"),
    /** A third of the callers hang up at a random moment in their first 40 s: in the IVR, waiting, ringing, talking. */
    HANGUPS("hangups"),
    /** A third of the callers press digits at random moments, most of them while no command reads (lost). */
    DTMF_LOST("dtmf-lost"),
    /** For 30 s every database round trip takes 200 ms longer (a proxy in front of MariaDB; needs --database). */
    SLOW_DB("slow-db");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Faults that act at a moment (the others are always on for the callers they pick). */
    public boolean scheduled() {
        return this != HANGUPS && this != DTMF_LOST;
    }

    /**
     * {@code all}, {@code none} or a comma-separated list of labels.
     *
     * @throws IllegalArgumentException naming the unknown label and the known ones
     */
    public static Set<Fault> parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.equals("all")) {
            return EnumSet.allOf(Fault.class);
        }
        Set<Fault> out = EnumSet.noneOf(Fault.class);
        if (trimmed.equals("none")) {
            return out;
        }
        for (String part : trimmed.split(",")) {
            String label = part.trim();
            Fault found = Arrays.stream(values()).filter(f -> f.label.equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--faults: unknown fault '" + label
                            + "' (expected: all, none, or a comma-separated list of " + labels() + ")"));
            out.add(found);
        }
        return out;
    }

    static List<String> labels() {
        List<String> out = new ArrayList<>();
        for (Fault f : values()) {
            out.add(f.label);
        }
        return out;
    }
}
