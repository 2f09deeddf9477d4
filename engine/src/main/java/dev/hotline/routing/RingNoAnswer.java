package dev.hotline.routing;

import java.time.Duration;

/**
 * What happens to an agent who lets an offer ring out, or whose phone is busy or unreachable (like app_queue's
 * {@code autopause}, with a timer). The call goes back to the head of its queue in every case.
 */
public sealed interface RingNoAnswer {

    /** The agent stays ready but is offered nothing for {@code duration}; then they are matched as usual. */
    record Skip(Duration duration) implements RingNoAnswer {
        public Skip {
            Checks.positive("skip duration", duration);
        }
    }

    /** The agent goes not ready with the reason ("no answer", "busy", …) and is made ready after {@code duration}. */
    record Pause(Duration duration) implements RingNoAnswer {
        public Pause {
            Checks.positive("pause duration", duration);
        }
    }

    /** The agent goes not ready with the reason and stays so until they (or a supervisor) act. */
    record UntilAgent() implements RingNoAnswer {
    }

    /** The engine's default: not ready "no answer" for 30 s, then ready again. */
    RingNoAnswer DEFAULT = new Pause(Duration.ofSeconds(30));

    /** As written in hotline.yaml: {@code skip 20s}, {@code pause 30s}, {@code until_agent}. */
    default String describe() {
        return switch (this) {
            case Skip s -> "skip " + s.duration().toSeconds() + "s";
            case Pause p -> "pause " + p.duration().toSeconds() + "s";
            case UntilAgent u -> "until_agent";
        };
    }
}
