package dev.hotline.agi.server;

import dev.hotline.agi.codec.AgiDecoder;
import dev.hotline.agi.codec.AgiEncoder;
import dev.hotline.config.AgiConfig;
import dev.hotline.net.Cidr;
import dev.hotline.net.RateLimitedLog;
import dev.hotline.net.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The FastAGI server: Asterisk's {@code AGI(agi://host:port/script)} connects here, the session's call logic
 * runs on a virtual thread of its own, and Netty's event loops only move bytes.
 *
 * <p>Admission happens before any byte is read: a peer outside {@link AgiConfig#allow()} or beyond
 * {@link AgiConfig#maxSessions()} is closed at once, counted and logged (at most once per 10 s per reason). A
 * connection becomes a call (counted in {@link #activeSessions()}) only when its whole agi_* environment has
 * arrived, which must happen within {@link AgiConfig#environmentTimeout()}: a peer that trickles header lines is
 * closed at that deadline and never counted as a caller. {@link #close()} stops accepting, lets calls in progress
 * finish within {@link AgiConfig#shutdownGrace()}, then closes what is left.
 */
public final class AgiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    private final AgiConfig config;
    private final AgiScriptRouter router;
    private final AgiMetrics metrics;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Set<AgiConnection> sessions = ConcurrentHashMap.newKeySet();
    /** Connections admitted (what {@link AgiConfig#maxSessions()} caps: each holds a file descriptor). */
    private final AtomicInteger active = new AtomicInteger();
    /** Of those, the ones whose environment has arrived: calls. */
    private final AtomicInteger calls = new AtomicInteger();
    private final LongSupplier ticker;
    private final RateLimitedLog refusals = new RateLimitedLog(log, Duration.ofSeconds(10));
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean shuttingDown;
    private volatile int maxSessions;
    private Channel serverChannel;

    public AgiServer(AgiConfig config, AgiScriptRouter router, AgiMetrics metrics) {
        this(config, router, metrics, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public AgiServer(AgiConfig config, AgiScriptRouter router, AgiMetrics metrics, int ioThreads) {
        this(config, router, metrics, ioThreads, System::nanoTime);
    }

    /** @param ticker the time deadlines are measured in, as {@link System#nanoTime()} (tests move it by hand) */
    AgiServer(AgiConfig config, AgiScriptRouter router, AgiMetrics metrics, int ioThreads, LongSupplier ticker) {
        this.config = config;
        this.router = router;
        this.metrics = metrics;
        this.ticker = ticker;
        this.maxSessions = config.maxSessions();
        this.boss = Transports.group(1);
        this.workers = Transports.group(ioThreads);
        metrics.activeSessions(calls::get);
        metrics.pendingConnections(() -> Math.max(0, active.get() - calls.get()));
    }

    /** Binds and starts accepting; returns the bound address (useful with port 0). */
    public InetSocketAddress start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        admit(ch);
                    }
                });
        try {
            serverChannel = b.bind(config.bind(), config.port()).sync().channel();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("FastAGI server: cannot listen on " + config.bind() + ":" + config.port()
                    + " (" + e.getMessage() + "); is another process using the port? (agi.bind / agi.port)", e);
        }
        // One sweep for every session's command deadline and idle time, instead of timers per command/session.
        boss.scheduleAtFixedRate(this::sweepDeadlines, 100, 100, TimeUnit.MILLISECONDS);
        InetSocketAddress at = (InetSocketAddress) serverChannel.localAddress();
        log.info("FastAGI server listening on {}:{} ({}; allow {}; max {} sessions)", at.getHostString(), at.getPort(),
                Transports.name(), config.allow(), maxSessions);
        return at;
    }

    private void admit(SocketChannel ch) {
        InetSocketAddress peer = ch.remoteAddress();
        if (shuttingDown) {
            metrics.refused(AgiMetrics.Refusal.SHUTTING_DOWN);
            ch.close();
            return;
        }
        if (config.allow().stream().noneMatch(c -> c.contains(peer.getAddress()))) {
            metrics.refused(AgiMetrics.Refusal.NOT_ALLOWED);
            refusals.warn("not_allowed", "FastAGI: refused {}: not in agi.allow {}", peer, config.allow());
            ch.close();
            return;
        }
        if (active.incrementAndGet() > maxSessions) {
            active.decrementAndGet();
            metrics.refused(AgiMetrics.Refusal.MAX_SESSIONS);
            refusals.warn("max_sessions", "FastAGI: refused {}: {} sessions open (agi.max_sessions = {}{})", peer,
                    maxSessions, config.maxSessions(), maxSessions < config.maxSessions()
                            ? ", lowered to fit the open-file limit" : "");
            ch.close();
            return;
        }
        AgiConnection session = new AgiConnection(this, ids.incrementAndGet(), config.commandTimeout(), metrics,
                ticker.getAsLong());
        sessions.add(session);
        ch.pipeline()
                .addLast("decoder", new AgiDecoder(config.maxLineLength(), config.maxEnvironmentSize()))
                .addLast("encoder", AgiEncoder.INSTANCE)
                .addLast("session", session);
    }

    private void sweepDeadlines() {
        long now = ticker.getAsLong();
        for (AgiConnection c : sessions) {
            c.checkDeadline(now);
        }
    }

    long nanoTime() {
        return ticker.getAsLong();
    }

    /** The connection's environment arrived: it is a call from now on. */
    void callStarted() {
        calls.incrementAndGet();
    }

    void sessionEnded(AgiConnection session) {
        if (sessions.remove(session)) {
            active.decrementAndGet();
            if (session.started()) {
                calls.decrementAndGet();
            }
        }
    }

    /** Logs a connection closed at the environment deadline, at most once per 10 s. */
    void environmentTimedOut(AgiConnection session) {
        refusals.warn("environment_timeout", "FastAGI: closed {}: no complete agi_* environment within {}"
                + " (agi.environment_timeout)", session.describe(), config.environmentTimeout());
    }

    AgiConfig config() {
        return config;
    }

    AgiScriptRouter router() {
        return router;
    }

    /** Calls open right now: sessions whose agi_* environment has arrived. */
    public int activeSessions() {
        return calls.get();
    }

    /** Connections open whose agi_* environment has not arrived yet. */
    public int pendingConnections() {
        return Math.max(0, active.get() - calls.get());
    }

    /**
     * Lowers the session cap below {@link AgiConfig#maxSessions()} (never raises it): what the open-file limit
     * leaves for FastAGI. Call before {@link #start()}.
     */
    public AgiServer limitSessions(int cap) {
        maxSessions = Math.max(1, Math.min(config.maxSessions(), cap));
        return this;
    }

    /** True when {@code address} may connect. */
    public boolean allows(java.net.InetAddress address) {
        return config.allow().stream().anyMatch((Cidr c) -> c.contains(address));
    }

    /** Stops accepting, waits up to the configured grace for calls to finish, then closes the rest. */
    @Override
    public void close() {
        close(config.shutdownGrace());
    }

    public void close(Duration grace) {
        shuttingDown = true;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = active.get();
        if (left > 0) {
            log.warn("FastAGI server: {} session(s) still open after the {} shutdown grace; closing them", left, grace);
            sessions.forEach(AgiConnection::closeForShutdown);
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
