package com.cns.gateway.media.playback;

import java.util.List;

/**
 * SegmentEncoder turns the frames of one window into the bytes of an MPEG-TS segment. It blocks
 * (muxing, decoding, encoding), so producers call it on worker threads, never on an event loop.
 */
public interface SegmentEncoder {
    /**
     * The segment of {@code frames}, given in recording (decode) order, the first a keyframe, the last
     * shown until {@code endMs} of recording time.
     */
    byte[] encode(List<FrameSource.Frame> frames, long endMs);

    /**
     * Whether it decodes and re-encodes (seconds of CPU for a window of large pictures), rather than
     * muxing the frames as they are (milliseconds).
     */
    default boolean transcodes() {
        return false;
    }
}
