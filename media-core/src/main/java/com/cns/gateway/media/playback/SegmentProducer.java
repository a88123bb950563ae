package com.cns.gateway.media.playback;

import com.cns.gateway.media.hls.SealingRule;
import com.cns.gateway.media.hls.Segment;
import com.cns.gateway.media.hls.SegmentName;
import com.cns.gateway.recordingindex.CameraAddress;
import com.cns.gateway.recordingindex.KeyframeIndex;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * SegmentProducer makes the segment of one recording-time window from recorded frames: the frames
 * from the first keyframe at or after the window's start up to, not including, the first keyframe
 * at or after its end, or up to a gap, whichever comes first; its encoder turns them into bytes on a
 * worker thread (with the ETag's hash), never on the event loop that gathered them.
 *
 * <p>ImageServer answers one frame per round trip, so a window is read in parallel: keyframes are
 * probed once a second across it ({@code goto} keyframes only), then each stretch between probed
 * keyframes is walked on its own connection. A stretch starting before the window is walked too,
 * since keyframes the probes skipped lie in it; its frames before the window's first keyframe are
 * dropped.
 */
public final class SegmentProducer {
    private static final long PROBE_STEP_MS = 1000;

    private final FrameSource frames;
    private final EncoderChoice encoders;
    private final WorkerExecutor workers;
    private final long gapMs;
    private final SealingRule sealing;
    private final Clock clock;

    public SegmentProducer(FrameSource frames, EncoderChoice encoders, WorkerExecutor workers, long gapMs,
                           SealingRule sealing, Clock clock) {
        this.frames = frames;
        this.encoders = encoders;
        this.workers = workers;
        this.gapMs = gapMs;
        this.sealing = sealing;
        this.clock = clock;
    }

    /**
     * The segment {@code name} names (its window, encoded as its rendition says); empty when no
     * keyframe lies in the window. Fails with {@link UnsupportedCodecException} for a camera whose
     * codec the rendition cannot be made from.
     */
    public Future<Optional<Segment>> produce(CameraAddress camera, SegmentName name) {
        long startMs = name.startMs();
        long end = startMs + name.lengthMs();
        List<Future<Optional<FrameSource.Keyframe>>> probes = new ArrayList<>();
        for (long p = startMs; p < end; p += PROBE_STEP_MS) {
            probes.add(frames.keyframeAtOrBefore(camera, p));
        }
        probes.add(frames.keyframeAtOrBefore(camera, end));
        return Future.all(probes).compose(all -> {
            TreeSet<Long> found = new TreeSet<>();
            Assembly a = new Assembly();
            for (Future<Optional<FrameSource.Keyframe>> f : probes) {
                f.result().ifPresent(k -> {
                    if (a.encoder == null) {
                        a.encoder = encoders.encoder(name.rendition(), k.codec());
                        if (a.encoder == null) {
                            throw new UnsupportedCodecException(k.codec());
                        }
                    }
                    if (k.timeMs() < end) {
                        found.add(k.timeMs());
                    }
                });
            }
            Long before = found.lower(startMs);
            List<Long> starts = new ArrayList<>(found.tailSet(startMs, true));
            if (before != null) {
                starts.add(0, before);
            }
            if (starts.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
            }
            List<Future<FrameSource.Walk>> walks = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                long until = i + 1 < starts.size() ? starts.get(i + 1) : end;
                walks.add(frames.walk(camera, starts.get(i), until, gapMs));
            }
            return Future.all(walks).compose(v -> assemble(camera, startMs, end, starts, walks, 0, a));
        });
    }

    /** Frames kept so far, in decode order, whether the window's first keyframe was reached, the encoder. */
    private static final class Assembly {
        final List<FrameSource.Frame> kept = new ArrayList<>();
        boolean started;
        SegmentEncoder encoder;
    }

    private Future<Optional<Segment>> assemble(CameraAddress camera, long start, long end, List<Long> starts,
                                               List<Future<FrameSource.Walk>> walks, int i, Assembly a) {
        FrameSource.Walk w = walks.get(i).result();
        for (FrameSource.Frame f : w.frames()) {
            if (!a.started && f.keyframe() && f.timeMs() >= start) {
                a.started = true;
            }
            if (a.started) {
                if (f.keyframe() && f.timeMs() >= end) {
                    return finish(a, end, f.timeMs(), false, -1);
                }
                a.kept.add(f);
            }
        }
        boolean last = i + 1 == walks.size();
        switch (w.stop()) {
            case KEYFRAME -> {
                if (last || w.stopMs() >= end) {
                    return finish(a, end, w.stopMs(), false, -1);
                }
                return assemble(camera, start, end, starts, walks, i + 1, a);
            }
            case GAP -> {
                if (a.started) {
                    return finish(a, end, -1, true, w.stopMs());
                }
                // The gap came before the window's first keyframe: that keyframe opens the next run.
                long resume = w.stopMs();
                if (resume >= end) {
                    return Future.succeededFuture(Optional.empty());
                }
                if (!last && starts.get(i + 1) <= resume) {
                    return assemble(camera, start, end, starts, walks, i + 1, a);
                }
                long until = last ? end : starts.get(i + 1);
                List<Future<FrameSource.Walk>> more = new ArrayList<>(walks);
                List<Long> moreStarts = new ArrayList<>(starts);
                return frames.walkFromFrame(camera, resume, until, gapMs).compose(extra -> {
                    if (extra.frames().isEmpty() || extra.frames().get(0).timeMs() < resume) {
                        return Future.succeededFuture(Optional.<Segment>empty()); // the recorder moved back
                    }
                    more.add(i + 1, Future.succeededFuture(extra));
                    moreStarts.add(i + 1, resume);
                    return assemble(camera, start, end, moreStarts, more, i + 1, a);
                });
            }
            default -> {
                return a.started ? finish(a, end, -1, true, -1) : Future.succeededFuture(Optional.empty());
            }
        }
    }

    private Future<Optional<Segment>> finish(Assembly a, long windowEnd, long nextKeyframeMs, boolean gap,
                                             long resumeMs) {
        List<FrameSource.Frame> kept = a.kept;
        if (kept.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        long[] sorted = kept.stream().mapToLong(FrameSource.Frame::timeMs).sorted().toArray();
        long first = kept.get(0).timeMs();
        long endMs = nextKeyframeMs >= 0 ? nextKeyframeMs : sorted[sorted.length - 1] + frameInterval(sorted);
        boolean complete = nextKeyframeMs >= 0 || resumeMs >= 0 || sealing.passed(endMs, clock.millis());
        KeyframeIndex.Bounds bounds = new KeyframeIndex.Bounds(first, endMs, gap, resumeMs, kept.size());
        SegmentEncoder encoder = a.encoder;
        return workers.executeBlocking(() -> {
            byte[] bytes = encoder.encode(kept, endMs);
            return Optional.of(Segment.of(bytes, etag(bytes), bounds, complete, sealing));
        }, false);
    }

    /** The camera's frame interval: the smallest step between pictures (one frame at 25 fps if alone). */
    static long frameInterval(long[] sortedTimes) {
        long min = Long.MAX_VALUE;
        for (int i = 1; i < sortedTimes.length; i++) {
            long d = sortedTimes[i] - sortedTimes[i - 1];
            if (d > 0 && d < min) {
                min = d;
            }
        }
        return min == Long.MAX_VALUE ? 40 : min;
    }

    static String etag(byte[] bytes) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
