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

/** A WebSocket after the handshake: text frames go to the endpoint, pings are answered, close is honoured. */
final class WebSocketFrames extends SimpleChannelInboundHandler<WebSocketFrame> {

    private final WebSocketServerHandshaker handshaker;
    private final Session session;
    private final WebSocketEndpoint endpoint;

    WebSocketFrames(WebSocketServerHandshaker handshaker, Session session, WebSocketEndpoint endpoint) {
        this.handshaker = handshaker;
        this.session = session;
        this.endpoint = endpoint;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case CloseWebSocketFrame c -> handshaker.close(ctx.channel(), c.retain());
            case PingWebSocketFrame p -> ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
            case TextWebSocketFrame t -> endpoint.message(ctx.channel(), session, t.text());
            default -> { }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        endpoint.closed(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
