package com.cns.gateway.media.playback;

import java.util.List;

/**
 * SegmentEncoder turns the frames of one window into the bytes of an MPEG-TS segment. It blocks
 * (muxing, decoding, encoding), so producers call it on worker threads, never on an event loop.
 */
public interface SegmentEncoder {
    /** The segment of {@code frames}, given in decode order, the first a keyframe. */
    byte[] encode(List<FrameSource.Frame> frames);
}
