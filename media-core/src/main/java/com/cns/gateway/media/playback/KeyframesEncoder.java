package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.mux.TsMuxer;
import java.util.ArrayList;
import java.util.List;

/**
 * KeyframesEncoder makes a keyframes-only segment at any speed: the recorded IDRs, remuxed without
 * decoding (each keeps its own SEI recording time), each shown for its GOP's length / |speed|, in
 * recording order forward and last-first backward. Output time is a pure function of recording time,
 * so segments made anywhere abut:
 * <ul>
 *   <li>forward, speed S: PTS = recording ms / S × 90;</li>
 *   <li>backward, |S|: PTS = (origin − the end of the span the keyframe shows) / |S| × 90, with the
 *       origin at 0 ms (1970); the span of a keyframe ends where the next keyframe, or the segment, does.</li>
 * </ul>
 * All mod 2^33. Every picture is an IDR, so DTS = PTS.
 */
public final class KeyframesEncoder implements SegmentEncoder {
    private final Rendition rendition;

    public KeyframesEncoder(Rendition rendition) {
        this.rendition = rendition;
    }

    @Override
    public byte[] encode(List<FrameSource.Frame> frames, long endMs) {
        List<AccessUnit> units = new ArrayList<>(frames.size());
        double m = rendition.speed().magnitude();
        if (!rendition.speed().reverse()) {
            for (FrameSource.Frame f : frames) {
                long pts = clock(f.timeMs() / m);
                units.add(new AccessUnit(f.data(), pts, pts, true));
            }
        } else {
            for (int i = frames.size() - 1; i >= 0; i--) {
                long spanEnd = i + 1 < frames.size() ? frames.get(i + 1).timeMs() : endMs;
                long pts = clock(-spanEnd / m);
                units.add(new AccessUnit(frames.get(i).data(), pts, pts, true));
            }
        }
        return TsMuxer.segment(units);
    }

    /** The 90 kHz timestamp of an output time in ms, mod 2^33. */
    static long clock(double outputMs) {
        return Math.floorMod(Math.round(outputMs * 90), AccessUnit.WRAP);
    }
}
