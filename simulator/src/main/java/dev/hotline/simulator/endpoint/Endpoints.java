package dev.hotline.simulator.endpoint;

import dev.hotline.simulator.ami.EventSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The simulated phones, by device name ({@code PJSIP/1001}, or {@code Local/1001@agents} for Local members). */
public final class Endpoints {

    private final Map<String, Endpoint> byName = new ConcurrentHashMap<>();
    private final Supplier<EventSink> events;

    public Endpoints(Supplier<EventSink> events) {
        this.events = events;
    }

    EventSink events() {
        return events.get();
    }

    public Endpoint add(String name, EndpointBehaviour behaviour, boolean registered) {
        if (!name.contains("/")) {
            throw new IllegalArgumentException("endpoint name: '" + name + "' (expected: TECH/resource, e.g. PJSIP/1001)");
        }
        Endpoint endpoint = new Endpoint(name, this, behaviour, registered);
        if (byName.putIfAbsent(name, endpoint) != null) {
            throw new IllegalArgumentException("endpoint defined twice: " + name);
        }
        return endpoint;
    }

    public Optional<Endpoint> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<Endpoint> all() {
        return byName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
}
