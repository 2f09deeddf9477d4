package dev.hotline.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.config.GatewayLimits;
import dev.hotline.gateway.auth.Tokens;
import dev.hotline.net.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The gateway's Netty HTTP/1.1 server: admission by the {@link ConnectionGuard} (total and per-address caps), optional
 * TLS, the request and keep-alive deadlines ({@link HttpDeadlines}), request bodies up to {@value #MAX_BODY} bytes,
 * then {@link GatewayHandler}. Handlers marked blocking (static files, database work) run on {@code workers}.
 */
public final class HttpServer implements AutoCloseable {

    static final int MAX_BODY = 64 * 1024;

    private final EventLoopGroup boss = Transports.group(1);
    private final EventLoopGroup io = Transports.group(2);
    private Channel channel;

    /**
     * What bounds each connection.
     *
     * @param limits         time-outs ({@code gateway.limits})
     * @param guard          admission: the caps, and the counters of refusals and time-outs
     * @param allowedOrigins origins besides the gateway's own whose pages may open the WebSocket
     */
    public record Limits(GatewayLimits limits, ConnectionGuard guard, List<String> allowedOrigins) {
    }

    public InetSocketAddress start(String bind, int port, Optional<SslContext> tls, Router router, Tokens tokens,
                                   WebSocketEndpoint ws, ExecutorService workers, ObjectMapper json, Limits limits)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(Transports.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!limits.guard().admit(ch)) {
                            return;
                        }
                        HttpDeadlines deadlines = new HttpDeadlines(limits.limits().requestHeadTimeout(),
                                limits.limits().keepAliveTimeout(), limits.guard());
                        tls.ifPresent(ctx -> ch.pipeline().addLast("tls", ctx.newHandler(ch.alloc())));
                        ch.pipeline().addLast(HttpDeadlines.BYTES, deadlines.bytes());
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_BODY));
                        ch.pipeline().addLast(HttpDeadlines.REQUESTS, deadlines.requests());
                        // Streams file responses (recordings) in chunks instead of loading them whole; after the
                        // request deadlines so they see the chunks' LastHttpContent that ends the response.
                        ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
                        ch.pipeline().addLast("gateway", new GatewayHandler(router, tokens, ws, workers, json,
                                tls.isPresent(), limits));
                    }
                });
        channel = b.bind(bind, port).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
