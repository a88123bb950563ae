package com.cns.gateway.milestone.imageserver;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * ImageServerRequestEncoder writes {@link ImageServerRequest}s as the protocol wants them: one line
 * of XML ended by CR LF CR LF, without which the server does not answer (Milestone's
 * ImageServerConnection.cs sample).
 */
public final class ImageServerRequestEncoder extends MessageToByteEncoder<ImageServerRequest> {
    static final byte[] TERMINATOR = {'\r', '\n', '\r', '\n'};

    @Override
    protected void encode(ChannelHandlerContext ctx, ImageServerRequest msg, ByteBuf out) {
        out.writeCharSequence(msg.toXml(), StandardCharsets.UTF_8);
        out.writeBytes(TERMINATOR);
    }
}
