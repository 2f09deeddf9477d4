package dev.hotline.simulator.agi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits what the FastAGI server sends into command lines ({@code \n}-terminated, the {@code \n} removed, nothing
 * else trimmed). Like Asterisk's {@code fgets()} into an 8192-byte buffer, a longer line is cut into 8191-byte
 * pieces, each taken as a command of its own.
 */
final class AgiLineDecoder extends ByteToMessageDecoder {

    static final int BUFFER = 8192;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int length = eol < 0 ? in.readableBytes() : eol - in.readerIndex();
            if (length >= BUFFER - 1) {
                out.add(in.readCharSequence(BUFFER - 1, StandardCharsets.UTF_8).toString());
                continue;
            }
            if (eol < 0) {
                return;
            }
            out.add(in.readCharSequence(length, StandardCharsets.UTF_8).toString());
            in.skipBytes(1);
        }
    }
}
