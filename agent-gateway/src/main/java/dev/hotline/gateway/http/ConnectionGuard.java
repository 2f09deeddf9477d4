package dev.hotline.gateway.http;

import dev.hotline.net.RateLimitedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission of the gateway's connections, before any byte is read: at most {@code maxConnections} open at once and
 * {@code maxPerAddress} from one client address. Beyond either the socket is closed at once (its file descriptor
 * goes straight back), counted in {@code hotline.gateway.refused{reason}} and logged at most once per 10 s per
 * reason. Also counts the connections closed by the gateway's time-outs ({@code hotline.gateway.timeouts{reason}}).
 * Called on the acceptor's event loop and on the I/O loops.
 */
public final class ConnectionGuard {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    /** Why a connection was refused. */
    enum Refusal { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS }

    /** Which time-out closed a connection. */
    enum Timeout { REQUEST_HEAD, KEEP_ALIVE, WEBSOCKET }

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
    private final Map<Timeout, Counter> timeouts = new EnumMap<>(Timeout.class);
    private final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));

    public ConnectionGuard(int maxConnections, int maxPerAddress, MeterRegistry registry) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = Math.min(maxPerAddress, maxConnections);
        for (Refusal r : Refusal.values()) {
            refused.put(r, Counter.builder("hotline.gateway.refused").description("Gateway connections refused")
                    .tag("reason", r.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        for (Timeout t : Timeout.values()) {
            timeouts.put(t, Counter.builder("hotline.gateway.timeouts")
                    .description("Gateway connections closed by a time-out")
                    .tag("reason", t.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        Gauge.builder("hotline.gateway.connections", open, AtomicInteger::get)
                .description("Gateway connections open").register(registry);
    }

    /** Admits {@code ch} (and releases it when it closes), or closes it at once; whether it was admitted. */
    boolean admit(Channel ch) {
        InetAddress address = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refuse(ch, Refusal.MAX_CONNECTIONS, "gateway: refused {}: {} connections open"
                    + " (gateway.limits.max_connections, after the open-file limit)", address, maxConnections);
            return false;
        }
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerAddress) {
            release(address, mine);
            open.decrementAndGet();
            refuse(ch, Refusal.MAX_CONNECTIONS_PER_ADDRESS, "gateway: refused {}: {} connections open from that"
                    + " address (gateway.limits.max_connections_per_address)", address, maxPerAddress);
            return false;
        }
        ch.closeFuture().addListener(f -> {
            release(address, mine);
            open.decrementAndGet();
        });
        return true;
    }

    private void release(InetAddress address, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            perAddress.remove(address, count);
        }
    }

    private void refuse(Channel ch, Refusal reason, String message, Object... args) {
        refused.get(reason).increment();
        refusals.warn(reason.name(), message, args);
        ch.close();
    }

    void timedOut(Timeout reason) {
        timeouts.get(reason).increment();
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    public int maxConnections() {
        return maxConnections;
    }
}
