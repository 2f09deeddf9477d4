package dev.hotline.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The time-outs of one HTTP connection, as a small state machine:
 * <pre>
 *   NEW  --bytes--> HEAD --request head decoded--> BUSY --response written--> IDLE --bytes--> HEAD ...
 * </pre>
 * {@code NEW} and {@code HEAD} must reach a complete request (line, headers and body: the handler sits after the
 * aggregator) within {@code requestHead} of the connection opening, or of the first byte after a response: a client
 * that connects and sends nothing, or trickles a header line at a time, is closed. {@code IDLE} (keep-alive) lasts at most {@code keepAlive}. {@code BUSY} has no limit of
 * its own (the handlers have theirs). Two handlers share the state: {@link #bytes()} sits before the HTTP codec and
 * sees raw bytes, {@link #requests()} after the aggregator and sees whole requests and written responses. One scheduled check per
 * connection, moved when the deadline moves later. A WebSocket upgrade removes both ({@link #remove}).
 */
final class HttpDeadlines {

    static final String BYTES = "deadline-bytes";
    static final String REQUESTS = "deadline-requests";

    private enum State { NEW, HEAD, BUSY, IDLE }

    private final long requestHeadNanos;
    private final long keepAliveNanos;
    private final ConnectionGuard guard;
    private State state = State.NEW;
    private long deadline;
    private ScheduledFuture<?> check;

    HttpDeadlines(Duration requestHead, Duration keepAlive, ConnectionGuard guard) {
        this.requestHeadNanos = requestHead.toNanos();
        this.keepAliveNanos = keepAlive.toNanos();
        this.guard = guard;
    }

    /** Before the codec: the first byte of a request starts its head deadline. */
    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                arm(ctx, System.nanoTime() + requestHeadNanos);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (state == State.IDLE) {
                    state = State.HEAD;
                    arm(ctx, System.nanoTime() + requestHeadNanos);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    /** After the aggregator: a whole request ends the deadline; a written response starts the keep-alive one. */
    ChannelDuplexHandler requests() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    state = State.BUSY;
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent) {   // a full response is one too
                    state = State.IDLE;
                    arm(ctx, System.nanoTime() + keepAliveNanos);
                }
                ctx.write(msg, promise);
            }
        };
    }

    /** Both handlers go: the connection is a WebSocket now, with its own ping time-out. */
    static void remove(ChannelPipeline pipeline) {
        if (pipeline.get(BYTES) != null) {
            pipeline.remove(BYTES);
        }
        if (pipeline.get(REQUESTS) != null) {
            pipeline.remove(REQUESTS);
        }
    }

    private void arm(ChannelHandlerContext ctx, long at) {
        deadline = at;
        if (check == null) {
            check = ctx.executor().schedule(() -> expire(ctx), Math.max(0, at - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        check = null;
        if (state == State.BUSY || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            arm(ctx, deadline);   // moved later meanwhile
            return;
        }
        guard.timedOut(state == State.IDLE ? ConnectionGuard.Timeout.KEEP_ALIVE
                : ConnectionGuard.Timeout.REQUEST_HEAD);
        ctx.channel().close();
    }

    private void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
