package com.cns.gateway.media.playback;

import com.cns.gateway.recordingindex.KeyframeIndex;
import java.nio.ByteBuffer;

/**
 * Segment is one produced MPEG-TS segment: its bytes, their ETag (a hash of the bytes), the window's
 * learned bounds, and whether those bounds are final (closed by a later keyframe or a gap, or long
 * past) rather than still growing at the live edge. The bytes live off the heap, read-only, so that
 * serving a cached segment hands the socket the same memory every time, with no copy; the memory
 * goes back when the segment leaves the cache and its last response is written.
 */
public record Segment(ByteBuffer data, String etag, KeyframeIndex.Bounds bounds, boolean complete) {
    static Segment of(byte[] bytes, String etag, KeyframeIndex.Bounds bounds, boolean complete) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return new Segment(direct.asReadOnlyBuffer(), etag, bounds, complete);
    }

    public int size() {
        return data.capacity();
    }

    /** A view of the bytes for one response (its own position and limit; the memory is shared). */
    public ByteBuffer view() {
        return data.duplicate();
    }
}
