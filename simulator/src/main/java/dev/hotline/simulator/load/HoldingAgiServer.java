package dev.hotline.simulator.load;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trivial FastAGI server of the load check: reads the environment, answers, then keeps every session in
 * {@code WAIT FOR DIGIT 600000} until the simulator hangs up, and then closes. It only exists to hold many
 * simulated calls open at once.
 */
public final class HoldingAgiServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;
    private final AtomicInteger waiting = new AtomicInteger();

    private HoldingAgiServer(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    public static HoldingAgiServer start(InetSocketAddress bind, int threads) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("agi-holder"),
                NioIoHandler.newFactory());
        HoldingAgiServer[] self = new HoldingAgiServer[1];
        Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel socket) {
                        socket.pipeline().addLast(new LineBasedFrameDecoder(8192),
                                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                                new Session(self));
                    }
                })
                .bind(bind).syncUninterruptibly().channel();
        self[0] = new HoldingAgiServer(group, channel);
        return self[0];
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Sessions currently blocked in WAIT FOR DIGIT. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    private static final class Session extends SimpleChannelInboundHandler<String> {
        private final HoldingAgiServer[] server;
        private boolean environmentDone;
        private boolean inWait;

        Session(HoldingAgiServer[] server) {
            this.server = server;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (!environmentDone) {
                if (line.isEmpty()) {
                    environmentDone = true;
                    ctx.writeAndFlush("ANSWER\n");
                }
                return;
            }
            if (line.startsWith("HANGUP") || line.equals("200 result=-1")) {
                leaveWait();
                ctx.close();
                return;
            }
            if (!inWait) {
                inWait = true;
                server[0].waiting.incrementAndGet();
            }
            ctx.writeAndFlush("WAIT FOR DIGIT 600000\n");
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            leaveWait();
        }

        private void leaveWait() {
            if (inWait) {
                inWait = false;
                server[0].waiting.decrementAndGet();
            }
        }
    }
}
