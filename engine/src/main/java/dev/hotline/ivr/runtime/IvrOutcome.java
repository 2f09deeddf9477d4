package dev.hotline.ivr.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** How a call left the IVR. */
public sealed interface IvrOutcome {

    /** One line for logs and the dry-run: {@code queue sales}, {@code transfer 1001}, {@code hangup}… */
    String describe();

    /**
     * Hand the call to an ACD queue.
     *
     * @param skills   skill overrides (skill → minimum proficiency 1–10) on top of the queue's own
     * @param priority priority override (0–100), when the script set one
     * @param data     what the agent sees (screen pop): values collected and looked up in the IVR
     */
    record Queue(String queue, Map<String, Integer> skills, OptionalInt priority, Map<String, String> data)
            implements IvrOutcome {
        public Queue {
            Objects.requireNonNull(queue, "queue");
            skills = Collections.unmodifiableMap(new LinkedHashMap<>(skills));
            Objects.requireNonNull(priority, "priority");
            data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        }

        @Override
        public String describe() {
            return "queue " + queue;
        }
    }

    /** Transfer to an extension or outside number. */
    record Transfer(String target) implements IvrOutcome {
        public Transfer {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String describe() {
            return "transfer " + target;
        }
    }

    /** Leave a message in a voicemail box. */
    record Voicemail(String box) implements IvrOutcome {
        public Voicemail {
            Objects.requireNonNull(box, "box");
        }

        @Override
        public String describe() {
            return "voicemail " + box;
        }
    }

    /** Why a call ended without being handed on. */
    enum Cause {
        /** A {@code hangup} node. */
        SCRIPT,
        /** The caller hung up. */
        CALLER,
        /** The script could not go on (Asterisk error, lost connection, runaway script); see the path. */
        ERROR
    }

    /** The call ended in the IVR. */
    record Hangup(Cause cause, String detail) implements IvrOutcome {
        public Hangup {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String describe() {
            return "hangup";
        }
    }
}
