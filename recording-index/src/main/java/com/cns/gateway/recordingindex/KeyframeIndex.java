package com.cns.gateway.recordingindex;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.UUID;

/**
 * KeyframeIndex remembers what walking a recording taught: for each segment window of a camera, the
 * time of its first keyframe and where it ends. ImageServer has no keyframe index, so these bounds
 * are learned by producing segments once; playlists then list a window without walking it again,
 * even after its bytes have left the segment cache. Only final bounds are kept (a window closed by a
 * later keyframe or a gap, not one still growing at the live edge).
 */
public final class KeyframeIndex {
    /**
     * A window's learned bounds: its first frame (a keyframe), the end of its last frame (the next
     * window's first keyframe, or the last frame plus one frame interval before a gap or the end of
     * data), whether a gap follows it and where recording resumes after it ({@code resumeMs}, -1 at
     * the end of data), and how many frames it holds.
     */
    public record Bounds(long firstFrameMs, long endMs, boolean gapAfter, long resumeMs, int frames) {
        /** Whether recording continues right after this window (no gap, not the end of data). */
        public boolean contiguous() {
            return !gapAfter;
        }

        public long durationMs() {
            return endMs - firstFrameMs;
        }
    }

    private record Key(UUID camera, long startMs, long lengthMs) {
    }

    private final Cache<Key, Bounds> windows;

    public KeyframeIndex(long maxWindows) {
        this.windows = Caffeine.newBuilder().maximumSize(maxWindows).build();
    }

    public Optional<Bounds> bounds(UUID camera, long startMs, long lengthMs) {
        return Optional.ofNullable(windows.getIfPresent(new Key(camera, startMs, lengthMs)));
    }

    public void learn(UUID camera, long startMs, long lengthMs, Bounds bounds) {
        windows.put(new Key(camera, startMs, lengthMs), bounds);
    }

    public long size() {
        return windows.estimatedSize();
    }
}
