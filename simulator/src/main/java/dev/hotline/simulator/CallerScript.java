package dev.hotline.simulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scripted caller for tests: who calls which number, which digits to press at which prompt, when to hang up.
 * Steps are used once each, in order: the first step whose trigger matches the prompt (or wait) fires.
 *
 * <pre>{@code
 * CallerScript.calling("5551234").from("0612345678", "PSTN Caller")
 *         .atPrompt("main-menu", new Reaction.Press("2", Duration.ofMillis(300)))
 *         .whileWaiting(new Reaction.HangUp(Duration.ofSeconds(30)))
 *         .build();
 * }</pre>
 */
public record CallerScript(
        String extension, String callerIdNum, String callerIdName, List<Step> steps, Optional<Duration> hangUpAfter) {

    /** A step: {@code prompt} is a file name, or empty to match a wait. */
    public record Step(Optional<String> prompt, Reaction reaction) {
        public Step {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(reaction, "reaction");
        }
    }

    public CallerScript {
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(callerIdNum, "callerIdNum");
        Objects.requireNonNull(callerIdName, "callerIdName");
        steps = List.copyOf(steps);
        Objects.requireNonNull(hangUpAfter, "hangUpAfter");
        if (extension.isBlank()) {
            throw new IllegalArgumentException("caller script: extension is blank");
        }
    }

    public static Builder calling(String extension) {
        return new Builder(extension);
    }

    /** A fresh behaviour for one call. */
    public CallerBehaviour start() {
        Deque<Step> remaining = new ArrayDeque<>(steps);
        return new CallerBehaviour() {
            @Override
            public Reaction onPrompt(String file) {
                return take(Optional.of(file));
            }

            @Override
            public Reaction onWait() {
                return take(Optional.empty());
            }

            @Override
            public Optional<Duration> hangUpAfter() {
                return hangUpAfter;
            }

            private Reaction take(Optional<String> trigger) {
                Step next = remaining.peekFirst();
                if (next != null && next.prompt.equals(trigger)) {
                    remaining.removeFirst();
                    return next.reaction;
                }
                return Reaction.NOTHING;
            }
        };
    }

    public static final class Builder {
        private final String extension;
        private String callerIdNum = "0612345678";
        private String callerIdName = "PSTN Caller";
        private final List<Step> steps = new ArrayList<>();
        private Optional<Duration> hangUpAfter = Optional.empty();

        private Builder(String extension) {
            this.extension = extension;
        }

        public Builder from(String number, String name) {
            this.callerIdNum = number;
            this.callerIdName = name;
            return this;
        }

        public Builder atPrompt(String file, Reaction reaction) {
            steps.add(new Step(Optional.of(file), reaction));
            return this;
        }

        public Builder whileWaiting(Reaction reaction) {
            steps.add(new Step(Optional.empty(), reaction));
            return this;
        }

        public Builder hangUpAfter(Duration after) {
            if (after.isNegative()) {
                throw new IllegalArgumentException("hangUpAfter: " + after + " (expected: >= 0)");
            }
            this.hangUpAfter = Optional.of(after);
            return this;
        }

        public CallerScript build() {
            return new CallerScript(extension, callerIdNum, callerIdName, steps, hangUpAfter);
        }
    }
}
