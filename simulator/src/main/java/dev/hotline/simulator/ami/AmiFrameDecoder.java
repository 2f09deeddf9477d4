package dev.hotline.simulator.ami;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the client's bytes into {@link AmiMessage}s: {@code Key: Value} lines ended by CRLF (a bare LF is taken
 * too), one empty line ending each message. A line without a colon is skipped, as manager.c does.
 */
final class AmiFrameDecoder extends ByteToMessageDecoder {

    static final int MAX_LINE = 8192;

    private final List<AmiMessage.Header> headers = new ArrayList<>();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            int length = eol < 0 ? in.readableBytes() : eol - in.readerIndex();
            // The same limit whether the newline came in this read or not (CR not counted).
            int end = eol < 0 ? in.writerIndex() : eol;
            int content = length > 0 && in.getByte(end - 1) == '\r' ? length - 1 : length;
            if (content > MAX_LINE) {
                in.skipBytes(in.readableBytes());
                throw new TooLongFrameException("AMI line length: > " + MAX_LINE + " (expected: <= " + MAX_LINE + ")");
            }
            if (eol < 0) {
                return;
            }
            String line = in.readCharSequence(length, StandardCharsets.UTF_8).toString();
            in.skipBytes(1);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                if (!headers.isEmpty()) {
                    out.add(new AmiMessage(headers));
                    headers.clear();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(new AmiMessage.Header(line.substring(0, colon).trim(),
                        line.substring(colon + 1).stripLeading()));
            }
        }
    }
}
