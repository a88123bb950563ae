package com.cns.gateway.media.playback;

import com.cns.gateway.recordingindex.KeyframeIndex;

/**
 * Segment is one produced MPEG-TS segment: its bytes, their ETag (a hash of the bytes), the window's
 * learned bounds, and whether those bounds are final (closed by a later keyframe or a gap, or long
 * past) rather than still growing at the live edge.
 */
public record Segment(byte[] bytes, String etag, KeyframeIndex.Bounds bounds, boolean complete) {
}
