package dev.hotline.routing;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the routing core shares agents who hold inbound and outbound skills (docs/OUTBOUND.md, "Blending"). Queues
 * named outbound by {@link Command.SetBlending} carry outbound work; every other queue is inbound. In every mode but
 * {@link Mode#PRIORITY}, an agent who becomes ready takes an inbound call they are eligible for before any outbound
 * call, whatever the priorities; the mode then says when an agent may take outbound work at all:
 * <ul>
 * <li>{@link Mode#SERVICE_LEVEL} (the default): only while every inbound queue the agent serves meets its service
 * level over the rolling {@link #window()} (answered within the queue's service-level time / visits finished, judged
 * from {@link #minCalls()} finished visits on) and has no caller waiting at or beyond its service-level time;</li>
 * <li>{@link Mode#INBOUND_IDLE}: only while no caller waits in an inbound queue the agent serves;</li>
 * <li>{@link Mode#PRIORITY}: no rule: calls compete by priority, then service-level risk, as inbound calls do.</li>
 * </ul>
 *
 * @param mode     the rule
 * @param window   the rolling window of the inbound queues' service level
 * @param minCalls finished inbound visits in the window before a queue's service level is judged (fewer: met)
 */
public record BlendRule(Mode mode, Duration window, int minCalls) {

    /** Service level over the last hour, judged from the first finished visit. */
    public static final BlendRule DEFAULT = new BlendRule(Mode.SERVICE_LEVEL, Duration.ofHours(1), 1);

    public BlendRule {
        Objects.requireNonNull(mode, "mode");
        Checks.positive("window", window);
        Checks.range("minCalls", minCalls, 1, 100_000);
    }

    /** The rule's name in configuration and explanations. */
    public enum Mode {
        SERVICE_LEVEL, INBOUND_IDLE, PRIORITY;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
