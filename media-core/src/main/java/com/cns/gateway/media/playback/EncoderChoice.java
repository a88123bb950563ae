package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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

    /**
     * {@code choice}, each encode timed in {@code gateway_playback_encode_seconds{mode}} (the time on a
     * worker thread to mux, or to decode and re-encode, one segment).
     */
    static EncoderChoice timed(EncoderChoice choice, MeterRegistry registry) {
        return (r, c) -> {
            SegmentEncoder e = choice.encoder(r, c);
            if (e == null) {
                return null;
            }
            String mode = e.transcodes() ? "transcode" : "remux";
            Timer timer = Timer.builder("gateway_playback_encode_seconds").tag("mode", mode)
                    .description("Time to encode one segment on a worker thread: remux (1x, keyframes of H.264) or "
                            + "transcode (decode and re-encode)")
                    .publishPercentileHistogram().register(registry);
            return new SegmentEncoder() {
                @Override
                public byte[] encode(java.util.List<FrameSource.Frame> frames, long endMs) {
                    return timer.record(() -> e.encode(frames, endMs));
                }

                @Override
                public boolean transcodes() {
                    return e.transcodes();
                }
            };
        };
    }
}
