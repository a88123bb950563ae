package com.cns.gateway.milestone.imageserver;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

/**
 * ImageResponse is one frame answer of the ImageServer: the request it answers, the recording times
 * (UTC ms) of the previous, current and next frame, the content type and the body (JPEG or
 * GenericByteData). An empty database answers all times 0 and no body. The body is reference
 * counted: whoever takes the response releases it.
 */
public final class ImageResponse extends AbstractReferenceCounted {
    private final int requestId;
    private final long prev;
    private final long current;
    private final long next;
    private final String contentType;
    private final ByteBuf body;

    public ImageResponse(int requestId, long prev, long current, long next, String contentType, ByteBuf body) {
        this.requestId = requestId;
        this.prev = prev;
        this.current = current;
        this.next = next;
        this.contentType = contentType;
        this.body = body;
    }

    public int requestId() {
        return requestId;
    }

    public long prev() {
        return prev;
    }

    public long current() {
        return current;
    }

    public long next() {
        return next;
    }

    public String contentType() {
        return contentType;
    }

    public ByteBuf body() {
        return body;
    }

    /** No frame: the database is empty where asked, or the end of data was passed. */
    public boolean empty() {
        return current == 0 && body.readableBytes() == 0;
    }

    /** JPEG bodies start with FF D8, whatever the content type says (research §5.1). */
    public boolean isJpeg() {
        return body.readableBytes() >= 2 && body.getUnsignedByte(body.readerIndex()) == 0xFF
                && body.getUnsignedByte(body.readerIndex() + 1) == 0xD8;
    }

    @Override
    protected void deallocate() {
        body.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        body.touch(hint);
        return this;
    }
}
