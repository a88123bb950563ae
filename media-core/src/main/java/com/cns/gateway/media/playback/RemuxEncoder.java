package com.cns.gateway.media.playback;

import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.mux.TsMuxer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RemuxEncoder puts recorded H.264 frames into MPEG-TS as they are, with no decoding: PTS is each
 * frame's recording time × 90 (so segments made anywhere abut exactly), DTS follows decode order,
 * shifted back by the largest reordering delay of the window (B-frames) so it never passes PTS.
 */
public final class RemuxEncoder implements SegmentEncoder {
    @Override
    public byte[] encode(List<FrameSource.Frame> frames, long endMs) {
        long[] pts = frames.stream().mapToLong(FrameSource.Frame::timeMs).toArray();
        long[] sorted = pts.clone();
        Arrays.sort(sorted);
        long delay = 0;
        for (int i = 0; i < pts.length; i++) {
            delay = Math.max(delay, sorted[i] - pts[i]);
        }
        List<AccessUnit> units = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            FrameSource.Frame f = frames.get(i);
            units.add(new AccessUnit(f.data(), AccessUnit.clock90k(f.timeMs()), AccessUnit.clock90k(sorted[i] - delay),
                    f.keyframe()));
        }
        return TsMuxer.segment(units);
    }
}
