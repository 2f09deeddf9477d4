package dev.hotline.agi.server;

import dev.hotline.agi.codec.AgiDecoder;
import dev.hotline.agi.codec.AgiEncoder;
import dev.hotline.config.AgiConfig;
import dev.hotline.net.Cidr;
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

/**
 * The FastAGI server: Asterisk's {@code AGI(agi://host:port/script)} connects here, the session's call logic
 * runs on a virtual thread of its own, and Netty's event loops only move bytes.
 *
 * <p>Admission happens before any byte is read: a peer outside {@link AgiConfig#allow()} or beyond
 * {@link AgiConfig#maxSessions()} is closed at once, logged and counted. {@link #close()} stops accepting,
 * lets calls in progress finish within {@link AgiConfig#shutdownGrace()}, then closes what is left.
 */
public final class AgiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    private final AgiConfig config;
    private final AgiScriptRouter router;
    private final AgiMetrics metrics;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Set<AgiConnection> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean shuttingDown;
    private Channel serverChannel;

    public AgiServer(AgiConfig config, AgiScriptRouter router, AgiMetrics metrics) {
        this(config, router, metrics, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public AgiServer(AgiConfig config, AgiScriptRouter router, AgiMetrics metrics, int ioThreads) {
        this.config = config;
        this.router = router;
        this.metrics = metrics;
        this.boss = Transports.group(1);
        this.workers = Transports.group(ioThreads);
        metrics.activeSessions(active::get);
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
                Transports.name(), config.allow(), config.maxSessions());
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
            log.warn("FastAGI: refused {}: not in agi.allow {}", peer, config.allow());
            ch.close();
            return;
        }
        if (active.incrementAndGet() > config.maxSessions()) {
            active.decrementAndGet();
            metrics.refused(AgiMetrics.Refusal.MAX_SESSIONS);
            log.warn("FastAGI: refused {}: {} sessions open (agi.max_sessions = {})", peer, config.maxSessions(),
                    config.maxSessions());
            ch.close();
            return;
        }
        AgiConnection session = new AgiConnection(this, ids.incrementAndGet(), config.commandTimeout(), metrics);
        sessions.add(session);
        ch.pipeline()
                .addLast("decoder", new AgiDecoder(config.maxLineLength(), config.maxEnvironmentSize()))
                .addLast("encoder", AgiEncoder.INSTANCE)
                .addLast("session", session);
    }

    private void sweepDeadlines() {
        long now = System.nanoTime();
        for (AgiConnection c : sessions) {
            c.checkDeadline(now);
        }
    }

    void sessionEnded(AgiConnection session) {
        if (sessions.remove(session)) {
            active.decrementAndGet();
        }
    }

    AgiConfig config() {
        return config;
    }

    AgiScriptRouter router() {
        return router;
    }

    /** Sessions open right now. */
    public int activeSessions() {
        return active.get();
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
