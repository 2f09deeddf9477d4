package dev.hotline.agi.server.micrometer;

import dev.hotline.agi.server.AgiMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * FastAGI metrics in Micrometer: {@code hotline.agi.sessions.active}, {@code hotline.agi.connections.pending},
 * {@code hotline.agi.sessions.started},
 * {@code hotline.agi.sessions.ended{outcome}}, {@code hotline.agi.refused{reason}},
 * {@code hotline.agi.command{command}} (round-trip timer with a histogram) and
 * {@code hotline.agi.protocol.errors{reason}}.
 */
public final class MicrometerAgiMetrics implements AgiMetrics {

    private final MeterRegistry registry;
    private final Counter started;
    private final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Map<String, Timer> commands = new ConcurrentHashMap<>();
    private final Map<String, Counter> protocolErrors = new ConcurrentHashMap<>();

    public MicrometerAgiMetrics(MeterRegistry registry) {
        this.registry = registry;
        started = Counter.builder("hotline.agi.sessions.started").description("FastAGI sessions started")
                .register(registry);
        for (Outcome o : Outcome.values()) {
            ended.put(o, Counter.builder("hotline.agi.sessions.ended").description("FastAGI sessions ended")
                    .tag("outcome", o.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (Refusal r : Refusal.values()) {
            refused.put(r, Counter.builder("hotline.agi.refused").description("FastAGI connections refused")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
    }

    @Override
    public void sessionStarted() {
        started.increment();
    }

    @Override
    public void sessionEnded(Outcome outcome) {
        ended.get(outcome).increment();
    }

    @Override
    public void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    @Override
    public void commandCompleted(String command, Duration roundTrip) {
        commands.computeIfAbsent(command, c -> Timer.builder("hotline.agi.command")
                .description("FastAGI command round trip (sent to reply)")
                .tag("command", c).publishPercentileHistogram().register(registry)).record(roundTrip);
    }

    @Override
    public void protocolError(String reason) {
        protocolErrors.computeIfAbsent(reason, r -> Counter.builder("hotline.agi.protocol.errors")
                .description("FastAGI sessions closed for a protocol error").tag("reason", r)
                .register(registry)).increment();
    }

    @Override
    public void activeSessions(IntSupplier active) {
        Gauge.builder("hotline.agi.sessions.active", active::getAsInt)
                .description("Open FastAGI sessions (calls: agi_* environment received)").register(registry);
    }

    @Override
    public void pendingConnections(IntSupplier pending) {
        Gauge.builder("hotline.agi.connections.pending", pending::getAsInt)
                .description("FastAGI connections whose agi_* environment has not arrived yet").register(registry);
    }
}
