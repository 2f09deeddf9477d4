package dev.hotline.agi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.nio.charset.StandardCharsets;

/** Writes an {@link AgiCommand} as one line; the command itself has already made every argument safe. */
@ChannelHandler.Sharable
public final class AgiEncoder extends MessageToByteEncoder<AgiCommand> {

    public static final AgiEncoder INSTANCE = new AgiEncoder();

    private AgiEncoder() {
        super(AgiCommand.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, AgiCommand command, ByteBuf out) {
        out.writeCharSequence(command.toWire(), StandardCharsets.UTF_8);
    }
}
