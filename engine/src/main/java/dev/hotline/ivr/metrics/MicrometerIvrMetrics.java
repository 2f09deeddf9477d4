package dev.hotline.ivr.metrics;

import dev.hotline.ivr.runtime.IvrMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * IVR metrics in Micrometer: {@code hotline.ivr.node.visits} (tags script, node, type),
 * {@code hotline.ivr.outcomes} (script, outcome), {@code hotline.ivr.lookups} (script, node, result) and
 * {@code hotline.ivr.prompt.failures} (script, file): prompts Asterisk could not play, usually a missing file.
 */
public final class MicrometerIvrMetrics implements IvrMetrics {

    private final MeterRegistry registry;

    public MicrometerIvrMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void nodeVisited(String script, String node, String type) {
        Counter.builder("hotline.ivr.node.visits").description("Calls entering an IVR node")
                .tags("script", script, "node", node, "type", type).register(registry).increment();
    }

    @Override
    public void outcome(String script, String outcome) {
        Counter.builder("hotline.ivr.outcomes").description("Calls leaving the IVR, by outcome")
                .tags("script", script, "outcome", outcome).register(registry).increment();
    }

    @Override
    public void lookup(String script, String node, boolean ok, Duration took) {
        Timer.builder("hotline.ivr.lookups").description("CRM lookups made by IVR scripts")
                .tags("script", script, "node", node, "result", ok ? "ok" : "error").register(registry).record(took);
    }

    @Override
    public void promptFailed(String script, String file) {
        Counter.builder("hotline.ivr.prompt.failures").description("IVR prompts Asterisk could not play (missing file)")
                .tags("script", script, "file", file).register(registry).increment();
    }
}
