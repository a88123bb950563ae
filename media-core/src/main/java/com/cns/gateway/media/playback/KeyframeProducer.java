package com.cns.gateway.media.playback;

import com.cns.gateway.media.cache.ProductionPriority;
import com.cns.gateway.media.cache.SegmentCache;
import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import com.cns.gateway.recordingindex.RecordingRuns;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * KeyframeProducer makes a keyframes-only segment of one window of a rendition: the keyframes from
 * the first at or after the window's start up to, not including, the first at or after its end, or
 * up to the end of the recording run, whichever comes first (the same bounds a 1x segment has, so
 * the planner lists both alike). ImageServer is read with {@code keyframesonly}: one walk a second
 * of recording across the window, all at once, each a {@code goto} and as many {@code next}s as there
 * are keyframes in its second, so a -8x window of 32 s costs about two round trips, never a walk of
 * every frame. A keyframes-only walk cannot see gaps; the recording runs say where they are.
 */
public final class KeyframeProducer {
    private static final long WALK_STEP_MS = 1000;

    private final FrameSource frames;
    private final SegmentWindowPlanner.RunSource runs;
    private final EncoderChoice encoders;
    private final SegmentEncoders workers;
    private final SealingRule sealing;
    private final Duration lookAhead;
    private final Clock clock;

    /** {@code lookAhead}: how far past a window a gap's end is looked for (the playlist window). */
    public KeyframeProducer(FrameSource frames, SegmentWindowPlanner.RunSource runs, EncoderChoice encoders,
                            SegmentEncoders workers, SealingRule sealing, Duration lookAhead, Clock clock) {
        this.frames = frames;
        this.runs = runs;
        this.encoders = encoders;
        this.workers = workers;
        this.sealing = sealing;
        this.lookAhead = lookAhead;
        this.clock = clock;
    }

    /**
     * The segment {@code name} names (a keyframes-only rendition); empty when no keyframe lies in its
     * window. Fails with {@link UnsupportedCodecException} for a camera whose codec cannot be decoded.
     */
    public Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name) {
        return produce(camera, name, ProductionPriority.WAITED_FOR);
    }

    /** As {@link #produce(CameraAddress, SegmentName)}; a transcode (H.265, JPEG) waits in {@code priority}'s turn. */
    public Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name, ProductionPriority priority) {
        long start = name.startMs();
        long end = start + name.lengthMs();
        List<Future<FrameSource.Walk>> walks = new ArrayList<>();
        for (long p = start; p < end; p += WALK_STEP_MS) {
            walks.add(frames.walkKeyframes(camera, p, Math.min(p + WALK_STEP_MS, end)));
        }
        Future<RecordingRuns> recorded = runs.runs(camera, Instant.ofEpochMilli(start - 1),
                Instant.ofEpochMilli(end).plus(lookAhead));
        return Future.all(Future.all(walks), recorded).compose(v -> {
            TreeMap<Long, FrameSource.Frame> keyframes = new TreeMap<>();
            for (Future<FrameSource.Walk> w : walks) {
                for (FrameSource.Frame f : w.result().frames()) {
                    if (encoders.encoder(name.rendition(), f.codec()) == null) {
                        throw new UnsupportedCodecException(f.codec());
                    }
                    keyframes.putIfAbsent(f.timeMs(), f);
                }
            }
            FrameSource.Walk last = walks.get(walks.size() - 1).result();
            long after = last.stop() == FrameSource.Stop.KEYFRAME ? last.stopMs() : -1;
            return assemble(camera, name, priority, new ArrayList<>(keyframes.subMap(start, end).values()), after,
                    recorded.result());
        });
    }

    /**
     * The segment of {@code inWindow} (keyframes in the window, in order), cut at the end of the run of
     * the first: its last keyframe is shown up to the next keyframe ({@code after}: the first at or
     * after the window's end, -1 if none yet) or the run's end.
     */
    private Future<Optional<Segment>> assemble(CameraAddress camera, SegmentName name, ProductionPriority priority,
                                               List<FrameSource.Frame> inWindow, long after, RecordingRuns rr) {
        if (inWindow.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        List<FrameSource.Frame> kept = new ArrayList<>();
        long endMs = -1;
        boolean gap = false;
        long resume = -1;
        for (int i = 0; i < inWindow.size() && endMs < 0; i++) {
            FrameSource.Frame k = inWindow.get(i);
            kept.add(k);
            long next = i + 1 < inWindow.size() ? inWindow.get(i + 1).timeMs() : after;
            Optional<RecordingRuns.Run> run = runOf(rr, k.timeMs());
            long runEnd = run.map(r -> r.whole().end().toEpochMilli()).orElse(Long.MAX_VALUE);
            if (next >= 0 && next <= runEnd) {
                if (i + 1 == inWindow.size()) {
                    endMs = next;
                }
                continue;
            }
            if (runEnd == Long.MAX_VALUE) {
                // No run known for the keyframe (the index lags the recorder): show it one second.
                endMs = k.timeMs() + WALK_STEP_MS;
                gap = true;
            } else {
                endMs = runEnd;
                gap = true;
                resume = rr.runs().stream().map(r -> r.whole().start().toEpochMilli()).filter(s -> s >= runEnd)
                        .findFirst().orElse(-1L);
            }
        }
        boolean complete = !gap && after >= 0 || resume >= 0 || sealing.passed(endMs, clock.millis());
        KeyframeIndex.Bounds bounds = new KeyframeIndex.Bounds(kept.get(0).timeMs(), endMs, gap, resume, kept.size());
        long segmentEnd = endMs;
        SegmentEncoder encoder = encoders.encoder(name.rendition(), inWindow.get(0).codec());
        return workers.run(encoder, new SegmentCache.Key(camera.cameraId(), name), priority, () -> {
            byte[] bytes = encoder.encode(kept, segmentEnd);
            return Optional.of(Segment.of(bytes, SegmentProducer.etag(bytes), bounds, complete, sealing));
        });
    }

    private static Optional<RecordingRuns.Run> runOf(RecordingRuns rr, long timeMs) {
        return rr.runs().stream().filter(r -> r.whole().start().toEpochMilli() <= timeMs
                && timeMs < r.whole().end().toEpochMilli()).findFirst();
    }
}
