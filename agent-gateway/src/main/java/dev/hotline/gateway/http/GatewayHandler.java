package dev.hotline.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.gateway.auth.Session;
import dev.hotline.gateway.auth.Tokens;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.stream.ChunkedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns each HTTP request into a {@link Request}, routes it and writes the {@link Response}. {@code GET /ws} with a
 * valid one-time {@code ticket} (from {@code POST /api/ws/ticket}) and an {@code Origin} that is the gateway's own or
 * one of {@code gateway.allowed_origins} is upgraded to a WebSocket handed to the {@link WebSocketEndpoint}.
 * Errors become {@code {"error", "detail"}} JSON; an unexpected exception is logged with a reference number and
 * the client gets only that number, never a stack trace.
 */
final class GatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(GatewayHandler.class);
    private static final AtomicLong ERROR_REFS = new AtomicLong();

    private final Router router;
    private final Tokens tokens;
    private final WebSocketEndpoint ws;
    private final ExecutorService workers;
    private final ObjectMapper json;
    private final boolean tls;
    private final HttpServer.Limits limits;

    GatewayHandler(Router router, Tokens tokens, WebSocketEndpoint ws, ExecutorService workers, ObjectMapper json,
                   boolean tls, HttpServer.Limits limits) {
        this.router = router;
        this.tokens = tokens;
        this.ws = ws;
        this.workers = workers;
        this.json = json;
        this.tls = tls;
        this.limits = limits;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        boolean head = msg.method().equals(HttpMethod.HEAD);
        if (!msg.decoderResult().isSuccess()) {
            write(ctx, error(new ApiException(400, "bad request", "malformed HTTP request")), false, false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(msg.uri());
        String path = uri.path();
        String address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
        try {
            if (path.equals("/ws")) {
                upgrade(ctx, msg, uri);
                return;
            }
            Optional<Session> session = bearer(msg.headers().get(HttpHeaderNames.AUTHORIZATION))
                    .flatMap(tokens::find);
            Request request = new Request(msg.method().name(), path, uri.parameters(), ByteBufUtil.getBytes(
                    msg.content()), msg.headers().get(HttpHeaderNames.CONTENT_TYPE), address, session, json);
            Router.Match match = router.match(request.method(), path);
            request.pathParams(match.params());
            request.headers(msg.headers());
            if (match.route().async() != null) {
                runAsync(match.route(), request).whenComplete((r, e) -> write(ctx, r, keepAlive, head));
            } else if (match.route().blocking()) {
                try {
                    workers.execute(() -> write(ctx, run(match.route(), request), keepAlive, head));
                } catch (RejectedExecutionException e) {
                    write(ctx, error(new ApiException(503, "unavailable", "the gateway is shutting down")), false,
                            false);
                }
            } else {
                write(ctx, run(match.route(), request), keepAlive, head);
            }
        } catch (ApiException e) {
            write(ctx, error(e), keepAlive, head);
        }
    }

    private Response run(Router.Route route, Request request) {
        try {
            return route.handler().handle(request);
        } catch (ApiException e) {
            return error(e);
        } catch (Exception | Error e) {
            long ref = ERROR_REFS.incrementAndGet();
            log.error("gateway: {} {} failed (ref {})", request.method(), request.path(), ref, e);
            return error(new ApiException(500, "internal error", "the request failed; the gateway log has the"
                    + " details under ref " + ref));
        }
    }

    /** Never fails: a failed or throwing handler completes with its JSON error. */
    private java.util.concurrent.CompletionStage<Response> runAsync(Router.Route route, Request request) {
        java.util.concurrent.CompletionStage<Response> stage;
        try {
            stage = route.async().handle(request);
        } catch (ApiException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(error(e));
        } catch (Exception | Error e) {
            return java.util.concurrent.CompletableFuture.completedFuture(internal(request, e));
        }
        return stage.handle((r, e) -> {
            if (e == null) {
                return r;
            }
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            return cause instanceof ApiException a ? error(a) : internal(request, cause);
        });
    }

    private Response internal(Request request, Throwable e) {
        long ref = ERROR_REFS.incrementAndGet();
        log.error("gateway: {} {} failed (ref {})", request.method(), request.path(), ref, e);
        return error(new ApiException(500, "internal error", "the request failed; the gateway log has the"
                + " details under ref " + ref));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest msg, QueryStringDecoder uri) {
        if (!msg.method().equals(HttpMethod.GET)) {
            throw new ApiException(405, "method not allowed", msg.method() + " /ws (expected: GET)");
        }
        String host = msg.headers().get(HttpHeaderNames.HOST, "");
        String origin = msg.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !originAllowed(origin, host)) {
            throw ApiException.forbidden("a page from " + origin + " may not open the live WebSocket (expected: this"
                    + " gateway's own origin, host " + host + ", or one of gateway.allowed_origins)");
        }
        if (uri.parameters().containsKey("token")) {
            throw ApiException.unauthorized("the token does not go in the URL (expected: /ws?ticket=<ticket from"
                    + " POST /api/ws/ticket>)");
        }
        String ticket = uri.parameters().getOrDefault("ticket", List.of("")).get(0);
        Session session = tokens.redeem(ticket).orElseThrow(() -> ApiException.unauthorized(
                "missing, used or expired ticket (expected: /ws?ticket=<ticket from POST /api/ws/ticket, valid "
                        + Tokens.TICKET_TTL.toSeconds() + " s, once>)"));
        String scheme = tls ? "wss" : "ws";
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                scheme + "://" + host + "/ws", null, false, HttpServer.MAX_BODY).newHandshaker(msg);
        if (hs == null) {
            throw new ApiException(426, "upgrade required", "GET /ws needs a WebSocket upgrade (version 13)");
        }
        HttpDeadlines.remove(ctx.pipeline());
        ctx.pipeline().replace(this, "ws", new WebSocketFrames(hs, session, ws, limits.limits().webSocketPingInterval(),
                limits.limits().webSocketPongTimeout(), limits.guard()));
        hs.handshake(ctx.channel(), msg).addListener(f -> {
            if (f.isSuccess()) {
                ws.opened(ctx.channel(), session);
            } else {
                ctx.close();
            }
        });
    }

    /**
     * Browsers send the page's origin with a WebSocket handshake. The gateway's own pages come from the host the
     * browser asked for (the {@code Host} header; the scheme is left out so that a TLS-terminating proxy in front
     * does not matter); others must be listed in {@code gateway.allowed_origins}. {@code null} (a sandboxed frame or a
     * file) is never allowed.
     */
    private boolean originAllowed(String origin, String host) {
        if (limits.allowedOrigins().stream().anyMatch(o -> o.equalsIgnoreCase(origin))) {
            return true;
        }
        int scheme = origin.indexOf("://");
        return scheme > 0 && !host.isEmpty() && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    private static Optional<String> bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(header.substring(7).trim());
    }

    private Response error(ApiException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("detail", e.detail());
        e.field().ifPresent(f -> body.put("field", f));
        try {
            Response r = new Response(e.status(), "application/json", json.writeValueAsBytes(body), Map.of());
            if (e.retryAfterSeconds().isPresent()) {
                r = r.withHeader("Retry-After", Long.toString(e.retryAfterSeconds().get()));
            }
            return e.status() == 401 ? r.withHeader("WWW-Authenticate", "Bearer") : r;
        } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    private void write(ChannelHandlerContext ctx, Response r, boolean keepAlive, boolean head) {
        if (r.file() != null) {
            writeFile(ctx, r, keepAlive, head);
            return;
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        decorate(res, r);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * Streams a file range: the head, then the bytes in 16 KiB chunks read as the connection takes them (through the
     * pipeline's {@code ChunkedWriteHandler}), never the whole file in memory. A file gone since the handler looked
     * is a 404.
     */
    private void writeFile(ChannelHandlerContext ctx, Response r, boolean keepAlive, boolean head) {
        Response.FileBody f = r.file();
        RandomAccessFile raf = null;
        if (!head) {
            try {
                raf = new RandomAccessFile(f.path().toFile(), "r");
            } catch (IOException e) {
                write(ctx, error(ApiException.notFound("the file is gone: " + f.path().getFileName())), keepAlive,
                        false);
                return;
            }
        }
        HttpResponse res = new DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, f.length());
        decorate(res, r);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.write(res);
        ChannelFuture done;
        if (raf == null) {
            done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        } else {
            try {
                done = ctx.writeAndFlush(new HttpChunkedInput(
                        new ChunkedFile(raf, f.offset(), f.length(), 16 * 1024)));
            } catch (IOException e) {
                log.debug("gateway: streaming {} failed: {}", f.path(), e.toString());
                ctx.close();
                return;
            }
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The headers every response carries, and the handler's own. */
    private static void decorate(HttpResponse res, Response r) {
        if (!r.contentType().isEmpty()) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("X-Frame-Options", "DENY");
        res.headers().set("Referrer-Policy", "no-referrer");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("Content-Security-Policy", "default-src 'self'; connect-src 'self' ws: wss:;"
                + " img-src 'self' data:; frame-ancestors 'none'");
        r.headers().forEach((k, v) -> res.headers().set(k, v));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("gateway connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
