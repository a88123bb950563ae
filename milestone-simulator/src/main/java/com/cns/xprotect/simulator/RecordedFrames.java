package com.cns.xprotect.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * RecordedFrames places a camera's frames in its recorded sequences, by its {@link CameraProfile}:
 * frame slot k of a sequence beginning at b shows at b + k × slot (plus the profile's jitter; with
 * B-frames, at the slot of the picture it presents), frames come in decode order, and every sequence
 * starts with a keyframe. Frames exist only inside sequences.
 */
final class RecordedFrames {
    static final long FRAME_MS = 1000 / VideoClip.FPS;
    private static final Duration LOOK = Duration.ofDays(2);

    /**
     * One recorded frame: its picture time, its slot in its sequence (decode order), the sequence's
     * start, and the time of its GOP's keyframe.
     */
    record Frame(long timeMs, long slot, long spanBegin, boolean keyframe, long gopStartMs) {
    }

    private final RecordingHistory history;
    private final SimulatedSite site;
    private volatile int[] bFrameDisplay = {0};
    /** Cameras whose sequences resume mid-GOP: the first frames of each, up to slot {@link #MID_GOP}, are missing. */
    private final java.util.Set<String> midGop = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final long MID_GOP = 12;

    RecordedFrames(RecordingHistory history, SimulatedSite site) {
        this.history = history;
        this.site = site;
    }

    /** The presentation order of the B-frame camera's GOP, once the video is made. */
    void bFrames(VideoClip.Track track) {
        int[] d = new int[VideoClip.GOP];
        for (int i = 0; i < d.length; i++) {
            d[i] = track.display()[i];
        }
        bFrameDisplay = d;
    }

    void resumeMidGop(String camera, boolean on) {
        if (on) {
            midGop.add(camera);
        } else {
            midGop.remove(camera);
        }
    }

    /** Whether slot {@code k} of a sequence has no frame: dropped by the camera, or before a mid-GOP start. */
    private boolean missing(String camera, CameraProfile p, long k) {
        return p.dropped(k) || k < MID_GOP && midGop.contains(camera);
    }

    /** The first slot of a sequence that has a frame, and the first keyframe slot at or after it. */
    private long firstSlot(String camera, CameraProfile p, boolean keyframe) {
        long k = 0;
        while (missing(camera, p, k) || keyframe && !p.keyframe(k)) {
            k++;
        }
        return k;
    }

    CameraProfile profile(String camera) {
        CameraProfile p = site.profile(camera);
        return p == null ? CameraProfile.FIXED_GOP : p;
    }

    /** The last frame at or before {@code t} in decode order, or null if nothing was recorded before it. */
    Frame atOrBefore(String camera, long t) {
        CameraProfile p = profile(camera);
        List<RecordedSpan> spans = history.spans(camera, Instant.ofEpochMilli(t).minus(LOOK), Instant.ofEpochMilli(t + 1));
        for (int i = spans.size() - 1; i >= 0; i--) {
            RecordedSpan s = spans.get(i);
            long b = s.begin().toEpochMilli();
            if (b <= t) {
                long k = Math.min((t - b) / p.slotMs, lastSlot(camera, p, s));
                while (k > 0 && (missing(camera, p, k) || time(p, b, k) > t && !p.keyframe(k))) {
                    k--;
                }
                if (missing(camera, p, k)) {
                    return b <= 0 ? null : atOrBefore(camera, b - 1); // the sequence's frames start later
                }
                return frame(p, b, k);
            }
        }
        return null;
    }

    /** The keyframe at or before {@code t}, or null if nothing was recorded before it. */
    Frame keyframeAtOrBefore(String camera, long t) {
        Frame f = atOrBefore(camera, t);
        if (f == null || f.keyframe()) {
            return f;
        }
        CameraProfile p = profile(camera);
        long g = p.gopStart(f.slot());
        if (missing(camera, p, g)) {
            return f.spanBegin() <= 0 ? null : keyframeAtOrBefore(camera, f.spanBegin() - 1);
        }
        return frame(p, f.spanBegin(), g);
    }

    /** The first frame after {@code f} in decode order, or null at the end of data. */
    Frame after(String camera, Frame f) {
        return step(camera, f, false);
    }

    /** The first keyframe after {@code f}, or null at the end of data. */
    Frame keyframeAfter(String camera, Frame f) {
        return step(camera, f, true);
    }

    private Frame step(String camera, Frame f, boolean keyframes) {
        CameraProfile p = profile(camera);
        List<RecordedSpan> spans = history.spans(camera, Instant.ofEpochMilli(f.spanBegin()),
                Instant.ofEpochMilli(f.timeMs()).plus(LOOK));
        for (RecordedSpan s : spans) {
            long b = s.begin().toEpochMilli();
            if (b == f.spanBegin()) {
                long k = keyframes ? p.nextKeyframe(f.slot()) : f.slot() + 1;
                while (missing(camera, p, k)) {
                    k++;
                }
                if (k <= lastSlot(camera, p, s)) {
                    return frame(p, b, k);
                }
            } else if (b > f.spanBegin()) {
                long k = firstSlot(camera, p, keyframes);
                if (k <= lastSlot(camera, p, s)) {
                    return frame(p, b, k);
                }
            }
        }
        return null;
    }

    /** The frame before {@code f} in decode order, or null at the start of data. */
    Frame before(String camera, Frame f) {
        CameraProfile p = profile(camera);
        long k = f.slot() - 1;
        while (k > 0 && missing(camera, p, k)) {
            k--;
        }
        if (k >= 0 && !missing(camera, p, k)) {
            return frame(p, f.spanBegin(), k);
        }
        return f.spanBegin() <= 0 ? null : atOrBefore(camera, f.spanBegin() - 1);
    }

    /** The keyframe before {@code f}, or null at the start of data. */
    Frame keyframeBefore(String camera, Frame f) {
        CameraProfile p = profile(camera);
        if (f.slot() > 0 && !missing(camera, p, p.gopStart(f.slot() - 1))) {
            return frame(p, f.spanBegin(), p.gopStart(f.slot() - 1));
        }
        return f.spanBegin() <= 0 ? null : keyframeAtOrBefore(camera, f.spanBegin() - 1);
    }

    /** The first frame at or after {@code t}, or null if nothing is recorded from it on. */
    Frame atOrAfter(String camera, long t) {
        Frame f = atOrBefore(camera, t);
        if (f != null && f.timeMs() == t) {
            return f;
        }
        if (f != null) {
            return after(camera, f);
        }
        // Before the oldest recording (retention), the first frame of the database.
        Instant from = Instant.ofEpochMilli(Math.max(t, history.retentionLimit(camera).toEpochMilli()));
        List<RecordedSpan> spans = history.spans(camera, from, from.plus(LOOK));
        CameraProfile p = profile(camera);
        return spans.isEmpty() ? null : frame(p, spans.get(0).begin().toEpochMilli(), firstSlot(camera, p, false));
    }

    /**
     * The last slot of a sequence: the last whose picture lies inside it, cut back (with B-frames) to
     * where every picture before it has been sent.
     */
    private long lastSlot(String camera, CameraProfile p, RecordedSpan s) {
        long b = s.begin().toEpochMilli();
        long end = s.end().toEpochMilli();
        long k = Math.max(0, (end - b - 1) / p.slotMs);
        while (k > 0 && (missing(camera, p, k) || time(p, b, k) >= end)) {
            k--;
        }
        if (p == CameraProfile.BFRAMES) {
            long g = p.gopStart(k);
            int max = 0;
            int complete = 0;
            int[] d = bFrameDisplay;
            for (int i = 0; i <= k - g && i < d.length; i++) {
                max = Math.max(max, d[i]);
                if (max == i) {
                    complete = i;
                }
            }
            k = g + complete;
        }
        return k;
    }

    private long time(CameraProfile p, long spanBegin, long k) {
        if (p == CameraProfile.BFRAMES) {
            long g = p.gopStart(k);
            int[] d = bFrameDisplay;
            int i = (int) (k - g);
            return spanBegin + (g + (i < d.length ? d[i] : i)) * p.slotMs;
        }
        return spanBegin + k * p.slotMs + p.jitter(k);
    }

    private Frame frame(CameraProfile p, long spanBegin, long k) {
        return new Frame(time(p, spanBegin, k), k, spanBegin, p.keyframe(k), spanBegin + p.gopStart(k) * p.slotMs);
    }

    /**
     * Which access unit of its track a frame shows: tracks are looped from a keyframe, and a GOP's
     * pictures are the track's in order, whatever was dropped, so every GOP decodes.
     */
    long unitIndex(CameraProfile p, Frame f) {
        long g = p.gopStart(f.slot());
        long sent = 0;
        for (long k = g; k < f.slot(); k++) {
            if (!p.dropped(k)) {
                sent++;
            }
        }
        return switch (p) {
            case KEYFRAMES_ONLY -> (f.slot() % (VideoClip.FRAMES / VideoClip.GOP)) * VideoClip.GOP;
            case VARIABLE_GOP, FPS5 -> sent;
            case JPEG -> f.slot();
            default -> Math.floorMod(g, (long) VideoClip.FRAMES) + sent;
        };
    }
}
