package com.cns.xprotect.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * RecordedFrames places a camera's frames in its recorded sequences: frame k of a sequence beginning
 * at b is at b + k × 40 ms (25 fps), an IDR every 25 frames from the sequence's start. Frames exist
 * only inside sequences.
 */
final class RecordedFrames {
    static final long FRAME_MS = 1000 / VideoClip.FPS;
    private static final Duration LOOK = Duration.ofDays(2);

    /** One recorded frame: its time, its index in its sequence, and the time of its GOP's IDR. */
    record Frame(long timeMs, long index, long gopStartMs) {
        boolean keyframe() {
            return index % VideoClip.GOP == 0;
        }
    }

    private final RecordingHistory history;

    RecordedFrames(RecordingHistory history) {
        this.history = history;
    }

    /** The last frame at or before {@code t}, or null if nothing was recorded before it. */
    Frame atOrBefore(String camera, long t) {
        List<RecordedSpan> spans = history.spans(camera, Instant.ofEpochMilli(t).minus(LOOK), Instant.ofEpochMilli(t + 1));
        for (int i = spans.size() - 1; i >= 0; i--) {
            RecordedSpan s = spans.get(i);
            long b = s.begin().toEpochMilli();
            if (b <= t) {
                long last = lastIndex(s);
                long k = Math.min((t - b) / FRAME_MS, last);
                return frame(b, k);
            }
        }
        return null;
    }

    /** The first frame after {@code f}, or null at the end of data. */
    Frame after(String camera, Frame f) {
        List<RecordedSpan> spans = history.spans(camera, Instant.ofEpochMilli(f.timeMs()),
                Instant.ofEpochMilli(f.timeMs()).plus(LOOK));
        for (RecordedSpan s : spans) {
            long b = s.begin().toEpochMilli();
            if (b <= f.timeMs() && f.timeMs() < s.end().toEpochMilli()) {
                if (f.index() < lastIndex(s)) {
                    return frame(b, f.index() + 1);
                }
            } else if (b > f.timeMs()) {
                return frame(b, 0);
            }
        }
        return null;
    }

    /** The frame before {@code f}, or null at the start of data. */
    Frame before(String camera, Frame f) {
        if (f.index() > 0) {
            return frame(f.timeMs() - f.index() * FRAME_MS, f.index() - 1);
        }
        return f.timeMs() <= 0 ? null : atOrBefore(camera, f.timeMs() - 1);
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
        return spans.isEmpty() ? null : frame(spans.get(0).begin().toEpochMilli(), 0);
    }

    private static long lastIndex(RecordedSpan s) {
        long len = s.end().toEpochMilli() - s.begin().toEpochMilli();
        return Math.max(0, (len - 1) / FRAME_MS);
    }

    private static Frame frame(long spanBegin, long k) {
        long t = spanBegin + k * FRAME_MS;
        return new Frame(t, k, spanBegin + (k - k % VideoClip.GOP) * FRAME_MS);
    }
}
