package dev.hotline.gateway.http;

import dev.hotline.gateway.auth.Session;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket after the handshake: text frames go to the endpoint, pings are answered, close is honoured. The gateway
 * pings every {@code pingInterval}; a connection from which nothing (not even the pong, which browsers send by
 * themselves) arrived for an interval plus {@code pongTimeout} is closed: a client that vanished without closing
 * does not keep its socket.
 */
final class WebSocketFrames extends SimpleChannelInboundHandler<WebSocketFrame> {

    private final WebSocketServerHandshaker handshaker;
    private final Session session;
    private final WebSocketEndpoint endpoint;
    private final long pingNanos;
    private final long silenceNanos;
    private final ConnectionGuard guard;
    private long lastRead = System.nanoTime();
    private ScheduledFuture<?> pinger;

    WebSocketFrames(WebSocketServerHandshaker handshaker, Session session, WebSocketEndpoint endpoint,
                    Duration pingInterval, Duration pongTimeout, ConnectionGuard guard) {
        this.handshaker = handshaker;
        this.session = session;
        this.endpoint = endpoint;
        this.pingNanos = pingInterval.toNanos();
        this.silenceNanos = pingInterval.plus(pongTimeout).toNanos();
        this.guard = guard;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pinger = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), pingNanos, pingNanos, TimeUnit.NANOSECONDS);
    }

    private void ping(ChannelHandlerContext ctx) {
        if (System.nanoTime() - lastRead > silenceNanos) {
            guard.timedOut(ConnectionGuard.Timeout.WEBSOCKET);
            ctx.close();
            return;
        }
        ctx.writeAndFlush(new PingWebSocketFrame());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        lastRead = System.nanoTime();
        switch (frame) {
            case CloseWebSocketFrame c -> handshaker.close(ctx.channel(), c.retain());
            case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
            case TextWebSocketFrame t -> endpoint.message(ctx.channel(), session, t.text());
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        endpoint.closed(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
