package com.cns.gateway.media.hls;

import com.cns.gateway.recordingindex.KeyframeIndex;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Segment is one produced MPEG-TS segment: its bytes, their ETag (a hash of the bytes), the window's
 * learned bounds, whether those bounds are final (closed by a later keyframe or a gap, or long past)
 * rather than still growing at the live edge, and the sealing rule that says when it never changes
 * again. The bytes live off the heap, read-only, so that serving a cached segment hands the socket
 * the same memory every time, with no copy; the memory goes back when the segment leaves the cache
 * and its last response is written.
 */
public record Segment(ByteBuffer data, String etag, KeyframeIndex.Bounds bounds, boolean complete,
                      SealingRule sealing) {
    public static Segment of(byte[] bytes, String etag, KeyframeIndex.Bounds bounds, boolean complete,
                             SealingRule sealing) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new Segment(direct.asReadOnlyBuffer(), etag, bounds, complete, sealing);
    }

    public int size() {
        return data.capacity();
    }

    /** Whether the segment is final and its window closed long enough ago that it never changes again. */
    public boolean sealed(long nowMs) {
        return complete && sealing.passed(bounds.endMs(), nowMs);
    }

    /** A view of the bytes for one response (its own position and limit; the memory is shared). */
    public ByteBuffer view() {
        return data.duplicate();
    }

    /**
     * The bytes as the body of one response, wrapping the shared off-heap memory with no copy. Vert.x 5
     * wraps a Netty buffer only through {@code BufferInternal} (its migration guide, "Netty type usage
     * removals"); the public {@code Buffer.buffer(byte[])} would copy every cached segment onto the
     * heap for every response, so this one place uses it and routes never see it.
     */
    public Buffer body() {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(view()));
    }
}
