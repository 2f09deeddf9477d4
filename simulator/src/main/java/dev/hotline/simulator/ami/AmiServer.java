package dev.hotline.simulator.ami;

import dev.hotline.simulator.model.Pbx;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.string.StringEncoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** The AMI listener; also the {@link EventSink} that fans events out to logged-in sessions. */
public final class AmiServer implements EventSink {

    private final Pbx pbx;
    private final String user;
    private final String secret;
    private final Set<AmiSession> listeners = ConcurrentHashMap.newKeySet();
    private final Set<AmiSession> sessions = ConcurrentHashMap.newKeySet();
    private final InetSocketAddress bind;
    private final EventFilter filter;
    private final LongAdder eventsSent = new LongAdder();
    private volatile Channel serverChannel;
    /** More AMI users than the configured one (e.g. one per engine of a pair), by name: their secrets. */
    private final java.util.Map<String, String> moreUsers = new ConcurrentHashMap<>();
    private volatile ActionLog actionLog = ActionLog.NONE;

    /** Told of every call-changing action a logged-in session sends (the AMI user, the action's lower-case name). */
    @FunctionalInterface
    public interface ActionLog {
        ActionLog NONE = (user, action, message) -> { };

        void action(String user, String action, AmiMessage message);
    }
    private volatile int downPort = -1;

    private AmiServer(Pbx pbx, InetSocketAddress bind, String user, String secret, EventFilter filter) {
        this.pbx = pbx;
        this.bind = bind;
        this.user = user;
        this.secret = secret;
        this.filter = filter;
    }

    public static AmiServer start(Pbx pbx, InetSocketAddress bind, String user, String secret) {
        return start(pbx, bind, user, secret, EventFilter.NONE);
    }

    /** As above, sending the user only the events {@code filter} lets through (manager.conf's read and eventfilter). */
    public static AmiServer start(Pbx pbx, InetSocketAddress bind, String user, String secret, EventFilter filter) {
        AmiServer server = new AmiServer(pbx, bind, user, secret, filter);
        server.serverChannel = server.listen(bind);
        return server;
    }

    private Channel listen(InetSocketAddress address) {
        AmiServer server = this;
        return new ServerBootstrap()
                .group(pbx.group())
                .channel(NioServerSocketChannel.class)
                // A restarted simulator binds the same fixed port again at once, as a restarted Asterisk does.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel socket) {
                        AmiSession session = new AmiSession(server, pbx);
                        server.sessions.add(session);
                        socket.closeFuture().addListener(f -> server.sessions.remove(session));
                        socket.pipeline().addLast(new AmiFrameDecoder(), new StringEncoder(StandardCharsets.UTF_8),
                                session);
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
    }

    public int port() {
        if (downPort >= 0) {
            return downPort;
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    boolean credentialsMatch(String username, String password) {
        return secretOf(username).map(password::equals).orElse(false);
    }

    /** The secret of AMI user {@code username}, if it is one. */
    java.util.Optional<String> secretOf(String username) {
        return user.equals(username) ? java.util.Optional.of(secret)
                : java.util.Optional.ofNullable(moreUsers.get(username));
    }

    /** Accepts one more AMI user (same events, same filter). */
    public void addUser(String username, String password) {
        moreUsers.put(java.util.Objects.requireNonNull(username, "username"),
                java.util.Objects.requireNonNull(password, "password"));
    }

    /** Tells {@code log} of every call-changing action from now on. */
    public void actionLog(ActionLog log) {
        this.actionLog = java.util.Objects.requireNonNull(log, "log");
    }

    void logAction(String username, String action, AmiMessage message) {
        actionLog.action(username, action, message);
    }

    String user() {
        return user;
    }

    String secret() {
        return secret;
    }

    void listen(AmiSession session) {
        listeners.add(session);
    }

    void forget(AmiSession session) {
        listeners.remove(session);
    }

    @Override
    public void publish(Supplier<AmiMessage> event) {
        if (listeners.isEmpty()) {
            return;
        }
        AmiMessage message = event.get();
        if (filter != EventFilter.NONE && !filter.allows(message)) {
            return;
        }
        String wire = message.toWire();
        for (AmiSession session : listeners) {
            session.sendEvent(wire);
            eventsSent.increment();
        }
    }

    /** Events written to logged-in sessions so far (after the filter), over all sessions. */
    public long eventsSent() {
        return eventsSent.sum();
    }

    /** Cuts every open manager connection (clients may reconnect); returns how many were cut. */
    public int dropConnections() {
        int n = sessions.size();
        sessions.forEach(AmiSession::drop);
        return n;
    }

    /**
     * AMI goes down: every connection is cut and the port refuses new ones (connection refused), as when Asterisk's
     * manager is stopped. Calls go on. {@link #startListening()} brings it back on the same port.
     */
    public synchronized void stopListening() {
        int port = port();
        if (downPort >= 0) {
            return;
        }
        downPort = port;
        serverChannel.close().syncUninterruptibly();
        dropConnections();
    }

    /** AMI back after {@link #stopListening()}, on the same port. */
    public synchronized void startListening() {
        if (downPort < 0) {
            return;
        }
        serverChannel = listen(new InetSocketAddress(bind.getAddress(), downPort));
        downPort = -1;
    }

    public synchronized void close() {
        if (downPort < 0) {
            serverChannel.close().syncUninterruptibly();
        }
    }
}
