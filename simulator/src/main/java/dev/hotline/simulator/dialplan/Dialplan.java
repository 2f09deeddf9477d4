package dev.hotline.simulator.dialplan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Context name → what runs there. Contexts not listed have no extensions: a channel sent there hangs up. */
public record Dialplan(Map<String, DialplanContext> contexts) {

    public Dialplan {
        contexts = Map.copyOf(contexts);
    }

    public static Dialplan of(List<DialplanContext> contexts) {
        Map<String, DialplanContext> byName = new LinkedHashMap<>();
        for (DialplanContext context : contexts) {
            if (byName.put(context.name(), context) != null) {
                throw new IllegalArgumentException("dialplan context defined twice: " + context.name());
            }
        }
        return new Dialplan(byName);
    }

    public Optional<DialplanContext> context(String name) {
        return Optional.ofNullable(contexts.get(name));
    }
}
