package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.Rendition;
import com.cns.gateway.transcoder.mux.AccessUnit;
import com.cns.gateway.transcoder.mux.TsMuxer;
import com.cns.gateway.transcoder.transcode.PictureTranscoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SmoothEncoder re-encodes a window's frames as H.264 at 25 output frames a second at the rendition's
 * speed: output frames sit on one global 40 ms grid of output time, and each shows the source frame
 * whose span holds the recording time that output time stands for, so frames are repeated (slower)
 * or skipped (faster), and backward speeds walk them last-first. Output time is a pure function of
 * recording time, as in every rendition (forward: recording ms / S; backward: −recording ms / |S|),
 * so segments made anywhere abut; every output frame carries the SEI recording time of the frame it
 * shows. It also transcodes H.265 and JPEG cameras, whatever the mode (their keyframes-only
 * renditions are the keyframes, re-encoded).
 */
public final class SmoothEncoder implements SegmentEncoder {
    private static final long SLOT_MS = 40;

    private final Rendition rendition;
    private final PictureTranscoder.Settings settings;

    public SmoothEncoder(Rendition rendition, PictureTranscoder.Settings settings) {
        this.rendition = rendition;
        this.settings = settings;
    }

    @Override
    public boolean transcodes() {
        return true;
    }

    @Override
    public byte[] encode(List<FrameSource.Frame> frames, long endMs) {
        List<PictureTranscoder.Source> sources = new ArrayList<>(frames.size());
        for (FrameSource.Frame f : frames) {
            sources.add(new PictureTranscoder.Source(f.timeMs(), f.keyframe(), f.data()));
        }
        List<AccessUnit> units = PictureTranscoder.transcode(codec(frames.get(0).codec()), sources,
                slots(frames, endMs), settings);
        return TsMuxer.segment(units);
    }

    /**
     * The output frames of a segment whose frames span [first frame, {@code endMs}) of recording: one
     * every 40 ms of output time, each naming the source frame it shows (forward: the last at or
     * before its recording time; backward: the last before it, whose span it lies in).
     */
    List<PictureTranscoder.Slot> slots(List<FrameSource.Frame> frames, long endMs) {
        int n = frames.size();
        Integer[] byTime = new Integer[n];
        for (int i = 0; i < n; i++) {
            byTime[i] = i;
        }
        Arrays.sort(byTime, (a, b) -> Long.compare(frames.get(a).timeMs(), frames.get(b).timeMs()));
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = frames.get(byTime[i]).timeMs();
        }
        double s = rendition.speed().factor;
        long first = times[0];
        boolean back = s < 0;
        double from = back ? endMs / s : first / s;
        double to = back ? first / s : endMs / s;
        List<PictureTranscoder.Slot> slots = new ArrayList<>();
        for (long k = (long) Math.ceil(from / SLOT_MS); k * SLOT_MS < to; k++) {
            double recording = k * SLOT_MS * s;
            int at = back ? lastBefore(times, recording) : lastAtOrBefore(times, recording);
            slots.add(new PictureTranscoder.Slot(byTime[Math.max(0, at)], Math.floorMod(k * SLOT_MS * 90,
                    AccessUnit.WRAP)));
        }
        if (slots.isEmpty()) {
            // A span shorter than one output frame: its first frame, at its own time.
            slots.add(new PictureTranscoder.Slot(back ? byTime[n - 1] : byTime[0],
                    Math.floorMod(Math.round(from * 90), AccessUnit.WRAP)));
        }
        return slots;
    }

    private static int lastAtOrBefore(long[] times, double t) {
        int i = Arrays.binarySearch(times, (long) Math.floor(t));
        return i >= 0 ? i : -i - 2;
    }

    private static int lastBefore(long[] times, double t) {
        long c = (long) Math.ceil(t);
        int i = Arrays.binarySearch(times, c);
        return i >= 0 ? i - 1 : -i - 2;
    }

    private static PictureTranscoder.Codec codec(FrameSource.Codec c) {
        return switch (c) {
            case H264 -> PictureTranscoder.Codec.H264;
            case H265 -> PictureTranscoder.Codec.H265;
            case JPEG -> PictureTranscoder.Codec.JPEG;
            case OTHER -> throw new UnsupportedCodecException(c);
        };
    }
}
