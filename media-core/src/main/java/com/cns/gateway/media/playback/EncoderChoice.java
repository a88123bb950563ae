package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;

/**
 * EncoderChoice says how a rendition's segments are encoded from a camera's codec: null when they
 * cannot be (a remux needs H.264; nothing decodes an unknown codec).
 */
@FunctionalInterface
public interface EncoderChoice {
    SegmentEncoder encoder(Rendition rendition, FrameSource.Codec codec);

    /**
     * The gateway's: 1x H.264 remuxed as recorded; keyframes of H.264 remuxed; everything else (smooth
     * speeds, and H.265 and JPEG at any speed) decoded and re-encoded by GStreamer.
     */
    static EncoderChoice standard(PictureTranscoder.Settings settings) {
        return (r, c) -> {
            if (c == FrameSource.Codec.OTHER) {
                return null;
            }
            return switch (r.mode()) {
                case REMUX -> c == FrameSource.Codec.H264 ? new RemuxEncoder() : null;
                case KEYFRAMES -> c == FrameSource.Codec.H264 ? new KeyframesEncoder(r) : new SmoothEncoder(r, settings);
                case SMOOTH -> new SmoothEncoder(r, settings);
            };
        };
    }
}
